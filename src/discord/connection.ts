import { LogLevel, SapphireClient, type Command } from '@sapphire/framework';
import { Events, ShardClientUtil, type ApplicationCommandDataResolvable } from 'discord.js';
import type { Logger } from '../../core/index.js';
import type { ClusterClaim } from '../../core/cluster.js';
import { describeError } from '../../core/errors.js';
import type { Endpoints } from '../endpoints.js';
import type { PieceClass } from './pieces.js';
import { claimInteractions } from './interaction-claims.js';
import { SapphireRealm } from './realm.js';
import { sapphireLogger } from './sapphire-logger.js';

/** A command to put in a guild: its API data and the piece that runs it. */
export interface GuildCommand {
  pieceName: string;
  data: ApplicationCommandDataResolvable & { name: string };
}

/** Options of {@link DiscordConnection}. */
export interface DiscordConnectionOptions {
  token: string;
  endpoints: Endpoints;
  log: Logger;
  /** How long login may take before it is reported as failed; default 30 s. */
  readyTimeoutMs?: number;
  /** Instances sharing a Redis storage: each interaction is answered by one of them. */
  claim?: () => ClusterClaim | undefined;
}

/**
 * One Discord bot token's gateway connection: a SapphireClient in its own
 * {@link SapphireRealm}, logged in once, shared by every bot of bots.yaml using that
 * token. It loads and unloads pieces, and overwrites a guild's commands in one request.
 *
 * @example
 * ```ts
 * const conn = new DiscordConnection({ token, endpoints, log });
 * await conn.start(intentBits(['GuildMembers']).bits);
 * await conn.loadPiece('commands', 'alice.pinger.ping', PingPiece);
 * await conn.overwriteGuild(guildId, [{ pieceName: 'alice.pinger.ping', data: { name: 'ping', description: 'p' } }]);
 * ```
 */
export class DiscordConnection {
  readonly realm = new SapphireRealm({ skipCorePieces: ['CoreReady'] });
  readonly #o: DiscordConnectionOptions;
  readonly #log: Logger;
  #client: SapphireClient | undefined;
  #starting: Promise<void> | undefined;
  #connected = false;
  #error: string | undefined;
  #aliases = new Map<string, string[]>();

  constructor(options: DiscordConnectionOptions) {
    this.#o = options;
    this.#log = options.log.child({ component: 'discord' });
  }

  /** The client; exists once {@link DiscordConnection.start} was called. */
  get client(): SapphireClient {
    if (!this.#client) throw new Error('the Discord client is created when the bot starts');
    return this.#client;
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** Why login failed, if it did. */
  get error(): string | undefined {
    return this.#error;
  }

  /** Whether the client is logged in and its application known (commands can be registered). */
  get ready(): boolean {
    return !!this.#client?.isReady() && !!this.#client.application;
  }

  /**
   * Whether this process's gateway shards receive `guildId` (always when unsharded). Under
   * the shard manager (`DISCORD_SHARDS`), discord.js reads `SHARDS`/`SHARD_COUNT` and each
   * shard process registers commands in, and checks, only its own guilds.
   */
  ownsGuild(guildId: string): boolean {
    const { shards, shardCount } = this.#client?.options ?? {};
    if (!Array.isArray(shards) || !shardCount || shardCount <= 1) return true;
    return shards.includes(ShardClientUtil.shardIdForGuildId(guildId, shardCount));
  }

  /** Creates the client with `intents` and logs in (once); a failed login is reported, not thrown. */
  start(intents: number): Promise<void> {
    this.#starting ??= this.#login(intents);
    return this.#starting;
  }

  async #login(intents: number): Promise<void> {
    const client = this.realm.run(
      () =>
        new SapphireClient({
          intents,
          rest: { api: this.#o.endpoints.discordApi },
          baseUserDirectory: null,
          loadMessageCommandListeners: false,
          loadApplicationCommandRegistriesStatusListeners: false,
          logger: { level: LogLevel.Debug, instance: sapphireLogger(this.#log) },
        }),
    );
    this.#client = client;
    const claim = this.#o.claim?.();
    if (claim) claimInteractions(client, claim, this.#log);
    client.on(Events.ShardReady, () => this.#setConnected(true));
    client.on(Events.ShardResume, () => this.#setConnected(true));
    client.on(Events.ShardDisconnect, () => this.#setConnected(false));
    client.on(Events.ShardReconnecting, () => this.#setConnected(false));
    client.on(Events.Error, (err) => this.#log.error({ err }, 'discord client error'));
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('the gateway did not become ready in time')),
        this.#o.readyTimeoutMs ?? 30_000,
      );
    });
    try {
      await Promise.race([
        this.realm.run(() => client.login(this.#o.token)).then(() => ready),
        timeout,
      ]);
      client.id = client.user?.id ?? null;
      this.#connected = true;
      this.#log.info(
        { user: client.user?.username, guilds: client.guilds.cache.size },
        'discord connected',
      );
    } catch (err) {
      this.#error = describeError(err);
      this.#log.error(
        { err: this.#error },
        `Discord login failed: ${this.#error} (check the bot token, <BOT>_DISCORD_TOKEN, and DISCORD_API_URL)`,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** Loads a piece into this connection's stores (constructed inside its realm). */
  async loadPiece(store: string, name: string, piece: PieceClass): Promise<void> {
    await this.realm.run(() =>
      this.realm.stores.loadPiece({ store: store as never, name, piece: piece as never }),
    );
  }

  /** Unloads a piece if it is loaded. */
  async unloadPiece(store: string, name: string): Promise<void> {
    const s = this.realm.stores.get(store as never) as
      | { has(n: string): boolean; unload(n: string): Promise<unknown> }
      | undefined;
    if (s?.has(name)) await this.realm.run(() => s.unload(name));
  }

  /** A loaded command piece by name. */
  command(name: string): Command | undefined {
    return this.realm.stores.get('commands').get(name) as Command | undefined;
  }

  /**
   * Replaces the application's commands in one guild with `commands` (one bulk-overwrite
   * PUT; an empty list removes them all) and routes their new ids to the pieces.
   */
  async overwriteGuild(guildId: string, commands: readonly GuildCommand[]): Promise<void> {
    const client = this.client;
    if (!client.application) throw new Error('the Discord client is not logged in');
    const store = this.realm.stores.get('commands');
    for (const id of this.#aliases.get(guildId) ?? []) store.aliases.delete(id);
    const result = await client.application.commands.set(
      commands.map((c) => c.data),
      guildId,
    );
    const ids: string[] = [];
    for (const [id, registered] of result) {
      const entry = commands.find((c) => c.data.name === registered.name);
      const piece = entry ? store.get(entry.pieceName) : undefined;
      if (!piece) continue;
      store.aliases.set(id, piece);
      ids.push(id);
    }
    this.#aliases.set(guildId, ids);
  }

  /** Logs out and forgets every piece. */
  async stop(): Promise<void> {
    await this.#starting?.catch(() => {});
    const client = this.#client;
    if (!client) return;
    await this.realm.run(async () => {
      for (const store of this.realm.stores.values()) await store.unloadAll().catch(() => {});
    });
    await client.destroy();
    this.#connected = false;
  }

  #setConnected(up: boolean): void {
    // The first connect is logged once login completes.
    if (up !== this.#connected && this.#client?.isReady())
      this.#log.info({ connected: up }, up ? 'discord connected' : 'discord disconnected');
    this.#connected = up;
  }
}
