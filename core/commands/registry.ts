import type { Disposer } from '../disposer.js';
import { StreamcogsError } from '../errors.js';
import type {
  ChatCommandDefinition,
  ChatMessage,
  ChatUser,
  CommandInvocation,
} from '../platform.js';
import { Cooldowns } from './cooldowns.js';
import { parseCommand } from './parse.js';
import { mayRun } from './permissions.js';
import { covers, describeScope, overlaps, toScope, type Scope } from './scope.js';

export { parseCommand, type ParsedCommand } from './parse.js';

interface CommandEntry {
  kind: 'command';
  owner: string;
  definition: ChatCommandDefinition;
  channels: Scope;
  run: (invocation: CommandInvocation) => Promise<void>;
}

interface AliasEntry {
  kind: 'alias';
  owner: string;
  target: string;
  channels: Scope;
}

type Entry = CommandEntry | AliasEntry;

/** How a command answers: the platform's threaded reply and plain message. */
export interface CommandSend {
  reply(text: string): Promise<void>;
  say(text: string): Promise<void>;
}

/**
 * Or just a way to say something in a channel: replies then go through `message.reply`.
 * Lets the platform hand one function for every line instead of an object per line.
 */
export type ChannelSay = (channel: string, text: string) => Promise<void>;

const NOT_A_COMMAND: Promise<boolean> = Promise.resolve(false);

const NAME = /^\S{1,64}$/;

/**
 * One bot's chat commands, shared by its cogs: case-insensitive names and aliases,
 * optionally limited to some channels, permission levels from badges, allow/deny lists,
 * global and per-user cooldowns per channel (broadcaster and moderators bypass them unless
 * `cooldownBypass: false`). A command that is on cooldown or not permitted stays silent.
 *
 * @example
 * ```ts
 * const registry = new CommandRegistry('!');
 * registry.register('hello-cog', { name: 'hi', run: (c) => c.reply('hello') }, guardedRun);
 * registry.alias('hello-cog', 'hey', 'hi');
 * await registry.handle(message, { reply, say }); // true when a command ran
 * ```
 */
export class CommandRegistry {
  readonly #byName = new Map<string, Entry[]>();
  readonly #cooldowns: Cooldowns;

  constructor(
    private prefix: string,
    now: () => number = Date.now,
  ) {
    this.#cooldowns = new Cooldowns(now);
  }

  setPrefix(prefix: string): void {
    this.prefix = prefix;
  }

  /**
   * Registers a command for a cog. A name or alias already taken by another registration
   * (in a channel both would answer in) is an error naming both cogs.
   */
  register(
    owner: string,
    definition: ChatCommandDefinition,
    run: (invocation: CommandInvocation) => Promise<void>,
  ): Disposer {
    const channels = toScope(definition.channels);
    const names = [definition.name, ...(definition.aliases ?? [])].map((n) => n.toLowerCase());
    this.#checkFree(owner, names, channels);
    const entry: CommandEntry = { kind: 'command', owner, definition, channels, run };
    return this.#add(names, entry);
  }

  /**
   * Makes `name` run `target` in the given channels (default all). The target is looked up
   * each time, with its own permission and cooldowns; an alias of a missing command is silent.
   */
  alias(
    owner: string,
    name: string,
    target: string,
    options: { channels?: readonly string[] } = {},
  ): Disposer {
    const channels = toScope(options.channels);
    const n = name.toLowerCase();
    this.#checkFree(owner, [n], channels);
    return this.#add([n], { kind: 'alias', owner, target: target.toLowerCase(), channels });
  }

  /** The command a name or alias points to in `channel` (or in any channel). */
  find(name: string, channel?: string): ChatCommandDefinition | undefined {
    return this.#resolve(name.toLowerCase(), channel?.replace(/^#/, '').toLowerCase())?.definition;
  }

  /** Commands the user may run (each once; in `channel` when given), for `!commands`. */
  available(user: ChatUser, channel?: string): ChatCommandDefinition[] {
    const c = channel?.replace(/^#/, '').toLowerCase();
    const seen = new Set<CommandEntry>();
    for (const list of this.#byName.values())
      for (const e of list)
        if (e.kind === 'command' && covers(e.channels, c) && this.#permitted(e.definition, user))
          seen.add(e);
    return [...seen].map((e) => e.definition).sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Runs the command a chat line asks for, if any; resolves to whether one ran. A line that
   * is not a command costs one prefix compare and allocates nothing.
   */
  handle(message: ChatMessage, send: CommandSend | ChannelSay): Promise<boolean> {
    if (message.self || !message.text.startsWith(this.prefix)) return NOT_A_COMMAND;
    const parsed = parseCommand(message.text, this.prefix);
    if (!parsed) return NOT_A_COMMAND;
    const entry = this.#resolve(parsed.name, message.channel);
    if (!entry) return NOT_A_COMMAND;
    const def = entry.definition;
    if (!this.#permitted(def, message.user)) return NOT_A_COMMAND;
    const cooldown = def.cooldown ?? {};
    const bypass =
      def.cooldownBypass !== false && (message.user.isBroadcaster || message.user.isModerator);
    const key = `${message.channel}\u0000${def.name.toLowerCase()}`;
    if (!bypass && !this.#cooldowns.ready(key, message.user.login, cooldown)) return NOT_A_COMMAND;
    this.#cooldowns.hit(key, message.user.login, cooldown);
    const { reply, say } =
      typeof send === 'function'
        ? {
            reply: (text: string) => message.reply(text),
            say: (text: string) => send(message.channel, text),
          }
        : send;
    return entry
      .run({
        name: parsed.name,
        user: message.user,
        channel: message.channel,
        args: parsed.args,
        argsText: parsed.argsText,
        message,
        reply,
        say,
      })
      .then(() => true);
  }

  #find(name: string, channel: string | undefined): Entry | undefined {
    const list = this.#byName.get(name);
    if (!list) return undefined;
    for (const e of list) if (covers(e.channels, channel)) return e;
    return undefined;
  }

  #resolve(name: string, channel: string | undefined): CommandEntry | undefined {
    const e = this.#find(name, channel);
    if (e?.kind !== 'alias') return e;
    const target = this.#find(e.target, channel);
    return target?.kind === 'command' ? target : undefined;
  }

  #checkFree(owner: string, names: readonly string[], channels: Scope): void {
    for (const n of names) {
      if (!NAME.test(n))
        throw new StreamcogsError(
          'SC_COG_INVALID',
          `cog "${owner}" registers the chat command name "${n}", which is empty, too long or has spaces`,
          { fix: 'use one word of at most 64 characters, without the prefix' },
        );
      const taken = this.#byName.get(n)?.find((e) => overlaps(e.channels, channels));
      if (taken)
        throw new StreamcogsError(
          'SC_DUPLICATE_REGISTRATION',
          `chat command "${n}"${describeScope(channels)} of cog "${owner}" is already registered by cog "${taken.owner}"${describeScope(taken.channels)}`,
          { fix: 'rename one of them, or disable one of the cogs' },
        );
    }
  }

  #add(names: readonly string[], entry: Entry): Disposer {
    for (const n of names) {
      const list = this.#byName.get(n);
      if (list) list.push(entry);
      else this.#byName.set(n, [entry]);
    }
    return () => {
      for (const n of names) {
        const list = this.#byName.get(n);
        if (!list) continue;
        const i = list.indexOf(entry);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) this.#byName.delete(n);
      }
    };
  }

  #permitted(def: ChatCommandDefinition, user: ChatUser): boolean {
    return mayRun(user, def.permission ?? 'everyone', { allow: def.allow, deny: def.deny });
  }
}
