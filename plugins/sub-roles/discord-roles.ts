import type { Client, Guild, Role } from 'discord.js';
import type { Disposer } from '../../core/index.js';
import type { RoleIds, Tier } from './model.js';
import { RoleBucket, ROUTES, SlidingPacer, type BucketState } from './role-bucket.js';

/** The cog's Discord calls a second at most: 45 of the bot's 50, the rest for other cogs. */
const CALLS_PER_SECOND = 45;
import type { SubRolesSettings } from './settings.js';

/**
 * A role problem an admin must fix (hierarchy, permission, missing role).
 *
 * @example
 * ```ts
 * throw new RoleFault('role "VIP" is not below the bot\'s highest role');
 * ```
 */
export class RoleFault extends Error {
  override name = 'RoleFault';
}

/**
 * The outcome of {@link DiscordRoles.apply}.
 *
 * @example
 * ```ts
 * const { outcome, added } = await roles.apply(id, ['t1'], managed, { reason: 'subscribed' });
 * ```
 */
export interface ApplyResult {
  /** `left`: not a member of the guild (no role call made). */
  outcome: 'done' | 'left';
  added: string[];
  removed: string[];
}

interface ApiError {
  status?: number;
  code?: number | string;
}

const q = (s: string): string => `"${s}"`;

/**
 * The guild's side of sub-roles, over discord.js: resolves the configured roles (names or
 * ids) to ids, says what stops the bot from assigning them (no Manage Roles, a role at or
 * above its highest role, a managed or missing role) and applies a member's roles with
 * exactly the calls needed. It reads the member fresh before changing anything, so a job run
 * again (after a restart) never repeats a call that already landed. While Discord.js waits
 * for a rate limit of the guild, {@link DiscordRoles.waitMs} says how long.
 *
 * @example
 * ```ts
 * const roles = new DiscordRoles(ctx.discord!.client, guildId, settings);
 * const ids = roles.resolve();
 * await roles.apply(memberId, ['123'], roles.managed(), 'subscribed (Tier 1)');
 * ```
 */
export class DiscordRoles {
  /** Discord's buckets of the guild: role changes, member reads. */
  readonly buckets: { roles: RoleBucket; member: RoleBucket };
  /** Every Discord call of the cog goes through it (role calls, reads, DMs). */
  readonly pacer = new SlidingPacer(CALLS_PER_SECOND);
  #until = 0;

  constructor(
    private readonly client: Client,
    readonly guildId: string,
    private readonly settings: SubRolesSettings,
  ) {
    this.buckets = {
      roles: new RoleBucket(ROUTES.roles(guildId), this.pacer),
      member: new RoleBucket(ROUTES.member(guildId), this.pacer),
    };
  }

  /** Role names or ids from the settings, by what they stand for. */
  refs(): { tiers: Partial<Record<Tier, string>>; any?: string; gifted?: string } {
    const s = this.settings;
    return { tiers: { ...s.roles }, any: s.any_sub_role, gifted: s.gifted_role };
  }

  /** Every configured role reference. */
  refList(): string[] {
    const r = this.refs();
    return [...Object.values(r.tiers), r.any, r.gifted].filter((x): x is string => !!x);
  }

  get guild(): Guild | undefined {
    return this.client.guilds.cache.get(this.guildId);
  }

  /** The configured roles that exist, as ids (undefined until the guild is known). */
  resolve(): RoleIds | undefined {
    const guild = this.guild;
    if (!guild) return undefined;
    const find = (ref?: string): string | undefined => ref && this.#role(guild, ref)?.id;
    const r = this.refs();
    const tiers: Partial<Record<Tier, string>> = {};
    for (const [tier, ref] of Object.entries(r.tiers) as [Tier, string][]) {
      const id = find(ref);
      if (id) tiers[tier] = id;
    }
    return { tiers, any: find(r.any), gifted: find(r.gifted) };
  }

  /** What stops the bot from assigning the roles, one sentence each with the fix. */
  problems(): string[] {
    const guild = this.guild;
    if (!guild)
      return [`the bot is not in guild ${this.guildId} (or Discord is not connected yet)`];
    const me = guild.members.me;
    if (!me) return [`cannot read the bot's own member in ${q(guild.name)}`];
    const out: string[] = [];
    if (!me.permissions.has('ManageRoles'))
      out.push(
        `the bot lacks the Manage Roles permission in ${q(guild.name)}: give ${q(me.roles.highest.name)} Manage Roles in Server Settings > Roles`,
      );
    for (const ref of this.refList()) {
      const role = this.#role(guild, ref);
      if (!role)
        out.push(
          `role ${q(ref)} does not exist in ${q(guild.name)}: create it, or fix the sub-roles settings`,
        );
      else if (role.managed)
        out.push(`role ${q(role.name)} is managed by an integration and cannot be assigned`);
      else if (role.comparePositionTo(me.roles.highest) >= 0)
        out.push(
          `role ${q(role.name)} is not below the bot's highest role ${q(me.roles.highest.name)}: drag ${q(me.roles.highest.name)} above it in Server Settings > Roles`,
        );
    }
    return out;
  }

