import type { RateLimitScope } from './limits/rate-limiter.js';

/**
 * How a request authenticated.
 *
 * @example
 * ```ts
 * server.received.filter((r) => r.auth === ('webhook' satisfies AuthKind));
 * ```
 */
export type AuthKind = 'bot' | 'webhook' | 'none';

/**
 * One thing the simulator received: an HTTP request (with the response status) or a
 * gateway payload (`kind: 'gateway'`, `method: 'WS'`, `route` = opcode name, status 0).
 *
 * @example
 * ```ts
 * server.on('record', (r: ReceivedRequest) => console.log(r.method, r.path, r.status, r.bucket));
 * ```
 */
export interface ReceivedRequest {
  at: number;
  kind: 'http' | 'gateway';
  method: string;
  /** Path after `/api/v10` (decoded), e.g. `/webhooks/1/abc/messages/@original`. */
  path: string;
  query: string;
  /** Route template, e.g. `POST /webhooks/:webhookId/:token`, or a gateway op name. */
  route: string;
  /** `X-RateLimit-Bucket` sent, if any. */
  bucket: string | null;
  status: number;
  body?: unknown;
  auth: AuthKind;
  /** Decoded `X-Audit-Log-Reason`. */
  reason?: string;
  /** The bot behind a bot-authenticated request or gateway session. */
  botUserId?: string;
  /** Scope of a 429. */
  scope?: RateLimitScope;
}

/**
 * A bounded log (ring buffer) of {@link ReceivedRequest}s with a listener hook.
 *
 * @example
 * ```ts
 * const rec = new Recorder(1000, (r) => console.log(r.method, r.path, r.status));
 * rec.add({ at: Date.now(), kind: 'http', method: 'GET', path: '/users/@me', query: '',
 *   route: 'GET /users/@me', bucket: null, status: 200, auth: 'bot' });
 * ```
 */
export class Recorder {
  #items: ReceivedRequest[] = [];
  #start = 0;

  constructor(
    private readonly max: number,
    private readonly onRecord: (r: ReceivedRequest) => void,
  ) {}

  add(record: ReceivedRequest): void {
    if (this.#items.length < this.max) {
      this.#items.push(record);
    } else {
      this.#items[this.#start] = record;
      this.#start = (this.#start + 1) % this.max;
    }
    this.onRecord(record);
  }

  /** Oldest first. */
  all(): ReceivedRequest[] {
    return [...this.#items.slice(this.#start), ...this.#items.slice(0, this.#start)];
  }

  clear(): void {
    this.#items = [];
    this.#start = 0;
  }
}
