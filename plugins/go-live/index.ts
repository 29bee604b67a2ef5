import { definePlugin, DurableQueue } from '../../core/index.js';
import { registerLiveCommand } from './commands.js';
import type { GoLiveDeps } from './deps.js';
import { DisabledWebhooks } from './disabled.js';
import { Ingest } from './ingest.js';
import type { GoLiveJobs } from './jobs.js';
import { lifecycleHandlers } from './lifecycle.js';
import { Notifier } from './notify.js';
import { postingHandlers } from './posting.js';
import { SessionStore } from './sessions.js';
import { settingsSchema } from './settings.js';
import { Targets } from './targets.js';
import { createTrackingApi } from './tracking-api.js';
import { TrackingStore } from './tracking-store.js';
import { TwitchLookups } from './twitch-lookups.js';

export type * from './bus-events.js';
export type { TrackingApi, ChannelView, TrackOutcome } from './tracking-api.js';
export type { TrackingOwner } from './tracking-store.js';
export type { GoLiveJobs, PostResult } from './jobs.js';
export type { GoLiveSettings } from './settings.js';

/**
 * Posts to Discord when a tracked streamer goes live: one post per stream session in every
 * channel that tracks them (bots.yaml `streamers:`, the `/api/tracking` API, `/live add`),
 * through channel webhooks, delivered by a durable queue (exactly once per session and
 * target, across restarts), edited or deleted when the stream ends.
 *
 * @example
 * ```yaml
 * alice:
 *   cogs:
 *     - go-live:
 *         roles: ['123456789012345678']
 *         streamers:
 *           alice: { webhook: '${ALICE_LIVE_WEBHOOK}', on_end: edit }
 * ```
 */
export default definePlugin({
  name: 'go-live',
  description:
    'Discord posts when tracked Twitch streamers go live: one per stream, in every channel tracking them',
  settings: settingsSchema,
  needs: { discordPermissions: ['ManageWebhooks', 'SendMessages', 'ViewChannel'] },
  async setup(ctx, settings) {
    const tracking = new TrackingStore(ctx.storage.namespace('tracking'));
    const disabled = new DisabledWebhooks(ctx.storage);
    await disabled.load();
    const deps = {
      ctx,
      settings,
      tracking,
      disabled,
      targets: new Targets(settings, tracking, disabled),
      sessions: new SessionStore(ctx.storage.namespace('sessions')),
      twitch: new TwitchLookups(ctx.twitch.api),
      notifier: new Notifier(ctx, disabled),
    } as GoLiveDeps;
    const d = settings.delivery;
    deps.queue = new DurableQueue<GoLiveJobs>({
      store: ctx.storage.namespace('queue'),
      name: `${ctx.bot.name}/go-live`,
      log: ctx.log,
      concurrency: d.concurrency,
      leaseMs: d.lease_seconds * 1000,
      retry: { attempts: d.max_attempts, baseMs: d.retry_base_seconds * 1000 },
      handlers: { ...lifecycleHandlers(deps), ...postingHandlers(deps) },
    });
    const ingest = new Ingest(deps);
    const api = createTrackingApi(deps, ingest);

    await deps.queue.start();
    ctx.onDispose(() => deps.queue.stop(5000));
    if (ctx.discord) registerLiveCommand(ctx.discord, deps, api);
    for (const name of ['twitch:stream.online', 'twitch:stream.offline'] as const)
      ctx.events.on(name, async (e) => {
        if (e.bot !== ctx.bot.name || e.source !== 'refresh' || !ingest.tracks(e.channel)) return;
        const ev = e.event as unknown as Parameters<Ingest['online']>[0];
        if (name === 'twitch:stream.online') await ingest.online(ev, e.at);
        else await ingest.offline(ev, e.at, e.messageId);
      });
    await ctx.events.emit('go-live:tracking.ready', { bot: ctx.bot.name, api });
    ctx.onDispose(() => ctx.events.emit('go-live:tracking.stopped', { bot: ctx.bot.name }));
    // Logins unknown at start (or tracked by another process) are looked up again.
    ctx.schedule.every(300_000, () => ingest.sync());
    // Twitch lookups may be slow: subscribe and catch up after setup returns.
    ctx.schedule.at(0, async () => {
      await ingest.sync();
      if (settings.catch_up) {
        const caught = await ingest.catchUp();
        if (caught.online + caught.offline > 0)
          ctx.log.info(caught, 'go-live: caught up with streams that changed while down');
      }
    });
  },
});
