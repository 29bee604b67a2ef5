import { definePlugin, z, type PluginContext } from '../../core/index.js';

const settings = z.object({
  message: z
    .string()
    .min(1)
    .default('Go follow {name} at https://twitch.tv/{login}! They were last playing {game}.')
    .describe('What the bot says in chat: {name}, {login}, {game}, {by}'),
  permission: z
    .enum(['everyone', 'subscriber', 'vip', 'moderator', 'broadcaster'])
    .default('moderator')
    .describe('Who may give a shoutout'),
  cooldown_seconds: z
    .number()
    .int()
    .min(0)
    .default(30)
    .describe('Time between two shoutouts in a channel, moderators included'),
  discord_webhook_url: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('Also announce it in this Discord channel (a channel webhook URL; use ${VAR})'),
  discord_message: z
    .string()
    .min(1)
    .default('📣 {by} gave a shoutout to **{name}**: https://twitch.tv/{login}')
    .describe('The Discord announcement: {name}, {login}, {game}, {by}'),
});

/**
 * Fills `{key}` placeholders; unknown ones stay as written.
 *
 * @example
 * ```ts
 * fill('Go follow {name}!', { name: 'Ada' }); // 'Go follow Ada!'
 * ```
 */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (all, key: string) => values[key] ?? all);
}

/** Posts to a Discord channel webhook; mentions in the text never ping anyone. */
async function announce(ctx: PluginContext, url: string, content: string): Promise<void> {
  const res = await fetch(`${url}?wait=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ content, allowed_mentions: { parse: [] } }),
    signal: ctx.signal,
  });
  if (!res.ok) ctx.log.warn({ status: res.status }, 'Discord did not take the shoutout');
}

/**
 * `!so <user>` (or `!shoutout`): points chat at another streamer's channel, with what they
 * last played, and announces it in Discord when a webhook is set.
 *
 * @example
 * ```yaml
 * cogs:
 *   - shoutout:
 *       discord_webhook_url: ${SHOUTOUT_WEBHOOK}
 * ```
 */
export default definePlugin({
  name: 'shoutout',
  description: 'Gives shoutouts with !so <user>, in chat and in Discord',
  settings,
  needs: { twitchScopes: ['chat:read', 'chat:edit'] },
  setup(ctx, s) {
    ctx.twitch.commands.register({
      name: 'so',
      aliases: ['shoutout'],
      description: 'Shouts out another streamer: !so <user>',
      permission: s.permission,
      cooldown: { global: s.cooldown_seconds },
      cooldownBypass: false,
      async run(cmd) {
        const login = cmd.args[0]?.replace(/^@/, '').toLowerCase();
        if (!login) return cmd.reply(`Usage: ${ctx.bot.prefix}so <user>`);
        const user = await ctx.twitch.api.users.getUserByName(login);
        if (!user) return cmd.reply(`I can't find ${login} on Twitch.`);
        const channel = await ctx.twitch.api.channels.getChannelInfoById(user.id);
        const values = {
          name: user.displayName,
          login: user.name,
          game: channel?.gameName || 'something great',
          by: cmd.user.displayName,
        };
        await cmd.say(fill(s.message, values));
        if (s.discord_webhook_url)
          await announce(ctx, s.discord_webhook_url, fill(s.discord_message, values));
      },
    });
  },
});
