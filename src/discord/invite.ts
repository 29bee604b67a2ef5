import type { Endpoints } from '../endpoints.js';
import { permissionBits, permissionLabel } from './flags.js';

/** Intents Discord makes you switch on in the developer portal first. */
const PRIVILEGED_INTENTS = ['GuildMembers', 'GuildPresences', 'MessageContent'];

/** An invite link and what it asks for. */
export interface Invite {
  url: string;
  applicationId: string;
  permissions: string[];
  bits: bigint;
  /** Declared names discord.js does not know (typos in a cog). */
  unknown: string[];
  privilegedIntents: string[];
}

/**
 * The application id of a bot token: its first part is the bot user's id in base64,
 * which is the application id of applications made since 2019.
 *
 * @example
 * ```ts
 * applicationIdFromToken('MTIzNDU2Nzg5MDEyMzQ1Njc4.xxxx.yyyy'); // '123456789012345678'
 * ```
 */
export function applicationIdFromToken(token: string): string | undefined {
  const first = token.split('.')[0] ?? '';
  const id = Buffer.from(first, 'base64').toString('utf8');
  return /^\d{17,20}$/.test(id) ? id : undefined;
}

/**
 * Builds the OAuth2 invite link of a bot with exactly the permissions its cogs declare
 * (`bot` and `applications.commands` scopes), on the Discord host of
 * {@link Endpoints.discordApi}.
 *
 * @example
 * ```ts
 * buildInvite(endpoints, '123456789012345678', ['ManageRoles'], []).url;
 * // https://discord.com/oauth2/authorize?client_id=123456789012345678&scope=bot+applications.commands&permissions=268435456
 * ```
 */
export function buildInvite(
  endpoints: Endpoints,
  applicationId: string,
  permissions: readonly string[],
  intents: readonly string[],
  guildId?: string,
): Invite {
  const { bits, names, unknown } = permissionBits(permissions);
  const base = new URL(endpoints.discordApi);
  const url = new URL('/oauth2/authorize', base.origin);
  url.searchParams.set('client_id', applicationId);
  url.searchParams.set('scope', 'bot applications.commands');
  url.searchParams.set('permissions', bits.toString());
  if (guildId) {
    url.searchParams.set('guild_id', guildId);
    url.searchParams.set('disable_guild_select', 'true');
  }
  return {
    url: url.toString(),
    applicationId,
    permissions: names,
    bits,
    unknown,
    privilegedIntents: intents.filter((i) => PRIVILEGED_INTENTS.includes(i)),
  };
}

/**
 * What `streamcogs invite` prints for one bot.
 *
 * @example
 * ```ts
 * process.stdout.write(describeInvite('alice', invite));
 * ```
 */
export function describeInvite(bot: string, invite: Invite): string {
  const lines = [
    `Invite "${bot}" to a Discord server with this URL:`,
    invite.url,
    invite.permissions.length > 0
      ? `Permissions its cogs declare: ${invite.permissions.map(permissionLabel).join(', ')} (${invite.bits})`
      : 'Its cogs declare no permissions (permissions=0).',
  ];
  if (invite.unknown.length > 0)
    lines.push(
      `warning: unknown permission names declared by cogs, left out: ${invite.unknown.join(', ')}`,
    );
  if (invite.privilegedIntents.length > 0)
    lines.push(
      `Also switch on these privileged intents for the application (Developer Portal > Bot): ${invite.privilegedIntents.join(', ')}`,
    );
  return `${lines.join('\n')}\n`;
}
