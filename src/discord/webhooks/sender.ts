import { REST, Routes, type APIMessage, type APIWebhook, type RESTOptions } from 'discord.js';
import type { Registry } from 'prom-client';
import type { Logger } from '../../../core/log.js';
import {
  WebhookError,
  type DiscordWebhooks,
  type WebhookCallOptions,
  type WebhookRef,
  type WebhookService,
} from '../../../core/webhooks.js';
import {
  ChannelLimiter,
  type ChannelLimiterOptions,
  type ChannelTicket,
} from './channel-limiter.js';
import { GlobalGate } from './global-gate.js';
import { toWebhookError } from './errors.js';
import { webhookMetrics, type WebhookMetrics } from './metrics.js';

/**
 * Options of {@link WebhookSender}.
 *
 * @example
 * ```ts
 * new WebhookSender({ apiUrl: 'https://discord.com/api', log, globalPerSecond: 25 });
 * ```
 */
export interface WebhookSenderOptions {
  /** Discord REST base without the version (`Endpoints.discordApi`). */
  apiUrl: string;
  log: Logger;
  /** Where the metrics go (`runtime.metrics.registry`); can be given later with {@link WebhookSender.useRegistry}. */
  registry?: Registry;
  /** @discordjs/rest options (timeout, offset). */
  rest?: Partial<RESTOptions>;
  /**
   * Discord's global limit for this process's webhook calls, per second; default 50. Lower
   * it when several processes send from one IP address.
   */
  globalPerSecond?: number;
  /** Discord's per-channel limit; default 30 per 60 s. `false` turns the pacing off. */
  channelLimit?: ChannelLimiterOptions | false;
}

/**
 * Counters since the sender started.
 *
 * @example
 * ```ts
 * const { requests, received429 } = sender.stats();
 * ```
 */
export interface WebhookSenderStats {
  /** Requests handed to Discord. */
  requests: number;
  /** 429 responses received (by `X-RateLimit-Scope`). */
  received429: Record<string, number>;
  /** Times a call waited for a bucket (headers) or the global limit before sending. */
  waitedBeforeSending: number;
  /** Webhooks Discord said are gone. */
  gone: number;
  /** Calls refused without a request because their webhook is gone. */
  refusedGone: number;
}

type Op = 'execute' | 'edit' | 'delete' | 'get';

/**
 * The process's Discord webhook sender: one @discordjs/rest client (no bot token) whose
 * rate-limit handling is shared by every bot and cog, so the global limit (50/s) and each
 * webhook's bucket (read from `X-RateLimit-*` headers) are honoured before sending. On top:
 * posts are paced to Discord's 30 per minute per channel (which no header announces), calls
 * to one webhook go one at a time, and a webhook Discord called gone (404 10015) is never
 * called again. Tokens never reach a log.
 *
 * @example
 * ```ts
 * const sender = new WebhookSender({ apiUrl: endpoints.discordApi, log });
 * const webhooks = sender.forCog({ bot: 'alice', cog: 'go-live', log });
 * await webhooks.execute(hook, { content: 'Live!', allowed_mentions: { parse: [] } });
 * ```
 */
