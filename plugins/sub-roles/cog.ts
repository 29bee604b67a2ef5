import type { DiscordFacet, PluginContext, TwitchAccounts } from '../../core/index.js';
import { DiscordRoles } from './discord-roles.js';
import { LinkStore } from './links.js';
import { Reminders } from './reminders.js';
import { keyedSerial } from './serial.js';
import { managedRoles, needsSync, type Link, type RoleIds } from './model.js';
import type { SubRolesSettings } from './settings.js';

/**
 * What the cog remembers besides links (`meta` in its storage).
 *
 * @example
 * ```ts
 * const meta: Meta = { broadcaster: { id: '141981764', login: 'streamer' }, relinkMonth: '2026-11' };
 * ```
 */
export interface Meta {
  /** The broadcaster's Twitch account, once linked. */
  broadcaster?: { id: string; login: string };
  /** The role ids last resolved, with their names (for `streamcogs roles diff`). */
  roles?: RoleIds;
  roleNames?: Record<string, string>;
  lastReconcile?: ReconcileSummary;
  /** The month (`YYYY-MM`) whose relink sweep is done, and the next shard of a running one. */
  relinkMonth?: string;
  relinkCursor?: { month: string; shard: number };
}

/**
 * What one reconciliation saw and did.
 *
 * @example
 * ```ts
 * const { subscribers, jobs } = (await cog.meta()).lastReconcile ?? { subscribers: 0, jobs: 0 };
 * ```
 */
export interface ReconcileSummary {
  at: number;
  finishedAt: number;
  subscribers: number;
  pages: number;
  links: number;
  /** Links whose subscription changed. */
  changed: number;
  /** Role jobs enqueued. */
  jobs: number;
  graceStarted: number;
}

/**
 * A role job's input.
 *
 * @example
 * ```ts
 * const payload: SyncPayload = { discordId: '80351110224678912', reason: 'unlinked', clear: ['123'] };
 * ```
 */
export interface SyncPayload {
  discordId: string;
  reason: string;
  /** Roles to take away besides the managed ones (the roles of a link just removed). */
  clear?: string[];
}

/**
 * Kinds of DM.
 *
 * @example
 * ```ts
 * const kind: DmKind = 'grace';
 * ```
 */
export type DmKind = 'grace' | 'relink' | 'revoked' | 'remind' | 'remind-again';

/**
 * A DM job's input.
 *
 * @example
 * ```ts
 * await cog.queues.dm({ discordId: id, kind: 'grace', until: link.graceUntil }, `grace:${id}:${link.version}`);
 * ```
 */
export interface DmPayload {
  discordId: string;
  kind: DmKind;
  /** The deadline it announces (ms), for grace and relink. */
  until?: number;
}

/**
 * Enqueues work on the cog's durable queues (set up in index.ts).
 *
 * @example
 * ```ts
 * const key = await cog.queues.sync(link, { discordId: link.discordId, reason: 'subscribed' });
 * await cog.queues.settled(key, 4000);
 * ```
 */
export interface Queues {
  sync(link: Link | { discordId: string; version: number }, payload: SyncPayload): Promise<string>;
  syncMany(items: { link: Link; payload: SyncPayload }[], batchKey: string): Promise<number>;
  dm(payload: DmPayload, key: string): Promise<void>;
  /** Resolves once the job `key` is final, or after `timeoutMs`. */
  settled(key: string, timeoutMs: number): Promise<boolean>;
}

/**
 * One running sub-roles cog: its settings, guild, stores and queues, shared by the pieces
 * (commands, callback, events, reconciliation, jobs).
 *
 * @example
 * ```ts
 * const cog = new SubRolesCog(ctx, settings, ctx.discord!, ctx.twitch.accounts!);
 * const ids = cog.roleIds();
 * ```
 */
export class SubRolesCog {
  readonly links: LinkStore;
  readonly roles: DiscordRoles;
  readonly reminders: Reminders;
  /** Links whose grace period (or relink deadline) runs, by Discord id -> when it ends. */
  readonly deadlines = new Map<string, number>();
  /** Managed roles lately applied, by Discord id (sorted, joined): events that only echo them need no read. */
  readonly #applied = new Map<string, string>();
  readonly guildId: string;
  readonly broadcasterLogin: string;
  queues!: Queues;
  readonly #faults = new Map<string, number>();
  readonly #reported = new Map<string, number>();
  readonly #serial = keyedSerial();

