import type { ChatCommandDefinition, CommandInvocation, PluginContext } from '../../core/index.js';
import type { Counters } from './counters.js';
import { ChatError, type CustomCommands } from './custom-commands.js';
import type { ChannelCommands } from './custom-store.js';
import { FLAGS_USAGE, parseFlags } from './flags.js';
import { isCommandName, type ChatCommandsSettings } from './settings.js';
import { parseTemplate } from './template.js';
import type { Cooldown } from './text-command.js';

/** What the manage command works with. */
export interface ManageDeps {
  ctx: PluginContext;
  custom: CustomCommands;
  counters: Counters;
  /** Names (and aliases) of the commands from bots.yaml. */
  configured: ReadonlySet<string>;
  defaultCooldown: Cooldown;
}

/** Everything after the first `n` words, spacing kept. */
function after(text: string, n: number): string {
  const m = new RegExp(`^(?:\\S+\\s+){${n}}([\\s\\S]*)$`).exec(text.trim());
  return m ? (m[1] as string).trim() : '';
}

function describeCooldown(c: Cooldown): string {
  return `cooldown ${c.global}s, ${c.user}s per user`;
}

/**
 * `!cmd add|edit|del|alias|show`: moderators manage the channel's text commands in chat
 * (Nightbot style flags: `-ul=mod -cd=30 -ucd=60 -count=0`). Changes are stored and
 * survive a restart. Every answer is a threaded reply to the moderator.
 *
 * @example
 * ```text
 * !cmd add !discord -cd=30 Join us at https://discord.gg/xyz
 * !cmd edit discord -ul=sub
 * !cmd alias dc discord
 * !cmd del discord
 * ```
 */
