import type { Logger, PermissionLevel, Store } from '../../core/index.js';
import { isCommandName, LEVELS } from './settings.js';
import type { Cooldown } from './text-command.js';

/**
 * A text command a moderator made in chat, as stored.
 *
 * @example
 * ```ts
 * const cmd: StoredCommand = { response: 'Join us', permission: 'everyone', cooldown: { global: 5, user: 0 }, by: 'mod', at: '2025-01-01T00:00:00Z' };
 * ```
 */
export interface StoredCommand {
  response: string;
  permission: PermissionLevel;
  cooldown: Cooldown;
  /** Login of who last changed it. */
  by: string;
  /** ISO time of the last change. */
  at: string;
}

/** The chat-made commands and aliases of one channel. */
export interface ChannelCommands {
  commands: Record<string, StoredCommand>;
  /** Alias name -> command name. */
  aliases: Record<string, string>;
}

const INDEX = 'channels';

function validCommand(value: unknown): value is StoredCommand {
  const c = value as StoredCommand | undefined;
  return (
    typeof c?.response === 'string' &&
    (LEVELS as readonly string[]).includes(c.permission) &&
    typeof c.cooldown?.global === 'number' &&
    typeof c.cooldown.user === 'number'
  );
}

/**
 * Where chat-made commands live: one document per channel in the cog's storage, and an
 * index of the channels that have one (keyv cannot list keys). Entries that do not look
 * right are logged and skipped, never thrown.
 *
 * @example
 * ```ts
 * const store = new CustomCommandStore(ctx.storage.namespace('custom'), ctx.log);
 * const doc = await store.load('alice');
 * doc.commands.discord = { response: 'Join us', permission: 'everyone', cooldown: { global: 5, user: 0 }, by: 'mod', at: new Date().toISOString() };
 * await store.save('alice', doc);
 * ```
 */
export class CustomCommandStore {
  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  /** Channels with saved commands. */
  async channels(): Promise<string[]> {
    return (await this.store.get<string[]>(INDEX)) ?? [];
  }

  /** The channel's commands (empty when it has none). */
  async load(channel: string): Promise<ChannelCommands> {
    const raw = await this.store.get<ChannelCommands>(`channel:${channel}`);
    const doc: ChannelCommands = { commands: {}, aliases: {} };
    for (const [name, cmd] of Object.entries(raw?.commands ?? {})) {
      if (isCommandName(name) && validCommand(cmd)) doc.commands[name] = cmd;
      else this.log.warn({ channel, command: name }, `skipped a damaged saved command !${name}`);
    }
    for (const [alias, target] of Object.entries(raw?.aliases ?? {}))
      if (isCommandName(alias) && typeof target === 'string') doc.aliases[alias] = target;
    return doc;
  }

  /** Saves the channel's commands and remembers the channel in the index. */
  async save(channel: string, doc: ChannelCommands): Promise<void> {
    await this.store.set(`channel:${channel}`, doc);
    const index = await this.channels();
    if (!index.includes(channel)) await this.store.set(INDEX, [...index, channel]);
  }
}
