import { definePlugin, z } from '../../core/index.js';

/**
 * twitch-creamery's example cog: logs every chat line the bot sees.
 * Enable it with `cogs: [echo_console]` (or `echo-console`).
 */
export default definePlugin({
  name: 'echo-console',
  description: 'Logs each chat message the bot sees (twitch-creamery example cog)',
  settings: z.object({
    /** Also log the bot's own messages. */
    includeSelf: z.boolean().default(false).describe("Also log the bot's own messages"),
  }),
  needs: { twitchScopes: ['chat:read'] },
  setup(ctx, settings) {
    ctx.twitch.chat.onMessage((message) => {
      if (message.self && !settings.includeSelf) return;
      ctx.log.info(
        { channel: message.channel, user: message.user.login },
        `#${message.channel} <${message.user.displayName}> ${message.text}`,
      );
    });
  },
});
