import type { SubRolesCog } from './cog.js';
import { discordTime } from './dm.js';
import { requireRelink } from './lifecycle.js';
import { desiredRoles, effectiveSub, tierName, type Link } from './model.js';

function rolesLine(cog: SubRolesCog, link: Link): string {
  const ids = cog.roleIds();
  if (!ids) return 'Roles: unknown until the bot is connected to Discord.';
  const name = (id: string): string => cog.roles.guild?.roles.cache.get(id)?.name ?? id;
  const want = desiredRoles(link, ids, Date.now());
  const have = [...link.roles].sort();
  const same = want.length === have.length && want.every((r, i) => r === have[i]);
  const list = want.length ? want.map(name).sort().join(', ') : 'none';
  if (link.left) return `Roles: ${list} (you are not in the server, so nothing is applied).`;
  return `Roles: ${list}${same ? '' : ' (being updated now)'}.`;
}

function subLine(link: Link, now: number): string {
  const sub = link.sub;
  if (sub) return `Subscription: ${tierName(sub.tier)}, ${sub.gift ? 'gifted' : 'not a gift'}.`;
  const kept = effectiveSub(link, now);
  return kept
    ? `Subscription: ended (was ${tierName(kept.tier)}${kept.gift ? ', gifted' : ''}).`
    : 'Subscription: none.';
}

function deadlineLine(link: Link, now: number): string | undefined {
  if (link.graceUntil === undefined) return undefined;
  const when = discordTime(link.graceUntil);
  if (link.relink) {
    const why =
      link.relink === 'tier_changed'
        ? 'your tier changed this month'
        : 'your Twitch authorisation lapsed';
    return now < link.graceUntil
      ? `Relink needed (${why}): use /link before ${when} to keep your roles.`
      : `Relink needed (${why}): your roles were removed; use /link to get them back.`;
  }
  if (!link.sub && now < link.graceUntil)
    return `Grace period: your roles are removed on ${when} unless you subscribe again.`;
  return undefined;
}

/**
 * What `/status` tells a member: the linked account, tier, gifted or not, when it was last
 * checked, the roles, any grace or relink deadline, and the problems an admin must fix
 * (a role above the bot's, a missing permission, the broadcaster not linked). It checks the
 * member's Twitch token on the way: a revoked one asks for a relink (DM sent).
 *
 * @example
 * ```ts
 * await interaction.reply({ content: await statusText(cog, interaction.user.id), flags: 64 });
 * ```
 */
export async function statusText(cog: SubRolesCog, discordId: string): Promise<string> {
  const now = Date.now();
  const meta = await cog.meta();
  let link = await cog.links.get(discordId);
  if (
    link &&
    !link.relink &&
    (await cog.accounts.check(`member:${discordId}`).catch(() => 'valid')) === 'revoked'
  ) {
    await requireRelink(cog, discordId, 'token_lapsed', 'revoked', now);
    link = (await cog.links.get(discordId)) ?? link;
  }
  const lines: string[] = [];
  if (!link)
    lines.push(
      `Not linked: use /link to connect your Twitch account and get your subscriber role for ${cog.broadcasterLogin}.`,
    );
  else {
    const checked = Math.max(
      link.subAt,
      meta.lastReconcile && meta.lastReconcile.at >= link.linkedAt ? meta.lastReconcile.at : 0,
    );
    lines.push(`Linked Twitch account: ${link.login} (since ${discordTime(link.linkedAt)}).`);
    lines.push(subLine(link, now));
    lines.push(`Last checked: ${discordTime(checked)}.`);
    lines.push(rolesLine(cog, link));
    const deadline = deadlineLine(link, now);
    if (deadline) lines.push(deadline);
  }
  const problems = cog.faults().slice(0, 5);
  if (!meta.broadcaster)
    problems.unshift(
      `the broadcaster ${cog.broadcasterLogin} has not linked Twitch yet (the server owner runs /subroles setup)`,
    );
  if (problems.length > 0)
    lines.push('', 'Problems an admin must fix:', ...problems.map((p) => `- ${p}`));
  return lines.join('\n').slice(0, 1900);
}