export function manageCommand(
  settings: ChatCommandsSettings['manage'],
  deps: ManageDeps,
): ChatCommandDefinition {
  const prefix = deps.ctx.bot.prefix;
  const usage = `Usage: ${prefix}${settings.command} add|edit <name> [${FLAGS_USAGE}] <response> · del <name> · alias <alias> <command> · show <name>`;
  const nameOf = (word: string | undefined): string => {
    const raw = (word ?? '').toLowerCase();
    const name =
      raw.length > prefix.length && raw.startsWith(prefix) ? raw.slice(prefix.length) : raw;
    if (!isCommandName(name)) throw new ChatError(usage);
    return name;
  };
  const notOurs = (doc: ChannelCommands, name: string, channel: string): ChatError => {
    if (doc.aliases[name])
      return new ChatError(`!${name} is an alias of !${doc.aliases[name]}: change that one.`);
    if (deps.configured.has(name))
      return new ChatError(`!${name} is set in bots.yaml: change it there.`);
    if (deps.ctx.twitch.commands.find(name, channel))
      return new ChatError(`!${name} belongs to another cog and cannot be changed in chat.`);
    return new ChatError(`There is no !${name}: add it with ${prefix}${settings.command} add.`);
  };
  const readResponse = (text: string): string => {
    const { problems } = parseTemplate(text, 'command');
    const p = problems[0];
    if (p)
      throw new ChatError(`Not saved: ${p.message}. ${p.fix[0]?.toUpperCase()}${p.fix.slice(1)}`);
    return text;
  };

  const handlers: Record<string, (inv: CommandInvocation) => Promise<string>> = {
    async add(inv) {
      const name = nameOf(inv.args[1]);
      const { flags, rest, error } = parseFlags(inv.args.slice(2));
      if (error) throw new ChatError(error);
      const text = after(inv.argsText, inv.args.length - rest.length);
      if (!text) throw new ChatError(usage);
      const response = readResponse(text);
      await deps.custom.change(inv.channel, (doc) => {
        if (doc.commands[name])
          throw new ChatError(`!${name} already exists: use ${prefix}${settings.command} edit.`);
        if (doc.aliases[name] || deps.ctx.twitch.commands.find(name, inv.channel))
          throw new ChatError(`!${name} already exists.`);
        doc.commands[name] = {
          response,
          permission: flags.permission ?? 'everyone',
          cooldown: {
            global: flags.global ?? deps.defaultCooldown.global,
            user: flags.user ?? deps.defaultCooldown.user,
          },
          by: inv.user.login,
          at: new Date().toISOString(),
        };
      });
      await deps.counters.set(inv.channel, name, flags.count ?? 0);
      return `Added !${name}.`;
    },
    async edit(inv) {
      const name = nameOf(inv.args[1]);
      const { flags, rest, error } = parseFlags(inv.args.slice(2));
      if (error) throw new ChatError(error);
      const text = after(inv.argsText, inv.args.length - rest.length);
      if (!text && Object.keys(flags).length === 0) throw new ChatError(usage);
      const response = text ? readResponse(text) : undefined;
      await deps.custom.change(inv.channel, (doc) => {
        const cmd = doc.commands[name];
        if (!cmd) throw notOurs(doc, name, inv.channel);
        doc.commands[name] = {
          response: response ?? cmd.response,
          permission: flags.permission ?? cmd.permission,
          cooldown: {
            global: flags.global ?? cmd.cooldown.global,
            user: flags.user ?? cmd.cooldown.user,
          },
          by: inv.user.login,
          at: new Date().toISOString(),
        };
      });
      if (flags.count !== undefined) await deps.counters.set(inv.channel, name, flags.count);
      return `Updated !${name}.`;
    },
    async del(inv) {
      const name = nameOf(inv.args[1]);
      const what = await deps.custom.change(inv.channel, (doc) => {
        if (doc.aliases[name]) {
          delete doc.aliases[name];
          return 'alias';
        }
        if (!doc.commands[name]) throw notOurs(doc, name, inv.channel);
        delete doc.commands[name];
        for (const [alias, target] of Object.entries(doc.aliases))
          if (target === name) delete doc.aliases[alias];
        return 'command';
      });
      if (what === 'command') await deps.counters.delete(inv.channel, name);
      return what === 'alias' ? `Deleted the alias !${name}.` : `Deleted !${name}.`;
    },
    async alias(inv) {
      const alias = nameOf(inv.args[1]);
      const wanted = nameOf(inv.args[2]);
      const target = deps.ctx.twitch.commands.find(wanted, inv.channel);
      if (!target) throw new ChatError(`There is no !${wanted} to point !${alias} at.`);
      await deps.custom.change(inv.channel, (doc) => {
        if (
          doc.commands[alias] ||
          doc.aliases[alias] ||
          deps.ctx.twitch.commands.find(alias, inv.channel)
        )
          throw new ChatError(`!${alias} already exists.`);
        doc.aliases[alias] = target.name;
      });
      return `!${alias} now runs !${target.name}.`;
    },
    async show(inv) {
      const name = nameOf(inv.args[1]);
      const doc = await deps.custom.doc(inv.channel);
      const cmd = doc.commands[name];
      if (cmd) {
        const used = await deps.counters.get(inv.channel, name);
        return `!${name} (${cmd.permission}, ${describeCooldown(cmd.cooldown)}, count ${used}): ${cmd.response}`;
      }
      if (doc.aliases[name]) return `!${name} runs !${doc.aliases[name]}.`;
      const def = deps.ctx.twitch.commands.find(name, inv.channel);
      if (!def) throw new ChatError(`There is no !${name}.`);
      const origin = deps.configured.has(def.name) ? 'bots.yaml' : 'a cog';
      return `!${def.name} (from ${origin}, ${def.permission ?? 'everyone'})${def.description ? `: ${def.description}` : ''}`;
    },
  };
  const synonyms = new Map([
    ['delete', 'del'],
    ['remove', 'del'],
    ['rm', 'del'],
    ['info', 'show'],
    ['new', 'add'],
  ]);

  return {
    name: settings.command,
    description: 'Add, edit and delete text commands',
    permission: settings.permission,
    async run(inv) {
      const word = inv.args[0]?.toLowerCase() ?? '';
      const key = synonyms.get(word) ?? word;
      const handler = Object.hasOwn(handlers, key) ? handlers[key] : undefined;
      try {
        if (!handler) throw new ChatError(usage);
        await inv.reply(await handler(inv));
      } catch (err) {
        if (!(err instanceof ChatError)) throw err;
        await inv.reply(err.message);
      }
    },
  };
}
