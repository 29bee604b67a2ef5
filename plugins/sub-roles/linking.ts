import type { TwitchAuthorization, TwitchAuthPage } from '../../core/index.js';
import type { SubRolesCog } from './cog.js';
import { memberSubscription } from './helix.js';
import { desiredRoles, nextVersion, tierName, type Link, type SubState } from './model.js';
import { keyedSerial } from './serial.js';

/**
 * The only scope a member grants: reading their own subscriptions.
 *
 * @example
 * ```ts
 * cog.accounts.authorizeUrl({ scopes: MEMBER_SCOPES, data: { kind: 'member', user, guild } });
 * ```
 */
export const MEMBER_SCOPES = ['user:read:subscriptions'] as const;
/**
 * What the broadcaster grants: their subscriber list (and sub events for the bot's app).
 *
 * @example
 * ```ts
 * cog.accounts.authorizeUrl({ scopes: BROADCASTER_SCOPES, data: { kind: 'broadcaster', user, guild } });
 * ```
 */
export const BROADCASTER_SCOPES = ['channel:read:subscriptions'] as const;
/**
 * How long a `/link` URL works.
 *
 * @example
 * ```ts
 * cog.accounts.authorizeUrl({ scopes: MEMBER_SCOPES, data, ttlMs: LINK_TTL_MS });
 * ```
 */
export const LINK_TTL_MS = 10 * 60_000;

/**
 * A member's authorize URL: signed, single-use, tied to the member and the guild, valid 10
 * minutes.
 *
 * @example
 * ```ts
 * await interaction.reply({ content: memberLinkUrl(cog, interaction.user.id), flags: 64 });
 * ```
 */
export function memberLinkUrl(cog: SubRolesCog, discordId: string): string {
  return cog.accounts.authorizeUrl({
    scopes: MEMBER_SCOPES,
    data: { kind: 'member', user: discordId, guild: cog.guildId },
    ttlMs: LINK_TTL_MS,
  });
}

/**
 * The broadcaster's authorize URL (made for the guild owner only).
 *
 * @example
 * ```ts
 * const url = broadcasterLinkUrl(cog, interaction.user.id);
 * ```
 */
export function broadcasterLinkUrl(cog: SubRolesCog, ownerId: string): string {
  return cog.accounts.authorizeUrl({
    scopes: BROADCASTER_SCOPES,
    data: { kind: 'broadcaster', user: ownerId, guild: cog.guildId },
    ttlMs: LINK_TTL_MS,
  });
}

const page = (status: number, title: string, ...paragraphs: string[]): TwitchAuthPage => ({
  status,
  title,
  paragraphs,
});

function describeSub(sub: SubState | null): string {
  if (!sub) return 'not subscribed';
  return `subscribed at ${tierName(sub.tier)}${sub.gift ? ' (a gift)' : ''}`;
}

/** One link of a Twitch account at a time in this process (the check, then the write). */
const linking = keyedSerial();

async function linkMember(cog: SubRolesCog, a: TwitchAuthorization): Promise<TwitchAuthPage> {
  return linking(a.account.userId, () => linkMemberNow(cog, a));
}

async function linkMemberNow(cog: SubRolesCog, a: TwitchAuthorization): Promise<TwitchAuthPage> {
  const { ctx } = cog;
  const discordId = a.data.user ?? '';
  const { userId: twitchId, login } = a.account;
  const holder = await cog.links.byTwitch(twitchId);
  if (holder && holder !== discordId && (await cog.links.get(holder))?.twitchId === twitchId)
    return page(
      409,
      'Already linked',
      `The Twitch account ${login} is already linked to another member of this server. They can free it with /unlink; nothing was stored.`,
    );
  const broadcasterId = await cog.broadcasterId();
  if (!broadcasterId)
    return page(
      503,
      'Not available',
      `The bot cannot find the Twitch channel ${cog.broadcasterLogin}. Nothing was stored.`,
    );
  const sub = await memberSubscription(a.api, twitchId, broadcasterId);
  await a.keep(`member:${discordId}`);
  const now = Date.now();
  const link = (await cog.links.update(
    discordId,
    (prev): Link => ({
      discordId,
      twitchId,
      login,
      linkedAt: now,
      sub,
      subAt: now,
      linkTier: sub?.tier ?? null,
      roles: prev?.roles ?? [],
      version: nextVersion(prev?.version ?? 0),
    }),
  )) as Link;
  await cog.reminders.forget(discordId);
  const key = await cog.syncIfNeeded(link, sub ? 'linked, subscribed' : 'linked, not subscribed');
  const applied = key ? await cog.queues.settled(key, 4000) : true;
  const ids = cog.roleIds();
  const names = (ids ? desiredRoles(link, ids, now) : []).map(
    (id) => cog.roles.guild?.roles.cache.get(id)?.name ?? id,
  );
  ctx.log.info({ member: discordId, login, tier: sub?.tier ?? null }, 'Twitch account linked');
  const roles =
    names.length === 0
      ? 'You get no subscriber role for now; it comes by itself when you subscribe.'
      : `${applied ? 'You now have' : 'You are getting'} ${names.join(', ')} in ${cog.roles.guild?.name ?? 'the server'}.`;
  return page(
    200,
    'Twitch account linked',
    `Twitch account ${login} is linked to your Discord account: ${describeSub(sub)} to ${cog.broadcasterLogin}.`,
    roles,
    'Your roles follow your subscription from now on. You can close this window.',
  );
}

async function linkBroadcaster(
  cog: SubRolesCog,
  a: TwitchAuthorization,
  onLinked: () => void,
): Promise<TwitchAuthPage> {
  const { login, userId, scopes } = a.account;
  if (login.toLowerCase() !== cog.broadcasterLogin)
    return page(
      403,
      'Wrong Twitch account',
      `You authorised as ${login}, but this bot serves the subscribers of ${cog.broadcasterLogin}. Log in to Twitch as ${cog.broadcasterLogin} and run /subroles setup again. Nothing was stored.`,
    );
  if (!scopes.includes(BROADCASTER_SCOPES[0]))
    return page(
      400,
      'Permission missing',
      'Twitch did not grant reading subscribers. Nothing was stored.',
    );
  await a.keep('broadcaster');
  await cog.updateMeta((m) => ({ ...m, broadcaster: { id: userId, login: login.toLowerCase() } }));
  cog.ctx.log.info({ login }, 'broadcaster linked');
  onLinked();
  return page(
    200,
    'Broadcaster linked',
    `The bot now reads the subscribers of ${login} and receives their subscription events.`,
    'Roles of linked members are brought up to date in a moment. You can close this window.',
  );
}

/**
 * The cog's handler of returning browsers: a member's link (the account must not be linked
 * to someone else; the token is stored only once the subscription was read) or the
 * broadcaster's (only the configured channel's account is accepted).
 *
 * @example
 * ```ts
 * cog.accounts.onAuthorized(authorizationHandler(cog, () => void startEvents()));
 * ```
 */
export function authorizationHandler(
  cog: SubRolesCog,
  onBroadcasterLinked: () => void,
): (a: TwitchAuthorization) => Promise<TwitchAuthPage> {
  return async (a) => {
    if (a.data.guild !== cog.guildId)
      return page(
        400,
        'Link not valid',
        'This link was made for another server. Nothing was stored.',
      );
    if (a.data.kind === 'broadcaster') return linkBroadcaster(cog, a, onBroadcasterLinked);
    return linkMember(cog, a);
  };
}
