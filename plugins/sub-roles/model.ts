/**
 * A Twitch subscription tier (`1000` also covers Prime).
 *
 * @example
 * ```ts
 * const tier: Tier = '2000';
 * ```
 */
export type Tier = '1000' | '2000' | '3000';

/**
 * A subscription as Twitch reports it.
 *
 * @example
 * ```ts
 * const sub: SubState = { tier: '1000', gift: true };
 * ```
 */
export interface SubState {
  tier: Tier;
  gift: boolean;
}

/**
 * Why a link must be renewed with `/link`.
 *
 * @example
 * ```ts
 * const why: RelinkReason = 'token_lapsed';
 * ```
 */
export type RelinkReason = 'tier_changed' | 'token_lapsed';

/**
 * One member's link, as stored. `roles` are the managed role ids last applied; `version`
 * grows whenever what the member should have changes (the idempotency keys of role jobs
 * carry it).
 *
 * @example
 * ```ts
 * const link: Link = { discordId: '1', twitchId: '2', login: 'ada', linkedAt: 0, sub: null, subAt: 0, roles: [], version: 1 };
 * ```
 */
export interface Link {
  discordId: string;
  twitchId: string;
  login: string;
  linkedAt: number;
  /** The subscription now (null: none). */
  sub: SubState | null;
  /** When `sub` was learnt (link, event or reconciliation), ms. */
  subAt: number;
  /** The subscription that ended, kept while its grace period runs. */
  ended?: SubState;
  /** Roles stay until then (sub ended, or a relink is due). */
  graceUntil?: number;
  /** The member must `/link` again before `graceUntil`. */
  relink?: RelinkReason;
  /** The tier when the member last linked (monthly relink compares it). */
  linkTier?: Tier | null;
  roles: string[];
  version: number;
  /** The member left the guild: the link stays, no role calls. */
  left?: boolean;
  /** When roles were last applied, ms. */
  appliedAt?: number;
}

/**
 * Role ids by what they stand for, resolved from the settings in the guild.
 *
 * @example
 * ```ts
 * const ids: RoleIds = { tiers: { '1000': '111', '2000': '222' }, any: '333', gifted: '444' };
 * ```
 */
export interface RoleIds {
  tiers: Partial<Record<Tier, string>>;
  any?: string;
  gifted?: string;
}

/**
 * A tier as people say it.
 *
 * @example
 * ```ts
 * tierName('2000'); // 'Tier 2'
 * ```
 */
export function tierName(tier: Tier): string {
  return `Tier ${tier.slice(0, 1)}`;
}

/**
 * Reads a tier from Twitch's data (`1000`, `2000`, `3000`; Prime counts as 1000).
 *
 * @example
 * ```ts
 * toTier('2000'); // '2000'
 * toTier('prime'); // '1000'
 * ```
 */
export function toTier(value: unknown): Tier {
  const v = String(value);
  return v === '2000' || v === '3000' ? v : '1000';
}

/**
 * The subscription that counts for roles now: the live one; the ended one while its grace
 * runs; none once a due relink has passed its deadline.
 *
 * @example
 * ```ts
 * effectiveSub({ ...link, sub: null, ended: { tier: '1000', gift: false }, graceUntil: now + 1 }, now); // the ended sub
 * ```
 */
export function effectiveSub(link: Link, now: number): SubState | null {
  const graceOver = link.graceUntil !== undefined && now >= link.graceUntil;
  if (link.relink && graceOver) return null;
  if (link.sub) return link.sub;
  return link.ended && !graceOver ? link.ended : null;
}

/**
 * The managed roles the member should have now, sorted.
 *
 * @example
 * ```ts
 * desiredRoles(link, { tiers: { '1000': 'r1' }, any: 'rs' }, Date.now()); // ['r1', 'rs']
 * ```
 */
export function desiredRoles(link: Link, ids: RoleIds, now: number): string[] {
  const sub = effectiveSub(link, now);
  if (!sub) return [];
  const out = [ids.tiers[sub.tier], ids.any, sub.gift ? ids.gifted : undefined];
  return [...new Set(out.filter((r): r is string => !!r))].sort();
}

