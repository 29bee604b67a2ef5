import { Intent } from '../gateway/intents.js';
import { Errors } from '../http/errors.js';
import { json, noContent, requireBot } from '../http/types.js';
import type { RouteContext, RouteDef, RouteLimits, RouteReply } from '../http/types.js';
import type { SandboxGuild, SandboxMember } from '../state/model.js';
import { channelPayload, guildPayload, memberPayload, rolePayload } from '../state/payloads.js';
import { canManageRole } from '../state/permissions.js';

/** The guild, if the calling bot is in it (else 10004 / 50001). */
function guildOf(ctx: RouteContext): { guild: SandboxGuild; self: SandboxMember } {
  const guild = ctx.sb.store.guilds.get(ctx.params.guildId ?? '');
  if (!guild) throw Errors.unknownGuild();
  const self = ctx.sb.store.member(guild.id, requireBot(ctx).userId);
  if (!self) throw Errors.missingAccess();
  return { guild, self };
}

function memberOf(ctx: RouteContext, guild: SandboxGuild): SandboxMember {
  const member = ctx.sb.store.member(guild.id, ctx.params.userId ?? '');
  if (!member) throw Errors.unknownMember();
  return member;
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Role add/remove share one bucket per guild, as on Discord. */
function memberRoleLimits(ctx: RouteContext): RouteLimits {
  return {
    refs: [
      {
        name: 'member-roles',
        key: `${ctx.bot?.userId ?? ''}|${ctx.params.guildId ?? ''}`,
        spec: ctx.sb.limits.memberRoles,
        scope: 'user',
      },
    ],
  };
}

function changeRole(ctx: RouteContext, add: boolean): RouteReply {
  const { guild, self } = guildOf(ctx);
  const member = memberOf(ctx, guild);
  const role = guild.roles.get(ctx.params.roleId ?? '');
  if (!role) throw Errors.unknownRole();
  if (!canManageRole(guild, self, role)) throw Errors.missingPermissions();
  const has = member.roles.includes(role.id);
  if (add === has) return noContent();
  member.roles = add ? [...member.roles, role.id] : member.roles.filter((r) => r !== role.id);
  ctx.sb.store.auditLog.push({
    at: ctx.sb.now(),
    guildId: guild.id,
    action: add ? 'member_role_add' : 'member_role_remove',
    userId: self.userId,
    targetId: member.userId,
    roleId: role.id,
    reason: ctx.reason,
  });
  ctx.sb.gateway.dispatchToGuild(
    guild.id,
    'GUILD_MEMBER_UPDATE',
    { guild_id: guild.id, ...memberPayload(ctx.sb.store, member) },
    Intent.GuildMembers,
  );
  return noContent();
}

/**
 * Guilds, roles, members and member role changes (Manage Roles + hierarchy checks).
 *
 * @example
 * ```ts
 * const router = new Router([...guildRoutes]);
 * ```
 */
export const guildRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/guilds/:guildId',
    auth: 'bot',
    handler: (ctx) => json(guildPayload(ctx.sb.store, guildOf(ctx).guild)),
  },
  {
    method: 'GET',
    path: '/guilds/:guildId/roles',
    auth: 'bot',
    handler: (ctx) => json([...guildOf(ctx).guild.roles.values()].map(rolePayload)),
  },
  {
    method: 'GET',
    path: '/guilds/:guildId/channels',
    auth: 'bot',
    handler: (ctx) =>
      json(
        guildOf(ctx)
          .guild.channelIds.map((id) => ctx.sb.store.channels.get(id))
          .filter((c) => c !== undefined)
          .map((c) => channelPayload(ctx.sb.store, c)),
      ),
  },
  {
    method: 'GET',
    path: '/guilds/:guildId/members',
    auth: 'bot',
    handler: (ctx) => {
      const { guild } = guildOf(ctx);
      const limit = Number(ctx.query.get('limit') ?? 1);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw Errors.invalidForm(
          'limit',
          'NUMBER_TYPE_MAX',
          'int value should be between 1 and 1000.',
        );
      }
      const after = ctx.query.get('after') ?? '0';
      const members = [...(ctx.sb.store.members.get(guild.id)?.values() ?? [])]
        .filter((m) => compareIds(m.userId, after) > 0)
        .sort((a, b) => compareIds(a.userId, b.userId))
        .slice(0, limit);
      return json(members.map((m) => memberPayload(ctx.sb.store, m)));
    },
  },
  {
    method: 'GET',
    path: '/guilds/:guildId/members/:userId',
    auth: 'bot',
    handler: (ctx) => json(memberPayload(ctx.sb.store, memberOf(ctx, guildOf(ctx).guild))),
  },
  {
    method: 'PUT',
    path: '/guilds/:guildId/members/:userId/roles/:roleId',
    auth: 'bot',
    limits: memberRoleLimits,
    handler: (ctx) => changeRole(ctx, true),
  },
  {
    method: 'DELETE',
    path: '/guilds/:guildId/members/:userId/roles/:roleId',
    auth: 'bot',
    limits: memberRoleLimits,
    handler: (ctx) => changeRole(ctx, false),
  },
];
