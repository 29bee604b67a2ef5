import { definePlugin } from '../../core/index.js';
import { Counters } from './counters.js';
import { CustomCommands } from './custom-commands.js';
import { CustomCommandStore } from './custom-store.js';
import { listCommand } from './list.js';
import { manageCommand } from './manage.js';
import { chatCommandsSettings, type ChatCommandsSettings } from './settings.js';
import { StreamInfoCache } from './stream-info.js';
import { parseTemplate, type Template } from './template.js';
import { textCommand, type TextCommandDeps } from './text-command.js';
import { ChatTimer } from './timers.js';

/** Registers the text commands written in bots.yaml; returns their names and aliases. */
function registerConfigured(
  ctx: Parameters<Parameters<typeof definePlugin>[0]['setup']>[0],
  settings: ChatCommandsSettings,
  deps: TextCommandDeps,
): Set<string> {
  const names = new Set<string>();
  for (const [rawName, value] of Object.entries(settings.commands)) {
    const name = rawName.toLowerCase();
    const long = typeof value === 'string' ? { response: value } : value;
    const template = parseTemplate(long.response, 'command').template as Template;
    const spec = {
      name,
      template,
      permission: 'everyone' as const,
      cooldown: settings.default_cooldown,
      ...(typeof value === 'string'
        ? {}
        : {
            aliases: value.aliases,
            description: value.description,
            permission: value.permission,
            cooldown: value.cooldown ?? settings.default_cooldown,
            cooldownBypass: value.cooldown_bypass,
            allow: value.allow,
            deny: value.deny,
            reply: value.reply,
            channels: value.channels,
          }),
    };
    ctx.twitch.commands.register(textCommand(spec, deps));
    for (const n of [name, ...(spec.aliases ?? [])]) names.add(n.toLowerCase());
  }
  return names;
}

/**
 * Twitch chat commands as streamers know them from Nightbot, Fossabot, StreamElements and
 * pajbot: text commands from bots.yaml with variables, commands moderators add in chat
 * (`!cmd add`), `!commands`, and timers. Commands of other cogs (`ctx.twitch.commands`)
 * share the same prefix, permissions, cooldowns and outgoing limiter.
 *
 * @example
 * ```yaml
 * my_bot:
 *   channels: [alice]
 *   cogs:
 *     - chat-commands:
 *         commands:
 *           discord: "Join us at https://discord.gg/xyz"
 *           uptime: "{channel} has been live for {uptime}"
 *           hug: { response: "{displayName} hugs {touser}", permission: subscriber, cooldown: { user: 30 } }
 *         timers:
 *           - { every: 15m, min_chat_lines: 5, messages: ["Follow the stream!", "Join the Discord: !discord"] }
 * ```
 */
export default definePlugin({
  name: 'chat-commands',
  description: 'Text commands from bots.yaml and chat (!cmd), !commands, and timers',
  settings: chatCommandsSettings,
  needs: { twitchScopes: ['chat:read', 'chat:edit'] },
  async setup(ctx, settings) {
    const counters = new Counters(ctx.storage.namespace('count'));
    const streams = new StreamInfoCache(
      () => ctx.twitch.api,
      settings.helix_cache_seconds * 1000,
      ctx.log,
    );
    const deps: TextCommandDeps = { counters, streams };
    const configured = registerConfigured(ctx, settings, deps);
    if (settings.list.enabled)
      ctx.twitch.commands.register(listCommand(settings.list, ctx, settings.default_cooldown));
    if (settings.manage.enabled) {
      const store = new CustomCommandStore(ctx.storage.namespace('custom'), ctx.log);
      const custom = new CustomCommands(ctx, store, deps);
      await custom.loadAll();
      ctx.twitch.commands.register(
        manageCommand(settings.manage, {
          ctx,
          custom,
          counters,
          configured,
          defaultCooldown: settings.default_cooldown,
        }),
      );
    }
    settings.timers.forEach((t, i) => new ChatTimer(ctx, t, streams, i).start());
  },
});
