import {
  PermissionFlagsBits,
  type Client,
  type Guild,
  type GuildMember,
  type Role,
} from 'discord.js';
import type { DiscordGuildCheck } from '../../core/index.js';
import { describeError } from '../../core/errors.js';
import { permissionLabel } from './flags.js';

/** What one bot expects in one guild. */
export interface GuildExpectation {
  bot: string;
  guildId: string;
  /** Permission names (discord.js `PermissionFlagsBits` keys) the bot's cogs declare. */
  permissions: readonly string[];
  /** Roles (names or ids) cogs assign there, by cog. */
  roles: readonly { cog: string; role: string }[];
}

const q = (name: string): string => `"${name}"`;

function findRole(guild: Guild, nameOrId: string): Role | undefined {
  return guild.roles.cache.get(nameOrId) ?? guild.roles.cache.find((r) => r.name === nameOrId);
}

async function me(guild: Guild): Promise<GuildMember | undefined> {
  return guild.members.me ?? (await guild.members.fetchMe().catch(() => undefined));
}

/**
 * Checks one guild the way a server admin would: the bot is a member; it has every
 * permission its cogs declare (Manage Roles whenever a cog manages roles); each role it
 * must assign exists, is not managed by an integration, and sits below the bot's highest
 * role. Each problem names the guild and the role, and says what to change.
 *
 * @example
 * ```ts
 * const check = await checkGuild(client, { bot: 'alice', guildId, permissions: ['ManageRoles'], roles: [] });
 * check.problems; // ['guild "Acme" (123): the bot lacks Manage Roles ...']
 * ```
 */
export async function checkGuild(
  client: Client,
  expected: GuildExpectation,
): Promise<DiscordGuildCheck> {
  const { guildId, bot } = expected;
  const check: DiscordGuildCheck = {
    guildId,
    present: false,
    missingPermissions: [],
    problems: [],
  };
  const guild = client.guilds.cache.get(guildId);
  if (!guild) {
    check.problems.push(
      `the bot is not in guild ${guildId}: invite it with the URL from \`npx streamcogs invite ${bot}\`, or remove the guild from bots.yaml`,
    );
    return check;
  }
  check.present = true;
  check.guildName = guild.name;
  const where = `guild ${q(guild.name)} (${guild.id})`;
  const member = await me(guild).catch((err: unknown) => {
    check.problems.push(`${where}: cannot read the bot's own member: ${describeError(err)}`);
    return undefined;
  });
  if (!member) return check;
  const highest = member.roles.highest;
  const botRole =
    highest.id === guild.id ? 'its @everyone role' : `its highest role ${q(highest.name)}`;
  const roleNames = [...new Set(expected.roles.map((r) => r.role))];
  const wanted = new Set(expected.permissions);
  if (roleNames.length > 0) wanted.add('ManageRoles');
  const table = PermissionFlagsBits as unknown as Record<string, bigint>;
  for (const name of [...wanted].sort()) {
    const flag = table[name];
    if (flag === undefined || member.permissions.has(flag)) continue;
    check.missingPermissions.push(name);
    const forRoles =
      name === 'ManageRoles' && roleNames.length > 0
        ? `, needed to assign ${roleNames.map(q).join(', ')}`
        : '';
    check.problems.push(
      `${where}: the bot lacks ${permissionLabel(name)}${forRoles} (${botRole}): give ${highest.id === guild.id ? 'the bot a role' : q(highest.name)} the ${permissionLabel(name)} permission in Server Settings > Roles, or re-invite it with \`npx streamcogs invite ${bot}\``,
    );
  }
  for (const { cog, role: nameOrId } of expected.roles) {
    const role = findRole(guild, nameOrId);
    if (!role) {
      check.problems.push(
        `${where}: role ${q(nameOrId)} (used by ${cog}) does not exist: create it, or fix the cog's settings`,
      );
      continue;
    }
    if (role.managed)
      check.problems.push(
        `${where}: role ${q(role.name)} (used by ${cog}) is managed by an integration and cannot be assigned`,
      );
    else if (role.position >= highest.position)
      check.problems.push(
        `${where}: role ${q(role.name)} (used by ${cog}) is not below the bot's highest role ${q(highest.name)}: drag ${q(highest.name)} above ${q(role.name)} in Server Settings > Roles`,
      );
  }
  return check;
}
