import { definePlugin, type PluginContext } from '../../core/index.js';
import { clockIn } from './daily.js';
import { settings, type Routine } from './settings.js';

export { durationMs } from './settings.js';

/** How often daily routines check the time. */
const DAILY_TICK_MS = 20_000;

/** One routine in one channel: its turn counter and the chat lines since it last spoke. */
class Turn {
  lines = 0;
  next = 0;
  constructor(
    readonly routine: Routine,
    readonly channel: string,
  ) {}
}

async function isLive(ctx: PluginContext, channel: string): Promise<boolean> {
  return (await ctx.twitch.api.streams.getStreamByUserName(channel)) !== null;
}

async function take(ctx: PluginContext, turn: Turn): Promise<void> {
  const r = turn.routine;
  if (turn.lines < r.min_chat_lines) {
    ctx.log.debug({ routine: r.name, channel: turn.channel }, 'routine skipped: quiet chat');
    return;
  }
  if (r.only_when_live && !(await isLive(ctx, turn.channel))) {
    ctx.log.debug({ routine: r.name, channel: turn.channel }, 'routine skipped: offline');
    return;
  }
  const text = (r.message[turn.next % r.message.length] ?? '').replaceAll(
    '{channel}',
    turn.channel,
  );
  turn.next++;
  turn.lines = 0;
  await ctx.twitch.chat.say(turn.channel, text);
}

/**
 * twitch-creamery's `routines` (TwitchIO routines), from settings: messages the bot says
 * every so often (`every: 10m`) or once a day (`at: '08:30'`), per channel, optionally only
 * while live or after enough chat.
 *
 * @example
 * ```yaml
 * cogs:
 *   - routines:
 *       routines:
 *         - { name: socials, every: 30m, message: 'Discord: https://discord.gg/example', min_chat_lines: 5 }
 *         - { name: birthday, at: '08:30', timezone: Europe/Paris, message: 'Happy birthday {channel}!' }
 * ```
 */
export default definePlugin({
  name: 'routines',
  description: 'Says messages on a schedule: every so often or daily (twitch-creamery routines)',
  settings,
  needs: { twitchScopes: ['chat:read', 'chat:edit'] },
  setup(ctx, s) {
    const turns = s.routines.flatMap((r) => {
      const channels = r.channels ?? ctx.bot.channels;
      const away = channels.filter((c) => !ctx.bot.channels.includes(c));
      if (away.length > 0)
        ctx.log.warn(
          { routine: r.name, channels: away },
          'routine skips channels the bot is not in',
        );
      return channels.filter((c) => ctx.bot.channels.includes(c)).map((c) => new Turn(r, c));
    });
    ctx.twitch.chat.onMessage((m) => {
      if (m.self) return;
      for (const t of turns) if (t.channel === m.channel) t.lines++;
    });
    // `once`: with several instances on Redis, one of them posts each turn.
    for (const turn of turns.filter((t) => t.routine.every !== undefined))
      ctx.schedule.every(turn.routine.every as number, () => take(ctx, turn), {
        once: `${turn.routine.name}:${turn.channel}`,
      });
    const daily = turns.filter((t) => t.routine.at !== undefined);
    if (daily.length === 0) return;
    ctx.schedule.every(DAILY_TICK_MS, async () => {
      for (const turn of daily) {
        const now = clockIn(new Date(), turn.routine.timezone);
        if (now.time !== turn.routine.at) continue;
        // Once per day, even with several ticks in the minute or several processes.
        const key = `daily:${turn.routine.name}:${turn.channel}:${now.day}`;
        if (await ctx.storage.claim(key, 36 * 3_600_000)) await take(ctx, turn);
      }
    });
  },
});
