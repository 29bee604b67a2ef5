import { GatewayHub } from './gateway/hub.js';
import { InteractionTracker } from './interactions/tracker.js';
import { InvalidRequestCounter } from './limits/invalid-requests.js';
import { resolveRateLimits } from './limits/rate-limit-config.js';
import type { RateLimitOptions } from './limits/rate-limit-config.js';
import { RateLimiter } from './limits/rate-limiter.js';
import { Recorder } from './recorder.js';
import type { ReceivedRequest } from './recorder.js';
import { Seeder } from './state/seed.js';
import { SnowflakeFactory } from './state/snowflake.js';
import { DiscordStore } from './state/store.js';

/**
 * Options of `DiscordServer.start`. Every field has a Discord-like default.
 *
 * @example
 * ```ts
 * await DiscordServer.start({ now: () => clock, rateLimits: { global: { limit: 3, windowMs: 1000 } } });
 * ```
 */
export interface DiscordServerOptions {
  /** Clock for rate-limit math, ids and timestamps (default `Date.now`). */
  now?: () => number;
  /** Limits to override (merged over Discord's defaults). */
  rateLimits?: Partial<RateLimitOptions>;
  /** `heartbeat_interval` sent in HELLO (default 41250 ms). */
  heartbeatIntervalMs?: number;
  /** How many received requests `server.received` keeps (default 10,000). */
  maxRecords?: number;
  /** Messages kept per channel (default 10,000). */
  maxMessagesPerChannel?: number;
  /** Time allowed for the initial interaction response (default 3000 ms, Discord's). */
  interactionResponseMs?: number;
  /** Lifetime of an interaction token for follow-ups and edits (default 15 min). */
  interactionTokenMs?: number;
  /** Gateway events kept per session for RESUME (default 1000). */
  replayBufferSize?: number;
}

/** Options after defaults. */
export type ResolvedOptions = Required<Omit<DiscordServerOptions, 'rateLimits' | 'now'>>;

/**
 * The simulator's shared core: state, clock, limits, recorder, gateway and interaction
 * tracking. Routes and the public facade both work on it.
 *
 * @example
 * ```ts
 * const sb = new DiscordSandbox({}, (r) => console.log(r.path));
 * sb.setBaseUrl('127.0.0.1', 8080);
 * ```
 */
export class DiscordSandbox {
  readonly now: () => number;
  readonly options: ResolvedOptions;
  readonly limits: RateLimitOptions;
  readonly ids: SnowflakeFactory;
  readonly store: DiscordStore;
  readonly seeder: Seeder;
  readonly limiter: RateLimiter;
  readonly invalid: InvalidRequestCounter;
  readonly recorder: Recorder;
  readonly gateway: GatewayHub;
  readonly interactions: InteractionTracker;
  /** Extra latency of webhook executes, set by `server.stall(ms)`. */
  stallMs = 0;
  /** `http://127.0.0.1:PORT`. */
  httpUrl = '';
  /** `ws://127.0.0.1:PORT`. */
  wsUrl = '';
  readonly #sleeps = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  constructor(options: DiscordServerOptions, onRecord: (r: ReceivedRequest) => void) {
    this.now = options.now ?? Date.now;
    this.options = {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      maxRecords: options.maxRecords ?? 10_000,
      maxMessagesPerChannel: options.maxMessagesPerChannel ?? 10_000,
      interactionResponseMs: options.interactionResponseMs ?? 3000,
      interactionTokenMs: options.interactionTokenMs ?? 15 * 60_000,
      replayBufferSize: options.replayBufferSize ?? 1000,
    };
    this.limits = resolveRateLimits(options.rateLimits);
    this.ids = new SnowflakeFactory(this.now);
    this.store = new DiscordStore({ maxMessagesPerChannel: this.options.maxMessagesPerChannel });
    this.seeder = new Seeder(this.store, this.ids, this.now);
    this.limiter = new RateLimiter(this.now);
    this.invalid = new InvalidRequestCounter(this.limits.invalidRequestWindowMs, this.now);
    this.recorder = new Recorder(this.options.maxRecords, onRecord);
    this.gateway = new GatewayHub(this);
    this.interactions = new InteractionTracker();
  }

  setBaseUrl(host: string, port: number): void {
    this.httpUrl = `http://${host}:${port}`;
    this.wsUrl = `ws://${host}:${port}`;
  }

  /** Sleeps in progress (stalled webhook executes). */
  get pendingSleeps(): number {
    return this.#sleeps.size;
  }

  /** A real-time sleep that `dispose()` cuts short. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.#sleeps.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.#sleeps.add(entry);
    });
  }

  /** Ends sleeps, waiters and gateway sessions. */
  dispose(): void {
    for (const s of this.#sleeps) {
      clearTimeout(s.timer);
      s.resolve();
    }
    this.#sleeps.clear();
    this.interactions.dispose();
    this.gateway.terminateAll();
  }
}
