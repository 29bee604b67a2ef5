import type { GuildMember, PartialGuildMember } from 'discord.js';
import type { SubRolesCog } from './cog.js';
import { SHARDS } from './links.js';
import { managedRoles, nextVersion, type Link, type RelinkReason } from './model.js';

/**
 * The month of a time, as `YYYY-MM` (UTC).
 *
 * @example
 * ```ts
 * monthOf(Date.UTC(2026, 10, 1)); // '2026-11'
 * ```
 */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/**
 * Ends the grace periods (and relink deadlines) that are due: roles go, by a role job.
 *
 * @example
 * ```ts
 * ctx.schedule.every(30_000, () => expireDue(cog, Date.now()));
 * ```
 */
export async function expireDue(cog: SubRolesCog, now: number): Promise<void> {
  const due = [...cog.deadlines].filter(([, until]) => until <= now).map(([id]) => id);
  for (const id of due) {
    cog.deadlines.delete(id);
    const link = await cog.links.update(id, (l) => {
      if (!l || l.relink || l.graceUntil === undefined || l.graceUntil > now) return undefined;
      const { ended: _ended, graceUntil: _until, ...rest } = l;
      return { ...rest, version: nextVersion(l.version) };
    });
    if (link)
      await cog.syncIfNeeded(link, link.relink ? 'relink not done in time' : 'grace period over');
  }
}

/**
 * A member joined: a linked one gets their roles back; an unlinked one gets a reminder DM
 * (unless they opted out) and another one `remind_again_days` later.
 *
 * @example
 * ```ts
 * ctx.discord.on('guildMemberAdd', (m) => onMemberJoin(cog, m));
 * ```
 */
export async function onMemberJoin(cog: SubRolesCog, member: GuildMember): Promise<void> {
  if (member.guild.id !== cog.guildId || member.user.bot) return;
  const id = member.id;
  const link = await cog.links.update(id, (l) => {
    if (!l?.left) return undefined;
    const { left: _left, ...rest } = l;
    return { ...rest, version: nextVersion(l.version) };
  });
  if (link) {
    await cog.syncIfNeeded(link, 'rejoined the server');
    return;
  }
  if (!cog.settings.remind_unlinked || (await cog.ctx.storage.get(`optout:${id}`))) return;
  const now = Date.now();
  await cog.queues.dm({ discordId: id, kind: 'remind' }, `remind:${id}:${monthOf(now)}`);
  await cog.reminders.add(id, now + cog.settings.remind_again_days * 86_400_000);
}

/**
 * A member left: the link stays (marked `left`), no role call is made for them.
 *
 * @example
 * ```ts
 * ctx.discord.on('guildMemberRemove', (m) => onMemberLeave(cog, m));
 * ```
 */
export async function onMemberLeave(
  cog: SubRolesCog,
  member: GuildMember | PartialGuildMember,
): Promise<void> {
  if (member.guild.id !== cog.guildId) return;
  await cog.reminders.forget(member.id);
  // Discord takes every role from a member who leaves: none is applied any more.
  await cog.links.update(member.id, (l) =>
    l && !l.left ? { ...l, left: true, roles: [] } : undefined,
  );
}

/**
 * A member's roles changed in Discord (by the bot or by anyone): the link's applied roles
 * follow what Discord now says, and a role job puts them right if they are not what the
 * subscription says (a moderator removed a sub role, say).
 *
 * @example
 * ```ts
 * ctx.discord.on('guildMemberUpdate', (_old, m) => onMemberRoles(cog, m));
 * ```
 */
export async function onMemberRoles(
  cog: SubRolesCog,
  member: GuildMember | PartialGuildMember,
): Promise<void> {
  const ids = cog.roleIds();
  if (member.guild.id !== cog.guildId || !ids) return;
  const managed = managedRoles(ids).filter((id) => member.roles.cache.has(id));
  if (cog.knownApplied(member.id, managed)) return; // the echo of the bot's own change
  const link = await cog.links.update(member.id, (l) => {
    if (!l || l.left || l.appliedAt === undefined) return undefined;
    const watched = new Set([...managedRoles(ids), ...l.roles]);
    const actual = [...watched].filter((id) => member.roles.cache.has(id)).sort();
    const applied = [...l.roles].sort();
    return actual.join() === applied.join() ? undefined : { ...l, roles: actual };
  });
  if (!link) return;
  cog.noteApplied(member.id, managed);
  await cog.syncIfNeeded(link, 'roles changed in Discord');
}

/**
 * Sends the second reminders that are due.
 *
 * @example
 * ```ts
 * await remindAgain(cog, Date.now());
 * ```
 */
export async function remindAgain(cog: SubRolesCog, now: number): Promise<void> {
  for (const id of await cog.reminders.due(now))
    await cog.queues.dm(
      { discordId: id, kind: 'remind-again' },
      `remind-again:${id}:${monthOf(now)}`,
    );
}

async function relinkReason(cog: SubRolesCog, link: Link): Promise<RelinkReason | undefined> {
  if (link.left || link.relink || !link.sub) return undefined;
  if ((link.linkTier ?? null) !== link.sub.tier) return 'tier_changed';
  const state = await cog.accounts.check(`member:${link.discordId}`).catch(() => 'valid');
  return state === 'valid' ? undefined : 'token_lapsed';
}

/**
 * Marks a link for relink (roles kept until the deadline) and DMs the member.
 *
 * @example
 * ```ts
 * await requireRelink(cog, link.discordId, 'token_lapsed', 'revoked', Date.now());
 * ```
 */
export async function requireRelink(
  cog: SubRolesCog,
  discordId: string,
  reason: RelinkReason,
  dm: 'relink' | 'revoked',
  now: number,
): Promise<void> {
  const link = await cog.links.update(discordId, (l) =>
    l && !l.relink
      ? {
          ...l,
          relink: reason,
          graceUntil: Math.min(l.graceUntil ?? Infinity, now + cog.graceMs),
          version: nextVersion(l.version),
        }
      : undefined,
  );
  if (link?.relink === reason && link.graceUntil !== undefined)
    await cog.queues.dm(
      { discordId, kind: dm, until: link.graceUntil },
      `${dm}:${discordId}:${link.version}`,
    );
}

/**
 * NeiBot's monthly relink: at a month's start, subscribed members whose tier changed since
 * they linked, or whose Twitch token no longer works, must link again (DM with a button;
 * roles kept for the grace period). Resumable: progress is kept per shard.
 *
 * @example
 * ```ts
 * await monthlyRelink(cog, Date.now());
 * ```
 */
export async function monthlyRelink(cog: SubRolesCog, now: number): Promise<void> {
  const month = monthOf(now);
  const meta = await cog.meta();
  if (meta.relinkMonth === month) return;
  if (meta.relinkMonth === undefined) {
    await cog.updateMeta((m) => ({ ...m, relinkMonth: month })); // a first start renews nothing
    return;
  }
  const start = meta.relinkCursor?.month === month ? meta.relinkCursor.shard : 0;
  let asked = 0;
  for (let n = start; n < SHARDS; n++) {
    for (const link of await cog.links.shard(n)) {
      const reason = await relinkReason(cog, link);
      if (!reason) continue;
      asked++;
      await requireRelink(cog, link.discordId, reason, 'relink', now);
    }
    await cog.updateMeta((m) => ({ ...m, relinkCursor: { month, shard: n + 1 } }));
  }
  await cog.updateMeta(({ relinkCursor: _done, ...m }) => ({ ...m, relinkMonth: month }));
  cog.ctx.log.info({ month, asked }, 'sub-roles: monthly relink done');
}