  constructor(
    readonly ctx: PluginContext,
    readonly settings: SubRolesSettings,
    readonly discord: DiscordFacet,
    readonly accounts: TwitchAccounts,
  ) {
    this.guildId = settings.guild ?? (discord.guilds[0] as string);
    this.broadcasterLogin = (settings.broadcaster ?? ctx.bot.channels[0] ?? '').toLowerCase();
    this.links = new LinkStore(ctx.storage, (id, link) => this.noteDeadline(id, link));
    this.reminders = new Reminders(ctx.storage);
    this.roles = new DiscordRoles(discord.client, this.guildId, settings);
  }

  /** Keeps {@link SubRolesCog.deadlines} in step with a link as written. */
  noteDeadline(discordId: string, link: Link | undefined): void {
    const until = link?.graceUntil;
    if (until !== undefined && until > Date.now() && !link?.left)
      this.deadlines.set(discordId, until);
    else this.deadlines.delete(discordId);
  }

  /** Remembers what a member's managed roles are now (bounded: the latest 10,000). */
  noteApplied(discordId: string, roles: readonly string[]): void {
    this.#applied.delete(discordId);
    this.#applied.set(discordId, [...roles].sort().join());
    if (this.#applied.size > 10_000) this.#applied.delete(this.#applied.keys().next().value!);
  }

  /** Whether `roles` are what the member's managed roles were last seen as. */
  knownApplied(discordId: string, roles: readonly string[]): boolean {
    return this.#applied.get(discordId) === [...roles].sort().join();
  }

  get graceMs(): number {
    return this.settings.grace_days * 86_400_000;
  }

  /** The configured roles as ids, once the guild is known (undefined before). */
  roleIds(): RoleIds | undefined {
    return this.roles.resolve();
  }

  async meta(): Promise<Meta> {
    return (await this.ctx.storage.get<Meta>('meta')) ?? {};
  }

  /** Read-modify-write of `meta`, one at a time in this process. */
  updateMeta(fn: (meta: Meta) => Meta): Promise<Meta> {
    return this.#serial('meta', async () => {
      const updated = fn(await this.meta());
      await this.ctx.storage.set('meta', updated);
      return updated;
    });
  }

  /** Remembers the role ids and names (for `streamcogs roles diff`) when they changed. */
  async rememberRoles(ids: RoleIds): Promise<void> {
    const names: Record<string, string> = {};
    for (const id of managedRoles(ids))
      names[id] = this.roles.guild?.roles.cache.get(id)?.name ?? id;
    const meta = await this.meta();
    if (
      JSON.stringify(meta.roles) === JSON.stringify(ids) &&
      JSON.stringify(meta.roleNames) === JSON.stringify(names)
    )
      return;
    await this.updateMeta((m) => ({ ...m, roles: ids, roleNames: names }));
  }

  /** Logs a problem (each distinct one at most once an hour). */
  report(problem: string): void {
    const last = this.#reported.get(problem);
    if (last !== undefined && Date.now() - last < 3_600_000) return;
    this.#reported.set(problem, Date.now());
    this.ctx.log.warn({ problem }, `sub-roles: ${problem}`);
  }

  /**
   * Logs a problem and shows it in `/status`: until {@link SubRolesCog.clearFaults} (a
   * reconciliation went through), or for as long as the cog runs when `standing`.
   */
  fault(problem: string, options: { standing?: boolean } = {}): void {
    this.report(problem);
    this.#faults.set(problem, options.standing ? Number.POSITIVE_INFINITY : Date.now());
  }

  /** Forgets the faults a reconciliation that went through has cured. */
  clearFaults(): void {
    for (const [problem, at] of this.#faults) if (Number.isFinite(at)) this.#faults.delete(problem);
  }

  /** The guild's role problems as they are now, and the recorded faults. */
  faults(): string[] {
    return [...new Set([...this.roles.problems(), ...this.#faults.keys()])];
  }

  /** Enqueues the role job of a link when its roles are not what they should be. */
  async syncIfNeeded(link: Link, reason: string): Promise<string | undefined> {
    const ids = this.roleIds();
    if (link.left || (ids && !needsSync(link, ids, Date.now()))) return undefined;
    return this.queues.sync(link, { discordId: link.discordId, reason });
  }

  /** The broadcaster's Twitch id: from their link, else looked up by login. */
  async broadcasterId(): Promise<string | undefined> {
    const meta = await this.meta();
    if (meta.broadcaster?.login === this.broadcasterLogin) return meta.broadcaster.id;
    const user = await this.ctx.twitch.api.users
      .getUserByName(this.broadcasterLogin)
      .catch(() => null);
    return user?.id;
  }
}
