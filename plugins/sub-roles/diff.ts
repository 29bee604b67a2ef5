import { applySub, desiredRoles, type Link, type RoleIds, type SubState } from './model.js';

/**
 * One member a reconciliation would change.
 *
 * @example
 * ```ts
 * const row: DiffRow = { discordId: '1', login: 'ada', before: ['t1'], after: ['t2'], sub: { tier: '2000', gift: false }, why: 'tier changed' };
 * ```
 */
export interface DiffRow {
  discordId: string;
  login: string;
  /** Managed roles applied now (ids). */
  before: string[];
  /** Managed roles after the change (ids). */
  after: string[];
  /** What Twitch says (null: not subscribed). */
  sub: SubState | null;
  /** Why, in words. */
  why: string;
  /** When roles go, if a grace period starts or runs. */
  graceUntil?: number;
}

function why(link: Link, next: Link, graceStarted: boolean, now: number): string {
  if (next.left) return 'left the guild (no role calls)';
  if (graceStarted) return 'subscription ended: grace period starts, roles kept until it ends';
  if (next.graceUntil !== undefined && now >= next.graceUntil)
    return next.relink
      ? 'relink not done in time: roles removed'
      : 'grace period over: roles removed';
  if (!link.sub && next.sub) return 'subscribed';
  if (link.sub && next.sub && link.sub.tier !== next.sub.tier) return 'tier changed';
  if (link.sub && next.sub && link.sub.gift !== next.sub.gift) return 'gift status changed';
  return 'roles differ from the subscription';
}

/**
 * What a reconciliation would change, without changing anything: for each link, what
 * Twitch's subscriber list (`subs`, by Twitch id) implies, and the members whose roles
 * would change or whose grace period would start. Pure: `streamcogs roles diff` prints it
 * and the reconciliation applies the same rule ({@link applySub}).
 *
 * @example
 * ```ts
 * const rows = diffLinks(links, new Map([['141981764', { tier: '2000', gift: false }]]), ids, Date.now(), 3 * 86_400_000);
 * ```
 */
export function diffLinks(
  links: readonly Link[],
  subs: ReadonlyMap<string, SubState>,
  ids: RoleIds,
  now: number,
  graceMs: number,
): DiffRow[] {
  const rows: DiffRow[] = [];
  for (const link of links) {
    const change = applySub(link, subs.get(link.twitchId) ?? null, now, graceMs);
    const next = change.link;
    const after = next.left ? [...link.roles].sort() : desiredRoles(next, ids, now);
    const before = [...link.roles].sort();
    const differs = after.length !== before.length || after.some((r, i) => r !== before[i]);
    if (!differs && !change.graceStarted) continue;
    rows.push({
      discordId: link.discordId,
      login: link.login,
      before,
      after,
      sub: next.sub,
      why: why(link, next, change.graceStarted, now),
      ...(next.graceUntil !== undefined ? { graceUntil: next.graceUntil } : {}),
    });
  }
  return rows;
}

/**
 * The diff as text, one member a line, role ids shown by name.
 *
 * @example
 * ```ts
 * process.stdout.write(formatDiff(rows, { '123': 'Tier 1' }));
 * ```
 */
export function formatDiff(
  rows: readonly DiffRow[],
  names: Readonly<Record<string, string>>,
): string {
  const show = (ids: string[]): string =>
    ids.length
      ? ids
          .map((id) => names[id] ?? id)
          .sort()
          .join(', ')
      : '(none)';
  const lines = rows.map((r) => {
    const until = r.graceUntil ? `; roles kept until ${new Date(r.graceUntil).toISOString()}` : '';
    return `${r.discordId} (twitch ${r.login}): ${show(r.before)} -> ${show(r.after)}: ${r.why}${until}`;
  });
  const changes = rows.filter((r) => r.before.join() !== r.after.join()).length;
  lines.push(
    `${changes} member(s) would change roles, ${rows.length - changes} would start a grace period`,
  );
  return `${lines.join('\n')}\n`;
}