/**
 * Every role id the cog manages.
 *
 * @example
 * ```ts
 * managedRoles({ tiers: { '1000': 'a', '2000': 'b' }, any: 'c' }); // ['a', 'b', 'c']
 * ```
 */
export function managedRoles(ids: RoleIds): string[] {
  const all = [...Object.values(ids.tiers), ids.any, ids.gifted];
  return [...new Set(all.filter((r): r is string => !!r))].sort();
}

function sameSub(a: SubState | null | undefined, b: SubState | null | undefined): boolean {
  return (a ?? null) === (b ?? null) || (!!a && !!b && a.tier === b.tier && a.gift === b.gift);
}

/**
 * Whether the member's applied roles differ from what they should have (never for a member
 * who left: no role calls for them).
 *
 * @example
 * ```ts
 * if (needsSync(link, ids, Date.now())) await enqueueSync(link);
 * ```
 */
export function needsSync(link: Link, ids: RoleIds, now: number): boolean {
  if (link.left) return false;
  const want = desiredRoles(link, ids, now);
  const have = [...link.roles].sort();
  return want.length !== have.length || want.some((r, i) => r !== have[i]);
}

/**
 * The next version of a link: above the last one and at least the current time, so a member
 * who unlinks and links again never reuses the key of an earlier role job.
 *
 * @example
 * ```ts
 * nextVersion(0); // Date.now()
 * ```
 */
export function nextVersion(version: number): number {
  return Math.max(version + 1, Date.now());
}

/**
 * What {@link applySub} did.
 *
 * @example
 * ```ts
 * const { link: next, changed, graceStarted }: SubChange = applySub(link, null, Date.now(), 3 * 86_400_000);
 * ```
 */
export interface SubChange {
  link: Link;
  /** Anything role-relevant changed (the version grew). */
  changed: boolean;
  /** The subscription ended now: the grace period started (warn the member). */
  graceStarted: boolean;
}

/**
 * Applies what Twitch says now (`sub`, or null for no subscription) to a link: a new or
 * changed subscription replaces the old one and ends any grace it had; an ended one starts
 * the grace period (`graceMs`, roles kept meanwhile). Older news than the link's is ignored.
 *
 * @example
 * ```ts
 * const { link: next, graceStarted } = applySub(link, null, Date.now(), 3 * 86_400_000);
 * ```
 */
export function applySub(link: Link, sub: SubState | null, at: number, graceMs: number): SubChange {
  if (at < link.subAt) return { link, changed: false, graceStarted: false };
  if (sub) {
    const hadGrace = link.ended !== undefined;
    if (sameSub(link.sub, sub) && !hadGrace)
      return { link: { ...link, subAt: at }, changed: false, graceStarted: false };
    const next: Link = { ...link, sub, subAt: at, version: nextVersion(link.version) };
    delete next.ended;
    if (!next.relink) delete next.graceUntil;
    return { link: next, changed: true, graceStarted: false };
  }
  if (!link.sub) return { link: { ...link, subAt: at }, changed: false, graceStarted: false };
  const next: Link = {
    ...link,
    sub: null,
    ended: link.sub,
    subAt: at,
    graceUntil: Math.min(link.graceUntil ?? Infinity, at + graceMs),
    version: nextVersion(link.version),
  };
  return { link: next, changed: true, graceStarted: true };
}

/**
 * The idempotency key of the role job that brings a member to `desired`: one job per
 * version and target, whoever asks (event, reconciliation, restart).
 *
 * @example
 * ```ts
 * syncKey(link, ['r1']); // 'sync:80351110224678912:4:1kq2x'
 * ```
 */
export function syncKey(
  link: Pick<Link, 'discordId' | 'version'>,
  desired: readonly string[],
): string {
  let h = 0x811c9dc5;
  for (const ch of desired.join('+')) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return `sync:${link.discordId}:${link.version}:${h.toString(36)}`;
}
