import type { DiscordGuildCheck, Logger } from '../../core/index.js';
import { describeError } from '../../core/errors.js';
import { checkGuild } from './checks.js';
import type { DiscordConnection, GuildCommand } from './connection.js';

/** A slash (or context menu) command of one cog, as registered in guilds. */
export interface CommandEntry extends GuildCommand {
  cog: string;
  guilds: readonly string[];
}

/** Options of {@link BotDiscord}. */
export interface BotDiscordOptions {
  bot: string;
  guilds: readonly string[];
  /** Permission names the bot's cogs declare (`needs.discordPermissions`). */
  permissions: readonly string[];
  /** Intent names the bot's cogs declare (`needs.discordIntents`). */
  intents: readonly string[];
  connection: DiscordConnection;
  log: Logger;
  /** Asks for a bulk overwrite (and checks) of the connection's guilds soon. */
  requestSync(): void;
}

/**
 * One bot's share of a Discord connection: the commands and roles its cogs registered,
 * pieces still loading, and the latest guild checks.
 *
 * @example
 * ```ts
 * const bd = new BotDiscord({ bot: 'alice', guilds, permissions, intents, connection, log, requestSync });
 * bd.addCommand('alice.pinger.command.ping', { cog: 'pinger', pieceName, data, guilds });
 * bd.guildCommands(guildId); // what the next bulk overwrite sends
 * ```
 */
export class BotDiscord {
  readonly bot: string;
  readonly guilds: readonly string[];
  readonly permissions: readonly string[];
  readonly intents: readonly string[];
  readonly connection: DiscordConnection;
  readonly log: Logger;
  readonly #requestSync: () => void;
  readonly #commands = new Map<string, CommandEntry>();
  readonly #roles = new Map<symbol, { cog: string; guildId: string; role: string }[]>();
  readonly #loading = new Set<Promise<unknown>>();
  #checks: DiscordGuildCheck[] = [];
  #syncProblems: string[] = [];
  #reported = new Set<string>();

  constructor(options: BotDiscordOptions) {
    this.bot = options.bot;
    this.guilds = options.guilds;
    this.permissions = options.permissions;
    this.intents = options.intents;
    this.connection = options.connection;
    this.log = options.log;
    this.#requestSync = options.requestSync;
  }

  /** Whether `guildId` is one of the bot's guilds. */
  inGuild = (guildId: string | null | undefined): boolean =>
    !!guildId && this.guilds.includes(guildId);

  requestSync(): void {
    this.#requestSync();
  }

  /** Tracks a piece load so the next sync waits for it. */
  loading<T>(promise: Promise<T>): Promise<T> {
    this.#loading.add(promise);
    const done = (): void => void this.#loading.delete(promise);
    promise.then(done, done);
    return promise;
  }

  /** Resolves once every piece load started so far finished. */
  async loaded(): Promise<void> {
    while (this.#loading.size > 0) await Promise.allSettled([...this.#loading]);
  }

  addCommand(key: string, entry: CommandEntry): void {
    this.#commands.set(key, entry);
  }

  removeCommand(key: string): void {
    this.#commands.delete(key);
  }

  /** Roles a cog assigns in a guild; returns a key to remove them. */
  addRoles(cog: string, guildId: string, roles: readonly string[]): symbol {
    const key = Symbol(cog);
    this.#roles.set(
      key,
      roles.map((role) => ({ cog, guildId, role })),
    );
    return key;
  }

  removeRoles(key: symbol): void {
    this.#roles.delete(key);
  }

  /** The commands the bot's cogs want in `guildId`. */
  guildCommands(guildId: string): CommandEntry[] {
    return [...this.#commands.values()].filter((c) => c.guilds.includes(guildId));
  }

  /** Problems found while registering commands (replaced at each sync). */
  setSyncProblems(problems: string[]): void {
    this.#syncProblems = problems;
    this.#report(problems);
  }

  /** Runs the guild checks, logging each problem the first time it is seen. */
  async runChecks(): Promise<void> {
    if (!this.connection.ready) return;
    const roles = [...this.#roles.values()].flat();
    const checks: DiscordGuildCheck[] = [];
    for (const guildId of this.guilds.filter((g) => this.connection.ownsGuild(g))) {
      try {
        checks.push(
          await checkGuild(this.connection.client, {
            bot: this.bot,
            guildId,
            permissions: this.permissions,
            roles: roles.filter((r) => r.guildId === guildId),
          }),
        );
      } catch (err) {
        checks.push({
          guildId,
          present: false,
          missingPermissions: [],
          problems: [`guild ${guildId}: the check failed: ${describeError(err)}`],
        });
      }
    }
    this.#checks = checks;
    this.#report(checks.flatMap((c) => c.problems));
    const ok = checks.filter((c) => c.problems.length === 0).map((c) => c.guildName ?? c.guildId);
    if (ok.length > 0) this.log.info({ guilds: ok }, 'discord guild checks passed');
  }

  checks(): readonly DiscordGuildCheck[] {
    return this.#checks;
  }

  /** Every current problem: login, registration, checks. */
  problems(): string[] {
    const login = this.connection.error ? [`Discord login failed: ${this.connection.error}`] : [];
    return [...login, ...this.#syncProblems, ...this.#checks.flatMap((c) => c.problems)];
  }

  /** Guilds as `Name (id)` once known. */
  guildLabels(): string[] {
    return this.guilds.map((id) => {
      const name = this.#checks.find((c) => c.guildId === id)?.guildName;
      return name ? `${name} (${id})` : id;
    });
  }

  #report(problems: readonly string[]): void {
    for (const p of problems) {
      if (this.#reported.has(p)) continue;
      this.#reported.add(p);
      this.log.warn({ problem: p }, `discord: ${p}`);
    }
  }
}
