import { definePlugin, z, type PluginContext } from '../../core/index.js';
import { EventLog } from './event-log.js';
import { explainUnknownEvent, resolveEventName, type ChannelEventType } from './event-names.js';
import { refreshStatuses } from './refresh.js';
import { createStatusApi, LOGIN } from './status-api.js';
import { StatusStore } from './status-store.js';
import { StreamTracker } from './tracker.js';

export type * from './types.js';
export type * from './bus-events.js';

const settings = z.object({
  events: z
    .array(z.string())
    .default(['stream.online', 'stream.offline'])
    .superRefine((names, issue) => {
      names.forEach((name, i) => {
        if (!resolveEventName(name))
          issue.addIssue({
            code: 'custom',
            path: [i],
            message: explainUnknownEvent(name),
          });
      });
    })
    .describe(
      "Events of the bot's channels, by twitch-creamery name (channel_raid, channel_stream_start, channel_points_redeemed, ...) or Twitch's (stream.online)",
    ),
  streamers: z
    .array(z.string().regex(LOGIN, 'a Twitch login: letters, digits and _'))
    .default([])
    .describe('More streamers whose live status is kept (besides the bot channels)'),
  refresh_seconds: z
    .number()
    .int()
    .min(30)
    .max(3600)
    .default(300)
    .describe(
      'How often live streams are refreshed from Helix (viewers, game, title, missed changes)',
    ),
  keep_events: z.number().int().min(10).max(10_000).default(1000).describe('Events kept per bot'),
  port: z
    .union([z.string(), z.number()])
    .optional()
    .describe(
      'twitch-creamery setting, ignored: EventSub arrives on the shared server at /eventsub',
    ),
});

function channelEvents(names: readonly string[]): ChannelEventType[] {
  const byType = new Map<string, ChannelEventType>();
  for (const name of names) {
    const e = resolveEventName(name);
    if (e) byType.set(e.type, e);
  }
  return [...byType.values()];
}

async function trackConfigured(
  ctx: PluginContext,
  tracker: StreamTracker,
  logins: readonly string[],
): Promise<string[]> {
  const users = await tracker.resolve(logins).catch((err: unknown) => {
    ctx.log.error(
      { err },
      'could not look the channels up on Twitch; retrying at the next refresh',
    );
    return [];
  });
  for (const u of users) tracker.add(u, 'config', ctx.bot.channels.includes(u.login));
  return logins.filter((l) => !users.some((u) => u.login === l));
}

/**
 * twitch-creamery's `eventsub` cog: subscribes the bot's channels to the `events:` list,
 * republishes every event on the bus as `twitch:<type>`, keeps the last events and each
 * streamer's live status, and serves the stream status API (`/api`, see src/api).
 */
export default definePlugin({
  name: 'eventsub',
  description:
    "Twitch EventSub events of the bot's channels on the bus (twitch:stream.online, ...), live status per streamer, the /api stream status service",
  settings,
  async setup(ctx, s) {
    if (s.port !== undefined)
      ctx.log.warn('`port` is ignored: EventSub arrives on the shared server at /eventsub');
    const store = new StatusStore(ctx.storage);
    const events = new EventLog(ctx.storage, s.keep_events, 1000, (err) =>
      ctx.log.warn({ err }, 'eventsub: the event list could not be stored; kept in memory'),
    );
    await events.load();
    const tracker = new StreamTracker(ctx, channelEvents(s.events), store, events);
    const wanted = [...new Set([...ctx.bot.channels, ...s.streamers].map((l) => l.toLowerCase()))];
    let unresolved = await trackConfigured(ctx, tracker, wanted);
    for (const a of await store.added())
      tracker.add({ id: a.user_id, login: a.login, display_name: a.display_name }, 'api', false);
    if (unresolved.length > 0) ctx.log.warn({ unresolved }, 'unknown Twitch users');

    const refresh = async () => {
      if (unresolved.length > 0) unresolved = await trackConfigured(ctx, tracker, unresolved);
      return refreshStatuses(tracker);
    };
    const api = { ...createStatusApi(ctx.bot.name, tracker), refresh };
    ctx.schedule.at(0, refresh);
    ctx.schedule.every(s.refresh_seconds * 1000, refresh);
    await ctx.events.emit('eventsub:api.ready', { bot: ctx.bot.name, api });
    ctx.onDispose(async () => {
      await ctx.events.emit('eventsub:api.stopped', { bot: ctx.bot.name });
      await events.flush();
    });
  },
});
