import type { ChatCommandDefinition, PluginContext } from '../../core/index.js';
import type { ChatCommandsSettings } from './settings.js';
import type { Cooldown } from './text-command.js';

/**
 * `!commands`: a threaded reply listing the commands the asker may use in this channel
 * (their level, allow and deny lists considered), from every cog of the bot.
 *
 * @example
 * ```ts
 * ctx.twitch.commands.register(listCommand(settings.list, ctx, { global: 5, user: 0 }));
 * // viewer: !commands  ->  bot: Commands: !commands, !discord, !hug
 * ```
 */
export function listCommand(
  settings: ChatCommandsSettings['list'],
  ctx: PluginContext,
  cooldown: Cooldown,
): ChatCommandDefinition {
  return {
    name: settings.command,
    description: 'Lists the commands you may use',
    cooldown,
    run: async (inv) => {
      const names = ctx.twitch.commands
        .available(inv.user, inv.channel)
        .map((d) => `${ctx.bot.prefix}${d.name}`);
      await inv.reply(`Commands: ${names.join(', ')}`);
    },
  };
}
