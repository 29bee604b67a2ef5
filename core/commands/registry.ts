import type { Disposer } from '../disposer.js';
import { StreamcogsError } from '../errors.js';
import type {
  ChatCommandDefinition,
  ChatMessage,
  ChatUser,
  CommandInvocation,
} from '../platform.js';
import { Cooldowns } from './cooldowns.js';
import { mayRun } from './permissions.js';

interface Entry {
  owner: string;
  definition: ChatCommandDefinition;
  run: (invocation: CommandInvocation) => Promise<void>;
}

/** What a parsed chat line asks for. */
export interface ParsedCommand {
  name: string;
  args: string[];
  argsText: string;
}

/**
 * Splits `!name arg1 arg2` after the bot's prefix; null when the line is not a command.
 *
 * @example
 * ```ts
 * parseCommand('!So  Alice', '!'); // { name: 'so', args: ['Alice'], argsText: 'Alice' }
 * ```
 */
export function parseCommand(text: string, prefix: string): ParsedCommand | null {
  if (!text.startsWith(prefix)) return null;
  const body = text.slice(prefix.length).trimStart();
  const match = /^(\S+)\s*([\s\S]*)$/.exec(body);
  if (!match) return null;
  const argsText = (match[2] ?? '').trim();
  return {
    name: (match[1] as string).toLowerCase(),
    args: argsText ? argsText.split(/\s+/) : [],
    argsText,
  };
}

/**
 * One bot's chat commands, shared by its cogs: case-insensitive names and aliases,
 * permission levels from badges, allow/deny lists, global and per-user cooldowns
 * (broadcaster and moderators bypass them unless `cooldownBypass: false`). A command
 * that is on cooldown or not permitted stays silent.
 *
 * @example
 * ```ts
 * const registry = new CommandRegistry('!');
 * registry.register('hello-cog', { name: 'hi', run: (c) => c.reply('hello') }, guardedRun);
 * await registry.handle(message); // true when a command ran
 * ```
 */
export class CommandRegistry {
  readonly #byName = new Map<string, Entry>();
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
   * Registers a command for a cog. A name or alias already taken by another
   * registration is an error naming both cogs.
   */
  register(
    owner: string,
    definition: ChatCommandDefinition,
    run: (invocation: CommandInvocation) => Promise<void>,
  ): Disposer {
    const names = [definition.name, ...(definition.aliases ?? [])].map((n) => n.toLowerCase());
    for (const n of names) {
      const taken = this.#byName.get(n);
      if (taken)
        throw new StreamcogsError(
          'SC_DUPLICATE_REGISTRATION',
          `chat command "${n}" of cog "${owner}" is already registered by cog "${taken.owner}"`,
          { fix: `rename one of them, or disable one of the cogs` },
        );
    }
    const entry: Entry = { owner, definition, run };
    for (const n of names) this.#byName.set(n, entry);
    return () => {
      for (const n of names) if (this.#byName.get(n) === entry) this.#byName.delete(n);
    };
  }

  /** The registered command a name or alias points to. */
  lookup(name: string): ChatCommandDefinition | undefined {
    return this.#byName.get(name.toLowerCase())?.definition;
  }

  /** Commands the user may run (each once), for `!commands`. */
  available(user: ChatUser): ChatCommandDefinition[] {
    const seen = new Set<Entry>();
    for (const e of this.#byName.values()) if (this.#permitted(e.definition, user)) seen.add(e);
    return [...seen].map((e) => e.definition).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Runs the command a chat line asks for, if any; returns whether one ran. */
  async handle(
    message: ChatMessage,
    send: { reply(text: string): Promise<void>; say(text: string): Promise<void> },
  ): Promise<boolean> {
    if (message.self) return false;
    const parsed = parseCommand(message.text, this.prefix);
    if (!parsed) return false;
    const entry = this.#byName.get(parsed.name);
    if (!entry) return false;
    const def = entry.definition;
    if (!this.#permitted(def, message.user)) return false;
    const cooldown = def.cooldown ?? {};
    const bypass =
      def.cooldownBypass !== false && (message.user.isBroadcaster || message.user.isModerator);
    const key = def.name.toLowerCase();
    if (!bypass && !this.#cooldowns.ready(key, message.user.login, cooldown)) return false;
    this.#cooldowns.hit(key, message.user.login, cooldown);
    await entry.run({
      name: parsed.name,
      user: message.user,
      channel: message.channel,
      args: parsed.args,
      argsText: parsed.argsText,
      message,
      reply: send.reply,
      say: send.say,
    });
    return true;
  }

  #permitted(def: ChatCommandDefinition, user: ChatUser): boolean {
    return mayRun(user, def.permission ?? 'everyone', { allow: def.allow, deny: def.deny });
  }
}
