import type {
  RESTPatchAPIWebhookWithTokenMessageJSONBody,
  RESTPostAPIWebhookWithTokenJSONBody,
} from 'discord.js';
import type { Logger } from './log.js';

/**
 * A Discord channel webhook: its id and secret token (never log the token).
 *
 * @example
 * ```ts
 * const hook: WebhookRef = parseWebhookUrl('https://discord.com/api/webhooks/123/abc')!;
 * ```
 */
export interface WebhookRef {
  id: string;
  token: string;
}

/**
 * A message a webhook posted.
 *
 * @example
 * ```ts
 * const { id, channelId } = await ctx.webhooks.execute(hook, { content: 'hi', allowed_mentions: { parse: [] } });
 * ```
 */
export interface WebhookMessage {
  id: string;
  channelId: string;
  webhookId: string;
}

/**
 * What Discord says about a webhook (`GET /webhooks/{id}/{token}`).
 *
 * @example
 * ```ts
 * const { channelId, guildId } = await ctx.webhooks.get(hook);
 * ```
 */
export interface WebhookInfo {
  id: string;
  channelId: string;
  guildId: string | undefined;
  name: string | undefined;
}

/**
 * The body of a webhook post; `allowed_mentions` is always sent (default: nobody).
 *
 * @example
 * ```ts
 * const post: WebhookPost = { content: 'Live!', allowed_mentions: { parse: [] } };
 * ```
 */
export type WebhookPost = RESTPostAPIWebhookWithTokenJSONBody;
/**
 * The body of a webhook message edit.
 *
 * @example
 * ```ts
 * const edit: WebhookEdit = { content: 'Was live', allowed_mentions: { parse: [] } };
 * ```
 */
export type WebhookEdit = RESTPatchAPIWebhookWithTokenMessageJSONBody;

/**
 * Options of one webhook call.
 *
 * @example
 * ```ts
 * await ctx.webhooks.execute(hook, post, { signal: job.signal, since: eventTime, channelId });
 * ```
 */
export interface WebhookCallOptions {
  /** Aborts the call (before or during the request). */
  signal?: AbortSignal;
  /**
   * When the thing announced happened: the time from it to Discord's acceptance is observed
   * in `streamcogs_webhook_delivery_latency_seconds` (posts only).
   */
  since?: Date | number;
  /** The webhook's channel, when known: paces posts to Discord's 30 per minute per channel. */
  channelId?: string;
}

/**
 * Why a webhook call failed.
 *
 * @example
 * ```ts
 * if (err instanceof WebhookError && err.kind === 'gone') disable(target);
 * ```
 */
export type WebhookErrorKind =
  /** The webhook was deleted or its token is wrong (404 10015, 401 50027): stop using it. */
  | 'gone'
  /** The message to edit or delete no longer exists (404 10008). */
  | 'message_gone'
  /** The channel's share of Discord's limit is used up: try again after `retryAfterMs`. */
  | 'rate_limited'
  /** Discord refused the request as it is (400, 403): retrying will not help. */
  | 'invalid'
  /** Discord failed (5xx): retry with backoff. */
  | 'server'
  /** No answer (network error, timeout, abort): it may or may not have been delivered. */
  | 'network';

/**
 * A failed webhook call, with what to do about it.
 *
 * @example
 * ```ts
 * try { await ctx.webhooks.execute(hook, post); }
 * catch (err) {
 *   if (err instanceof WebhookError && err.kind === 'gone') disableTarget(err.message);
 *   else if (err instanceof WebhookError && err.retryable) throw err; // the queue retries
 * }
 * ```
 */
export class WebhookError extends Error {
  readonly kind: WebhookErrorKind;
  readonly status: number | undefined;
  readonly code: number | undefined;
  /** For `rate_limited`: when to try again. */
  readonly retryAfterMs: number | undefined;

  constructor(
    kind: WebhookErrorKind,
    message: string,
    details: { status?: number; code?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'WebhookError';
    this.kind = kind;
    this.status = details.status;
    this.code = details.code;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** Whether trying again later can succeed. */
  get retryable(): boolean {
    return this.kind === 'server' || this.kind === 'network' || this.kind === 'rate_limited';
  }
}

/**
 * Discord webhooks as a cog sees them: no bot token needed. One sender per process honours
 * Discord's rate limits before sending (per-webhook buckets from the headers, the global
 * 50/s, 30 posts per minute per channel) and never calls a webhook again after Discord said
 * it is gone.
 *
 * @example
 * ```ts
 * const hook = parseWebhookUrl(settings.webhook)!;
 * const msg = await ctx.webhooks.execute(hook, { content: 'Live!', allowed_mentions: { parse: [] } });
 * await ctx.webhooks.edit(hook, msg.id, { content: 'Was live' });
 * ```
 */
export interface DiscordWebhooks {
  /** Posts a message and resolves with it once Discord accepted it. */
  execute(
    hook: WebhookRef,
    post: WebhookPost,
    options?: WebhookCallOptions,
  ): Promise<WebhookMessage>;
  /** Edits a message the webhook posted. */
  edit(
    hook: WebhookRef,
    messageId: string,
    edit: WebhookEdit,
    options?: WebhookCallOptions,
  ): Promise<WebhookMessage>;
  /** Deletes a message the webhook posted. */
  delete(hook: WebhookRef, messageId: string, options?: WebhookCallOptions): Promise<void>;
  /** Reads the webhook (checks it exists and where it posts). */
  get(hook: WebhookRef, options?: WebhookCallOptions): Promise<WebhookInfo>;
  /** Whether Discord said this webhook is gone (since the process started). */
  isGone(webhookId: string): boolean;
}

/**
 * The process's webhook sender, handing each cog its {@link DiscordWebhooks}.
 *
 * @example
 * ```ts
 * const webhooks = service.forCog({ bot: 'alice', cog: 'go-live', log });
 * ```
 */
export interface WebhookService {
  forCog(scope: { bot: string; cog: string; log: Logger }): DiscordWebhooks;
}

const WEBHOOK_URL = /\/webhooks\/(\d{5,25})\/([\w-]{10,200})\/?(?:[?#].*)?$/;

/**
 * The id and token of a webhook URL (`https://discord.com/api/webhooks/<id>/<token>`, any
 * host or API version), or undefined when it is not one.
 *
 * @example
 * ```ts
 * parseWebhookUrl('https://discord.com/api/webhooks/123456/abcdefghijkl'); // { id: '123456', token: 'abcdefghijkl' }
 * ```
 */
export function parseWebhookUrl(url: string): WebhookRef | undefined {
  const m = WEBHOOK_URL.exec(url.trim());
  return m ? { id: m[1] as string, token: m[2] as string } : undefined;
}

/**
 * The {@link DiscordWebhooks} of a process without a sender (kernel tests, tools): every
 * call fails with a message saying so.
 *
 * @example
 * ```ts
 * const webhooks = services.webhooks?.forCog(scope) ?? unavailableWebhooks('alice');
 * ```
 */
export function unavailableWebhooks(bot: string): DiscordWebhooks {
  const fail = (): Promise<never> =>
    Promise.reject(
      new WebhookError(
        'invalid',
        `bot "${bot}": this process has no Discord webhook sender; start it with src/app.ts (or pass \`webhooks\` to Runtime.start)`,
      ),
    );
  return { execute: fail, edit: fail, delete: fail, get: fail, isGone: () => false };
}
