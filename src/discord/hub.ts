import type { Logger } from '../../core/index.js';
import { describeError } from '../../core/errors.js';
import type { Endpoints } from '../endpoints.js';
import type { BotDiscord } from './bot-discord.js';
import type { DiscordConnection, DiscordConnectionOptions, GuildCommand } from './connection.js';
import type { intentBits } from './flags.js';

/** The modules behind a connection (Sapphire and discord.js), loaded by {@link DiscordHub.load}. */
interface DiscordModules {
  BotDiscord: typeof BotDiscord;
  DiscordConnection: typeof DiscordConnection;
  intentBits: typeof intentBits;
}

let modules: Promise<DiscordModules> | undefined;

/** Sapphire and discord.js (~30-60 MB of RSS), imported by the first bot that has Discord. */
function loadModules(): Promise<DiscordModules> {
  modules ??= Promise.all([
    import('./bot-discord.js'),
    import('./connection.js'),
    import('./flags.js'),
  ]).then(([b, c, f]) => ({
    BotDiscord: b.BotDiscord,
    DiscordConnection: c.DiscordConnection,
    intentBits: f.intentBits,
  }));
  return modules;
}

/** Options of {@link DiscordHub}. */
export interface DiscordHubOptions {
  endpoints: Endpoints;
  log: Logger;
  /** Quiet time after the last registration change before guilds are overwritten; default 250 ms. */
  settleMs?: number;
  /** Instances sharing a Redis storage: each interaction is answered by one of them. */
  claim?: DiscordConnectionOptions['claim'];
}

/** What a bot brings to the hub. */
export interface DiscordBotSpec {
  bot: string;
  token: string;
  guilds: readonly string[];
  permissions: readonly string[];
  intents: readonly string[];
}

interface Entry {
  token: string;
  conn: DiscordConnection;
  bots: Set<BotDiscord>;
  planned: Set<string>;
  timer?: NodeJS.Timeout;
  /** Resolved after the scheduled overwrite ran. */
  waiters: (() => void)[];
  chain: Promise<void>;
}

/**
 * Every Discord connection of the process, one per bot token (bots of bots.yaml sharing
 * a Discord application share its client). It decides when guilds get their commands:
 * while held (startup) nothing is sent; on release each connection's guilds are
 * overwritten once; after that, changes are overwritten after a short quiet time, so a
 * reload that swaps several cogs still sends one request per guild.
 *
 * @example
 * ```ts
 * const hub = new DiscordHub({ endpoints, log });
 * await hub.load();                // Sapphire and discord.js, only when a bot has Discord
 * hub.hold();
 * const alice = hub.attach({ bot: 'alice', token, guilds, permissions: [], intents: [] });
 * await hub.start(alice);          // logs in
 * // ...cogs register commands...
 * await hub.release();             // one bulk overwrite per guild, then the checks
 * ```
 */
export class DiscordHub {
  readonly #o: DiscordHubOptions;
  readonly #entries = new Map<string, Entry>();
  #held = 0;
  readonly #pending = new Set<Entry>();
  #lib: DiscordModules | undefined;

  constructor(options: DiscordHubOptions) {
    this.#o = options;
  }

  /**
   * Loads Sapphire and discord.js; call it before {@link DiscordHub.plan} or
   * {@link DiscordHub.attach}. A process whose bots have no Discord never does (and never
   * pays for them).
   */
  async load(): Promise<void> {
    this.#lib ??= await loadModules();
  }

  get #modules(): DiscordModules {
    if (!this.#lib) throw new Error('DiscordHub.load() has not run yet');
    return this.#lib;
  }

  /** Announces intents a bot sharing `token` will need, before any of them logs in. */
  plan(token: string, intents: readonly string[]): void {
    const entry = this.#entry(token);
    for (const i of intents) entry.planned.add(i);
  }

