import { WebhookError, type WebhookRef } from '../../core/index.js';
import type { GoLiveDeps } from './deps.js';
import type { Ingest } from './ingest.js';
import type { TrackingOwner } from './tracking-store.js';

/**
 * A channel as `GET /api/tracking/:discordChannelId` answers (the Tatsumaki service's shape).
 *
 * @example
 * ```ts
 * const { names, webhook }: ChannelView = await api.channel('123456789012345678');
 * ```
 */
export interface ChannelView {
  channel_id: string;
  /** Twitch logins tracked in the channel (empty when none). */
  names: string[];
  webhook: WebhookRef | null;
  /** Set when Discord said the webhook is gone: posts stopped until a new one is given. */
  disabled?: { reason: string; at: string };
}

/**
 * How `track` went.
 *
 * @example
 * ```ts
 * const out: TrackOutcome = await api.track(channelId, 'ada', hook, owner); if ('channel' in out) ok();
 * ```
 */
export type TrackOutcome =
  | { status: 'created' | 'exists'; channel: ChannelView; replacedWebhook?: string }
  | { status: 'unknown_user' | 'bad_webhook' | 'wrong_channel'; message: string };

/**
 * The tracking service of one bot's go-live cog, as the `/api/tracking` router and the
 * `/live` commands use it. Published on the bus as `go-live:tracking.ready`.
 *
 * @example
 * ```ts
 * runtime.bus.on('go-live:tracking.ready', ({ bot, api }) => apis.set(bot, api));
 * await api.track('123', 'shroud', { id: '9', token: 'abc' }, { kind: 'api', client: 'shard-0' });
 * ```
 */
export interface TrackingApi {
  readonly bot: string;
  track(
    channelId: string,
    login: string,
    webhook: WebhookRef,
    owner: TrackingOwner,
    extra?: { roleId?: string; guildId?: string },
  ): Promise<TrackOutcome>;
  untrack(
    channelId: string,
    login: string,
    webhookId?: string,
  ): Promise<'removed' | 'not_tracked' | 'wrong_webhook'>;
  channel(channelId: string): Promise<ChannelView>;
  list(): Promise<ChannelView[]>;
}

/**
 * Builds the {@link TrackingApi}: `track` checks the login on Twitch and the webhook with
 * Discord (it must exist and post in that channel), then stores it (one webhook per
 * channel: a new one replaces the old, which repairs a deleted webhook) and subscribes the
 * streamer's events.
 *
 * @example
 * ```ts
 * const api = createTrackingApi(deps, ingest);
 * await ctx.events.emit('go-live:tracking.ready', { bot: ctx.bot.name, api });
 * ```
 */
export function createTrackingApi(deps: GoLiveDeps, ingest: Ingest): TrackingApi {
  const { tracking, disabled, ctx } = deps;
  const view = async (channelId: string): Promise<ChannelView> => {
    const c = await tracking.get(channelId);
    if (!c) return { channel_id: channelId, names: [], webhook: null };
    const off = disabled.get(c.webhook.id);
    return {
      channel_id: channelId,
      names: Object.keys(c.names).sort(),
      webhook: c.webhook,
      ...(off ? { disabled: { reason: off.reason, at: off.at } } : {}),
    };
  };
  return {
    bot: ctx.bot.name,
    async track(channelId, rawLogin, webhook, owner, extra = {}) {
      const login = rawLogin.toLowerCase();
      const [user] = await deps.twitch.users([login]);
      if (!user) return { status: 'unknown_user', message: `no Twitch user "${login}"` };
      try {
        const info = await ctx.webhooks.get(webhook);
        if (info.channelId !== channelId)
          return {
            status: 'wrong_channel',
            message: `webhook ${webhook.id} posts in channel ${info.channelId}, not ${channelId}; give the webhook of channel ${channelId}`,
          };
        extra = { ...extra, guildId: extra.guildId ?? info.guildId };
      } catch (err) {
        if (err instanceof WebhookError && !err.retryable)
          return { status: 'bad_webhook', message: err.message };
        throw err;
      }
      const done = await tracking.track(channelId, login, webhook, owner, extra);
      if (done.replacedWebhook)
        ctx.log.info(
          { channelId, old: done.replacedWebhook, new: webhook.id },
          'go-live: the channel has a new webhook; it replaces the old one',
        );
      await ingest.sync();
      return {
        status: done.created ? 'created' : 'exists',
        channel: await view(channelId),
        ...(done.replacedWebhook ? { replacedWebhook: done.replacedWebhook } : {}),
      };
    },
    async untrack(channelId, login, webhookId) {
      const outcome = await tracking.untrack(channelId, login.toLowerCase(), webhookId);
      if (outcome === 'removed') await ingest.sync();
      return outcome;
    },
    channel: view,
    async list() {
      return Promise.all((await tracking.all()).map((c) => view(c.channelId)));
    },
  };
}
