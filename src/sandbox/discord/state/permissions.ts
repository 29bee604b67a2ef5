import type { SandboxGuild, SandboxMember, SandboxRole } from './model.js';

/**
 * Permission bits by their discord.js `PermissionFlagsBits` names (the ones a bot
 * framework usually touches).
 *
 * @example
 * ```ts
 * const perms = Permission.ManageRoles | Permission.SendMessages;
 * ```
 */
export const Permission = {
  CreateInstantInvite: 1n << 0n,
  KickMembers: 1n << 1n,
  BanMembers: 1n << 2n,
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewAuditLog: 1n << 7n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  ChangeNickname: 1n << 26n,
  ManageNicknames: 1n << 27n,
  ManageRoles: 1n << 28n,
  ManageWebhooks: 1n << 29n,
  UseApplicationCommands: 1n << 31n,
  ModerateMembers: 1n << 40n,
} as const;

/**
 * A permission name from {@link Permission}.
 *
 * @example
 * ```ts
 * const names: PermissionName[] = ['ManageRoles', 'ViewChannel'];
 * ```
 */
export type PermissionName = keyof typeof Permission;

/**
 * Every permission bit Discord defines today (bits 0..50).
 *
 * @example
 * ```ts
 * memberPermissions(guild, owner) === ALL_PERMISSIONS; // true
 * ```
 */
export const ALL_PERMISSIONS = (1n << 51n) - 1n;

/**
 * What @everyone gets unless told otherwise (view, send, history, reactions, commands).
 *
 * @example
 * ```ts
 * server.createGuild({ name: 'g', everyonePermissions: DEFAULT_EVERYONE_PERMISSIONS & ~Permission.SendMessages });
 * ```
 */
export const DEFAULT_EVERYONE_PERMISSIONS =
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.ReadMessageHistory |
  Permission.AddReactions |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.UseApplicationCommands |
  Permission.CreateInstantInvite |
  Permission.ChangeNickname;

/**
 * Accepted permission inputs: names, a bitfield, or its decimal string.
 *
 * @example
 * ```ts
 * const perms: PermissionsInput = ['Administrator']; // or 8n, or '8'
 * ```
 */
export type PermissionsInput = readonly PermissionName[] | bigint | number | string;

/**
 * Turns a permission input into a bitfield.
 *
 * @example
 * ```ts
 * resolvePermissions(['ManageRoles', 'ViewChannel']); // 268436480n
 * resolvePermissions('8'); // 8n (Administrator)
 * ```
 */
export function resolvePermissions(input: PermissionsInput | undefined): bigint {
  if (input === undefined) return 0n;
  if (typeof input === 'bigint') return input;
  if (typeof input === 'number' || typeof input === 'string') return BigInt(input);
  return input.reduce((acc, name) => acc | Permission[name], 0n);
}

/**
 * A member's guild-level permissions (roles OR'ed; owner and Administrator get all).
 * Channel overwrites are not simulated.
 *
 * @example
 * ```ts
 * const canManage = (memberPermissions(guild, member) & Permission.ManageRoles) !== 0n;
 * ```
 */
export function memberPermissions(guild: SandboxGuild, member: SandboxMember): bigint {
  if (guild.ownerId === member.userId) return ALL_PERMISSIONS;
  let bits = guild.roles.get(guild.id)?.permissions ?? 0n;
  for (const roleId of member.roles) bits |= guild.roles.get(roleId)?.permissions ?? 0n;
  return (bits & Permission.Administrator) !== 0n ? ALL_PERMISSIONS : bits;
}

/**
 * The position of the member's highest role (0 = only @everyone).
 *
 * @example
 * ```ts
 * if (role.position >= highestRolePosition(guild, botMember)) throw new Error('hierarchy');
 * ```
 */
export function highestRolePosition(guild: SandboxGuild, member: SandboxMember): number {
  let top = 0;
  for (const roleId of member.roles) top = Math.max(top, guild.roles.get(roleId)?.position ?? 0);
  return top;
}

/**
 * Whether `actor` may add or remove `role` on members: Manage Roles plus the role
 * hierarchy (the role must sit strictly below the actor's highest role), as Discord does.
 *
 * @example
 * ```ts
 * canManageRole(guild, botMember, guild.roles.get(roleId)!); // false -> 50013
 * ```
 */
export function canManageRole(
  guild: SandboxGuild,
  actor: SandboxMember,
  role: SandboxRole,
): boolean {
  if (role.managed || role.id === guild.id) return false;
  if (guild.ownerId === actor.userId) return true;
  if ((memberPermissions(guild, actor) & Permission.ManageRoles) === 0n) return false;
  return role.position < highestRolePosition(guild, actor);
}