  /** Registers a bot on its token's connection (created on first use, not yet logged in). */
  attach(spec: DiscordBotSpec): BotDiscord {
    const entry = this.#entry(spec.token);
    for (const i of spec.intents) entry.planned.add(i);
    const bd = new this.#modules.BotDiscord({
      ...spec,
      connection: entry.conn,
      log: this.#o.log.child({ bot: spec.bot, component: 'discord' }),
      requestSync: () => this.#request(entry),
    });
    entry.bots.add(bd);
    return bd;
  }

  /** Logs the bot's connection in (once) and asks for its guilds' first overwrite. */
  async start(bd: BotDiscord): Promise<void> {
    const entry = this.#entries.get(this.#tokenOf(bd));
    if (!entry) return;
    const intents = this.#modules.intentBits(entry.planned);
    if (intents.unknown.length > 0)
      bd.log.warn(
        { unknown: intents.unknown },
        'unknown Discord intents declared by cogs (ignored)',
      );
    await entry.conn.start(intents.bits);
    const missing = bd.intents.filter(
      (i) => !intents.names.includes(i) && !intents.unknown.includes(i),
    );
    if (missing.length > 0)
      bd.log.warn(
        { missing },
        'the shared Discord client logged in without intents this bot needs: restart to apply them',
      );
    this.#request(entry);
  }

  /** Removes a bot; the connection logs out when its last bot leaves. */
  async detach(bd: BotDiscord): Promise<void> {
    const entry = this.#entries.get(this.#tokenOf(bd));
    if (!entry) return;
    entry.bots.delete(bd);
    if (entry.bots.size > 0) return this.#request(entry);
    clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.waiters.splice(0).forEach((w) => w());
    this.#pending.delete(entry);
    this.#entries.delete(entry.token);
    await entry.chain;
    await entry.conn.stop();
  }

  /** Defers every overwrite until {@link DiscordHub.release} (startup). */
  hold(): void {
    this.#held++;
  }

  /** Ends a hold: overwrites the guilds of every connection that changed meanwhile. */
  async release(): Promise<void> {
    this.#held = Math.max(0, this.#held - 1);
    if (this.#held > 0) return;
    const pending = [...this.#pending];
    this.#pending.clear();
    await Promise.all(pending.map((e) => this.#sync(e)));
  }

  /** Resolves when no overwrite is waiting or running (tests, shutdown). */
  async settled(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      const entries = [...this.#entries.values()];
      const scheduled = entries.filter((e) => e.timer);
      if (scheduled.length === 0) {
        await Promise.all(entries.map((e) => e.chain));
        if (entries.every((e) => !e.timer)) return;
        continue;
      }
      await Promise.all(scheduled.map((e) => new Promise<void>((r) => e.waiters.push(r))));
    }
  }

  #entry(token: string): Entry {
    let entry = this.#entries.get(token);
    if (!entry) {
      const { endpoints, log, claim } = this.#o;
      const conn = new this.#modules.DiscordConnection({ token, endpoints, log, claim });
      entry = {
        token,
        conn,
        bots: new Set(),
        planned: new Set(),
        waiters: [],
        chain: Promise.resolve(),
      };
      this.#entries.set(token, entry);
    }
    return entry;
  }

  #tokenOf(bd: BotDiscord): string {
    for (const e of this.#entries.values()) if (e.bots.has(bd)) return e.token;
    return '';
  }

  #request(entry: Entry): void {
    if (this.#held > 0) {
      this.#pending.add(entry);
      return;
    }
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      const waiters = entry.waiters.splice(0);
      void this.#sync(entry).then(() => waiters.forEach((w) => w()));
    }, this.#o.settleMs ?? 250);
    entry.timer.unref();
  }

  #sync(entry: Entry): Promise<void> {
    entry.chain = entry.chain.then(() => this.#overwrite(entry)).catch(() => {});
    return entry.chain;
  }

  async #overwrite(entry: Entry): Promise<void> {
    const bots = [...entry.bots];
    await Promise.all(bots.map((b) => b.loaded()));
    if (!entry.conn.ready) return;
    const guilds = [...new Set(bots.flatMap((b) => b.guilds))].filter((g) =>
      entry.conn.ownsGuild(g),
    );
    const problems = new Map<BotDiscord, string[]>(bots.map((b) => [b, []]));
    for (const guildId of guilds) {
      const commands: GuildCommand[] = [];
      const owner = new Map<string, BotDiscord>();
      for (const b of bots) {
        if (!b.inGuild(guildId)) continue;
        for (const c of b.guildCommands(guildId)) {
          const first = owner.get(c.data.name);
          if (first) {
            problems
              .get(b)
              ?.push(
                `guild ${guildId}: /${c.data.name} of ${c.cog} is also registered by ${first === b ? 'another cog' : `bot "${first.bot}"`}; only the first is kept`,
              );
            continue;
          }
          owner.set(c.data.name, b);
          commands.push(c);
        }
      }
      try {
        await entry.conn.overwriteGuild(guildId, commands);
        this.#o.log.info(
          {
            guild: guildId,
            commands: commands.map((c) => c.data.name),
            bots: bots.map((b) => b.bot),
          },
          `discord: ${commands.length} command(s) registered in guild ${guildId} (bulk overwrite)`,
        );
      } catch (err) {
        for (const b of bots)
          if (b.inGuild(guildId))
            problems
              .get(b)
              ?.push(`guild ${guildId}: registering commands failed: ${describeError(err)}`);
      }
    }
    for (const b of bots) {
      b.setSyncProblems(problems.get(b) ?? []);
      await b.runChecks();
    }
  }
}