  /** How long Discord asked to wait before the next role call of this guild (0: none). */
  waitMs(): number {
    return Math.max(0, this.#until - Date.now());
  }

  /** The buckets' state, to carry over a restart. */
  snapshot(): Record<'roles' | 'member', BucketState> {
    return { roles: this.buckets.roles.snapshot(), member: this.buckets.member.snapshot() };
  }

  restore(state: Partial<Record<'roles' | 'member', BucketState>> | undefined): void {
    this.buckets.roles.restore(state?.roles);
    this.buckets.member.restore(state?.member);
  }

  /** Learns Discord's rate limits of this guild from discord.js; returns the disposer. */
  watchRateLimits(): Disposer {
    const limited = (info: {
      majorParameter: string | null;
      global: boolean;
      timeToReset: number;
    }) => {
      if (info.global || info.majorParameter === this.guildId)
        this.#until = Math.max(this.#until, Date.now() + info.timeToReset);
    };
    const answered = (
      req: { method: string; path: string },
      res: { headers: { get(n: string): string | null } },
    ) => {
      this.buckets.roles.observe(req.method, req.path, res.headers);
      this.buckets.member.observe(req.method, req.path, res.headers);
    };
    this.client.rest.on('rateLimited', limited);
    this.client.rest.on('response', answered);
    return () => {
      this.client.rest.off('rateLimited', limited);
      this.client.rest.off('response', answered);
    };
  }

  /**
   * Brings the member's managed roles to `desired`: adds what is missing, removes managed
   * roles (`managed`) it should not have. `have` is what the member has now, when known for
   * sure; otherwise the member is read first. Throws {@link RoleFault} when a role cannot
   * be assigned (no call is made then).
   */
  async apply(
    userId: string,
    desired: readonly string[],
    managed: readonly string[],
    options: { reason: string; signal?: AbortSignal; have?: readonly string[] },
  ): Promise<ApplyResult> {
    const g = this.guildId;
    const { reason, signal } = options;
    let member: { roles: readonly string[] } = { roles: options.have ?? [] };
    if (!options.have)
      try {
        member = (await this.buckets.member.run(() =>
          this.client.rest.get(`/guilds/${g}/members/${userId}`, { signal }),
        )) as { roles: string[] };
      } catch (err) {
        if ((err as ApiError).code === 10007) return { outcome: 'left', added: [], removed: [] };
        throw err;
      }
    const has = new Set(member.roles);
    const added = desired.filter((r) => !has.has(r));
    const keep = new Set(desired);
    const removed = managed.filter((r) => has.has(r) && !keep.has(r));
    this.#assertAssignable([...added, ...removed]);
    const route = (r: string) => `/guilds/${g}/members/${userId}/roles/${r}` as const;
    try {
      for (const r of added)
        await this.buckets.roles.run(() => this.client.rest.put(route(r), { reason, signal }));
      for (const r of removed)
        await this.buckets.roles.run(() => this.client.rest.delete(route(r), { reason, signal }));
    } catch (err) {
      if ((err as ApiError).code === 10007) return { outcome: 'left', added: [], removed: [] };
      throw err;
    }
    return { outcome: 'done', added, removed };
  }

  #assertAssignable(roleIds: readonly string[]): void {
    if (roleIds.length === 0) return;
    const guild = this.guild;
    const me = guild?.members.me;
    if (!guild || !me) throw new RoleFault(`guild ${this.guildId} is not available yet`);
    if (!me.permissions.has('ManageRoles'))
      throw new RoleFault(`the bot lacks Manage Roles in ${q(guild.name)}`);
    for (const id of roleIds) {
      const role = guild.roles.cache.get(id);
      if (!role) throw new RoleFault(`role ${id} no longer exists in ${q(guild.name)}`);
      if (role.managed || role.comparePositionTo(me.roles.highest) >= 0)
        throw new RoleFault(`role ${q(role.name)} is not below the bot's highest role`);
    }
  }

  #role(guild: Guild, ref: string): Role | undefined {
    return guild.roles.cache.get(ref) ?? guild.roles.cache.find((r) => r.name === ref);
  }
}
