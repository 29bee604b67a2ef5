/** Options of {@link ChatLimiter}. */
export interface ChatLimiterOptions {
  /** Messages per window where the bot is neither moderator nor broadcaster (Twitch: 20). */
  normal?: number;
  /** Messages per window where it is moderator or broadcaster (Twitch: 100). */
  elevated?: number;
  /** JOINs per join window (Twitch: 20 per 10 s). */
  joins?: number;
  windowMs?: number;
  joinWindowMs?: number;
  /** Most queued messages; the oldest is dropped when full. */
  maxQueue?: number;
  /**
   * Extra ms added to each window, so network jitter between our clock and Twitch's never
   * lets a message land inside the server's window. Default 250.
   */
  marginMs?: number;
  /** Whether the bot is moderator or broadcaster in a channel, asked before each send. */
  isElevated?: (channel: string) => boolean;
  now?: () => number;
  /** Called with what was dropped when the queue overflows. */
  onDrop?: (channel: string, text: string) => void;
}

/**
 * Why a queued message was not sent: the queue was full (`queue-full`, the oldest goes) or
 * the limiter closed (`closed`, at shutdown).
 *
 * @example
 * ```ts
 * await limiter.send('alice', 'hi', write).catch((e) => {
 *   if (!(e instanceof ChatMessageDropped)) throw e;
 * });
 * ```
 */
export class ChatMessageDropped extends Error {
  constructor(readonly reason: 'queue-full' | 'closed') {
    super(reason === 'closed' ? 'chat limiter closed' : 'dropped: outgoing chat queue full');
    this.name = 'ChatMessageDropped';
  }
}

interface Pending {
  channel: string;
  send: () => Promise<void>;
  text: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * One outgoing limiter per bot account, shared by every cog: Twitch's 20 messages per
 * 30 s (100 where the bot is moderator or broadcaster) and 20 JOINs per 10 s. Messages
 * wait in a bounded FIFO queue; when it is full the oldest is dropped with a log line.
 *
 * @example
 * ```ts
 * const limiter = new ChatLimiter({ onDrop: (c, t) => log.warn({ c }, 'dropped') });
 * limiter.setElevated('alice', true); // from USERSTATE badges
 * await limiter.send('alice', 'hello', () => client.say('#alice', 'hello'));
 * ```
 */
export class ChatLimiter {
  readonly #normal: number;
  readonly #elevated: number;
  readonly #joins: number;
  readonly #windowMs: number;
  readonly #joinWindowMs: number;
  readonly #maxQueue: number;
  readonly #marginMs: number;
  #isElevated: ((channel: string) => boolean) | undefined;
  readonly #now: () => number;
  readonly #onDrop: (channel: string, text: string) => void;
  readonly #sent: number[] = [];
  readonly #joined: number[] = [];
  readonly #elevatedIn = new Set<string>();
  readonly #queue: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #paused = false;

  constructor(options: ChatLimiterOptions = {}) {
    this.#normal = options.normal ?? 20;
    this.#elevated = options.elevated ?? 100;
    this.#joins = options.joins ?? 20;
    this.#windowMs = options.windowMs ?? 30_000;
    this.#joinWindowMs = options.joinWindowMs ?? 10_000;
    this.#maxQueue = options.maxQueue ?? 200;
    this.#marginMs = options.marginMs ?? 250;
    this.#isElevated = options.isElevated;
    this.#now = options.now ?? Date.now;
    this.#onDrop = options.onDrop ?? (() => {});
  }

  /** Marks the bot as moderator/broadcaster (or not) in a channel. */
  setElevated(channel: string, elevated: boolean): void {
    if (elevated) this.#elevatedIn.add(channel);
    else this.#elevatedIn.delete(channel);
  }

  /**
   * Where moderator/broadcaster status comes from (the current connection's USERSTATE);
   * a limiter shared across connections is pointed at each new one.
   */
  elevatedBy(isElevated: ((channel: string) => boolean) | undefined): void {
    this.#isElevated = isElevated;
  }

  /** Messages waiting. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Holds the queue (while the connection is down); messages still queue, bounded. */
  pause(): void {
    this.#paused = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Sends what waited, at the allowed pace. */
  resume(): void {
    this.#paused = false;
    this.#pump();
  }

  /** Queues a message; resolves once it was written, rejects if dropped. */
  send(channel: string, text: string, send: () => Promise<void>): Promise<void> {
    if (this.#closed) return Promise.reject(new ChatMessageDropped('closed'));
    return new Promise((resolve, reject) => {
      if (this.#queue.length >= this.#maxQueue) {
        const oldest = this.#queue.shift() as Pending;
        this.#onDrop(oldest.channel, oldest.text);
        oldest.reject(new ChatMessageDropped('queue-full'));
      }
      this.#queue.push({ channel, send, text, resolve, reject });
      this.#pump();
    });
  }

  /** Waits for a JOIN slot (20 per 10 s). */
  async join(send: () => Promise<void>): Promise<void> {
    for (;;) {
      const wait = this.#waitFor(this.#joined, this.#joins, this.#joinWindowMs);
      if (wait === 0) break;
      await new Promise((r) => setTimeout(r, wait).unref());
      if (this.#closed) throw new ChatMessageDropped('closed');
    }
    this.#joined.push(this.#now());
    await send();
  }

  /** Rejects everything queued and stops; returns how many messages were waiting. */
  close(): number {
    this.#closed = true;
    clearTimeout(this.#timer);
    const waiting = this.#queue.splice(0);
    for (const p of waiting) p.reject(new ChatMessageDropped('closed'));
    return waiting.length;
  }

  /** 0 when a slot is free now, else ms until one frees up. */
  #waitFor(log: number[], limit: number, windowMs: number): number {
    const now = this.#now();
    while (log.length > 0 && (log[0] as number) <= now - windowMs - this.#marginMs) log.shift();
    if (log.length < limit) return 0;
    return (log[log.length - limit] as number) + windowMs + this.#marginMs - now + 1;
  }

  #pump(): void {
    if (this.#timer || this.#closed || this.#paused) return;
    while (this.#queue.length > 0) {
      const next = this.#queue[0] as Pending;
      const elevated =
        this.#elevatedIn.has(next.channel) || (this.#isElevated?.(next.channel) ?? false);
      const limit = elevated ? this.#elevated : this.#normal;
      const wait = this.#waitFor(this.#sent, limit, this.#windowMs);
      if (wait > 0) {
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#pump();
        }, wait);
        this.#timer.unref();
        return;
      }
      this.#queue.shift();
      this.#sent.push(this.#now());
      next.send().then(next.resolve, next.reject);
    }
  }
}
