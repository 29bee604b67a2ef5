import type { DmPayload, SubRolesCog } from './cog.js';

/** Discord's "Cannot send messages to this user" (DMs closed, or no shared guild). */
const DMS_CLOSED = 50007;

/**
 * The custom id of a sub-roles button of one bot (`sub-roles:<bot>:<action>`).
 *
 * @example
 * ```ts
 * buttonId('alice', 'link'); // 'sub-roles:alice:link'
 * ```
 */
export function buttonId(bot: string, action: 'link' | 'optout'): string {
  return `sub-roles:${bot}:${action}`;
}

/**
 * A row of buttons as Discord's API takes it: "Link Twitch" and, for reminders, "Stop
 * reminding me".
 *
 * @example
 * ```ts
 * await channel.send({ content: 'Link your account', components: linkButtons('alice', true) });
 * ```
 */
export function linkButtons(bot: string, optOut = false): unknown[] {
  const link = { type: 2, style: 1, label: 'Link Twitch', custom_id: buttonId(bot, 'link') };
  const stop = {
    type: 2,
    style: 2,
    label: 'Stop reminding me',
    custom_id: buttonId(bot, 'optout'),
  };
  return [{ type: 1, components: optOut ? [link, stop] : [link] }];
}

/**
 * A date as Discord shows it to each reader in their own time zone (`<t:…:F>`), with the
 * relative form.
 *
 * @example
 * ```ts
 * discordTime(Date.UTC(2026, 0, 1)); // '<t:1767225600:F> (<t:1767225600:R>)'
 * ```
 */
export function discordTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `<t:${s}:F> (<t:${s}:R>)`;
}

/**
 * The text of a DM.
 *
 * @example
 * ```ts
 * dmText({ discordId: '1', kind: 'grace', until: Date.now() + 86_400_000 }, 'streamer', 'Acme');
 * ```
 */
export function dmText(p: DmPayload, broadcaster: string, guild: string): string {
  const until = p.until ? discordTime(p.until) : 'soon';
  switch (p.kind) {
    case 'grace':
      return `Your Twitch subscription to ${broadcaster} has ended, so your subscriber roles in ${guild} will be removed on ${until}. Subscribed again? They stay: nothing to do. Linked another Twitch account? Press Link Twitch.`;
    case 'relink':
      return `It's a new month: please link your Twitch account again to keep your subscriber roles in ${guild} (your tier changed, or your Twitch authorisation lapsed). Roles are removed on ${until} otherwise.`;
    case 'revoked':
      return `Your Twitch authorisation for ${guild} was revoked or has expired. Link your Twitch account again to keep your subscriber roles; they are removed on ${until} otherwise.`;
    case 'remind':
    case 'remind-again':
      return `Welcome to ${guild}! Subscribed to ${broadcaster} on Twitch? Link your Twitch account to get your subscriber role: press Link Twitch (or use /link in the server).`;
  }
}

/**
 * Sends one DM (a DM job). Reminders are skipped for members who opted out or linked
 * meanwhile, warnings for members whose situation changed. Closed DMs are recorded quietly:
 * no retry, no error.
 *
 * @example
 * ```ts
 * await sendDm(cog, { discordId: '80351110224678912', kind: 'remind' });
 * ```
 */
export async function sendDm(cog: SubRolesCog, p: DmPayload): Promise<string> {
  const { ctx } = cog;
  const link = await cog.links.get(p.discordId);
  if (p.kind === 'remind' || p.kind === 'remind-again') {
    if (link) return 'linked meanwhile';
    if (await ctx.storage.get(`optout:${p.discordId}`)) return 'opted out';
  } else if (!link || link.graceUntil === undefined || link.left) return 'no longer needed';
  const rest = cog.discord.client.rest;
  const guild = cog.roles.guild?.name ?? 'the server';
  try {
    await cog.roles.pacer.take();
    const channel = (await rest.post('/users/@me/channels', {
      body: { recipient_id: p.discordId },
    })) as { id: string };
    await cog.roles.pacer.take();
    await rest.post(`/channels/${channel.id}/messages`, {
      body: {
        content: dmText(p, cog.broadcasterLogin, guild),
        components: linkButtons(ctx.bot.name, p.kind === 'remind' || p.kind === 'remind-again'),
        allowed_mentions: { parse: [] },
      },
    });
    return 'sent';
  } catch (err) {
    if ((err as { code?: unknown }).code !== DMS_CLOSED) throw err;
    await ctx.storage.set(`dm-closed:${p.discordId}`, Date.now());
    ctx.log.debug({ member: p.discordId, kind: p.kind }, 'DMs closed; not sent');
    return 'dms closed';
  }
}