export class WebhookSender implements WebhookService {
  readonly rest: REST;
  readonly #log: Logger;
  readonly #limiter: ChannelLimiter | undefined;
  readonly #gate: GlobalGate;
  readonly #gone = new Set<string>();
  readonly #channels = new Map<string, string>();
  readonly #locks = new Map<string, Promise<void>>();
  #metrics: WebhookMetrics | undefined;
  #stats: WebhookSenderStats = {
    requests: 0,
    received429: {},
    waitedBeforeSending: 0,
    gone: 0,
    refusedGone: 0,
  };

  constructor(options: WebhookSenderOptions) {
    this.#log = options.log.child({ component: 'webhooks' });
    this.#gate = new GlobalGate(options.globalPerSecond ?? 50, 1000);
    this.rest = new REST({
      api: options.apiUrl,
      version: '10',
      // Retries are the caller's (a durable queue backs off); an immediate retry of a post
      // whose answer was lost would only risk a duplicate.
      retries: 0,
      timeout: 15_000,
      // The global limit is kept by GlobalGate (by arrival, not by sending time); the REST
      // client still obeys a global 429 (X-RateLimit-Global) if one ever comes.
      globalRequestsPerSecond: 1_000_000,
      ...options.rest,
    });
    this.rest.on('response', (_req, res) => {
      this.#stats.requests++;
      if (res.status !== 429) return;
      const scope = res.headers.get('x-ratelimit-scope') ?? 'unknown';
      this.#stats.received429[scope] = (this.#stats.received429[scope] ?? 0) + 1;
      this.#metrics?.rateLimits.inc({ kind: '429', scope });
      this.#log.warn({ scope }, 'discord webhook: 429 received');
    });
    this.rest.on('rateLimited', (info) => {
      this.#stats.waitedBeforeSending++;
      this.#metrics?.rateLimits.inc({ kind: 'waited', scope: info.global ? 'global' : 'bucket' });
    });
    const limit = options.channelLimit ?? { limit: 30, windowMs: 60_000 };
    this.#limiter = limit === false ? undefined : new ChannelLimiter(limit);
    if (options.registry) this.useRegistry(options.registry);
  }

  /** Registers the metrics in a Prometheus registry (the runtime's, once it exists). */
  useRegistry(registry: Registry): void {
    this.#metrics = webhookMetrics(registry);
  }

  stats(): WebhookSenderStats {
    return {
      ...this.#stats,
      waitedBeforeSending: this.#stats.waitedBeforeSending + this.#gate.waits,
      received429: { ...this.#stats.received429 },
    };
  }

  /** The {@link DiscordWebhooks} of one cog (its metrics carry bot and cog). */
  forCog(scope: { bot: string; cog: string; log: Logger }): DiscordWebhooks {
    const labels = { bot: scope.bot, cog: scope.cog };
    const call = <T>(op: Op, hook: WebhookRef, o: WebhookCallOptions, fn: () => Promise<T>) =>
      this.#call(op, hook, o, labels, fn);
    const route = (h: WebhookRef) => Routes.webhook(h.id, h.token);
    return {
      execute: (hook, post, o = {}) =>
        call('execute', hook, o, async () => {
          const ticket = this.#pace(hook, o);
          const body = { ...post, allowed_mentions: post.allowed_mentions ?? { parse: [] } };
          const query = new URLSearchParams({ wait: 'true' });
          const msg = (await this.rest
            .post(route(hook), { auth: false, body, query, signal: o.signal })
            .finally(() => ticket && this.#limiter?.done(ticket))) as APIMessage;
          this.#channels.set(hook.id, msg.channel_id);
          if (o.since !== undefined)
            this.#metrics?.latency.observe(labels, (Date.now() - +o.since) / 1000);
          return { id: msg.id, channelId: msg.channel_id, webhookId: hook.id };
        }),
      edit: (hook, messageId, edit, o = {}) =>
        call('edit', hook, o, async () => {
          const body = { ...edit, allowed_mentions: edit.allowed_mentions ?? { parse: [] } };
          const msg = (await this.rest.patch(
            Routes.webhookMessage(hook.id, hook.token, messageId),
            {
              auth: false,
              body,
              signal: o.signal,
            },
          )) as APIMessage;
          return { id: msg.id, channelId: msg.channel_id, webhookId: hook.id };
        }),
      delete: (hook, messageId, o = {}) =>
        call('delete', hook, o, async () => {
          await this.rest.delete(Routes.webhookMessage(hook.id, hook.token, messageId), {
            auth: false,
            signal: o.signal,
          });
        }),
      get: (hook, o = {}) =>
        call('get', hook, o, async () => {
          const w = (await this.rest.get(route(hook), {
            auth: false,
            signal: o.signal,
          })) as APIWebhook;
          if (w.channel_id) this.#channels.set(hook.id, w.channel_id);
          return {
            id: w.id,
            channelId: w.channel_id ?? '',
            guildId: w.guild_id ?? undefined,
            name: w.name ?? undefined,
          };
        }),
      isGone: (id) => this.#gone.has(id),
    };
  }

  /** Stops the REST client's sweep timers. */
  close(): void {
    this.rest.clearHashSweeper();
    this.rest.clearHandlerSweeper();
  }

  /** Throws `rate_limited` when the webhook's channel had its 30 posts this minute. */
  #pace(hook: WebhookRef, o: WebhookCallOptions): ChannelTicket | undefined {
    const channel = o.channelId ?? this.#channels.get(hook.id);
    if (!channel || !this.#limiter) return undefined;
    const wait = this.#limiter.take(channel);
    if (typeof wait === 'number') {
      this.#metrics?.rateLimits.inc({ kind: 'waited', scope: 'channel' });
      throw new WebhookError(
        'rate_limited',
        `channel ${channel} had its 30 webhook posts this minute; try again in ${Math.ceil(wait / 1000)} s`,
        { retryAfterMs: wait },
      );
    }
    return wait;
  }

  async #call<T>(
    op: Op,
    hook: WebhookRef,
    o: WebhookCallOptions,
    labels: { bot: string; cog: string },
    fn: () => Promise<T>,
  ): Promise<T> {
    const what = `${op} webhook ${hook.id}`;
    const goneError = () => {
      this.#stats.refusedGone++;
      return new WebhookError(
        'gone',
        `${what}: Discord said this webhook is gone; not calling it again`,
      );
    };
    if (this.#gone.has(hook.id)) throw goneError();
    const run = this.#serial(hook.id, o.signal, async () => {
      if (this.#gone.has(hook.id)) throw goneError();
      await this.#gate.acquire(o.signal);
      try {
        const result = await fn();
        this.#metrics?.requests.inc({ ...labels, op, outcome: 'ok' });
        return result;
      } catch (err) {
        const e = toWebhookError(err, what);
        this.#metrics?.requests.inc({ ...labels, op, outcome: e.kind });
        if (e.kind === 'gone' && !this.#gone.has(hook.id)) {
          this.#gone.add(hook.id);
          this.#stats.gone++;
          this.#log.warn({ webhookId: hook.id, code: e.code }, e.message);
        }
        throw e;
      } finally {
        this.#gate.release();
      }
    });
    return run.catch((err: unknown) => Promise.reject(toWebhookError(err, what)));
  }

  /** Runs calls to one webhook one at a time, in order. */
  async #serial<T>(id: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(id) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => mine);
    this.#locks.set(id, tail);
    try {
      if (signal) {
        const aborted = new Promise<never>((_, reject) => {
          if (signal.aborted) reject(signal.reason);
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
        await Promise.race([previous, aborted]);
      } else await previous;
      return await fn();
    } finally {
      release();
      if (this.#locks.get(id) === tail) this.#locks.delete(id);
    }
  }
}
