import { randomBytes } from 'node:crypto';
import type {
  SandboxBot,
  SandboxChannel,
  SandboxGuild,
  SandboxRole,
  SandboxUser,
} from './model.js';
import { DEFAULT_EVERYONE_PERMISSIONS, resolvePermissions } from './permissions.js';
import type { PermissionsInput } from './permissions.js';
import type { SnowflakeFactory } from './snowflake.js';
import type { DiscordStore } from './store.js';

/**
 * Input of `server.createBot`. `appId` defaults to the bot's user id, as for new Discord apps.
 *
 * @example
 * ```ts
 * server.createBot({ username: 'helper', token: 'fixed-token', appId: '1300000000000000000' });
 * ```
 */
export interface CreateBotInput {
  username: string;
  token?: string;
  appId?: string;
  userId?: string;
}

/**
 * Input of `server.createUser`.
 *
 * @example
 * ```ts
 * server.createUser({ username: 'carol', dmsOpen: false });
 * ```
 */
export interface CreateUserInput {
  username: string;
  id?: string;
  globalName?: string;
  /** DMs from server members allowed (default true); false makes bot DMs fail with 50007. */
  dmsOpen?: boolean;
}

/**
 * A role to create in `createGuild`. Position defaults to list order starting at 1.
 *
 * @example
 * ```ts
 * const mod: RoleInput = { name: 'Mod', permissions: ['ManageRoles', 'KickMembers'], hoist: true };
 * ```
 */
export interface RoleInput {
  name: string;
  permissions?: PermissionsInput;
  position?: number;
  color?: number;
  hoist?: boolean;
  mentionable?: boolean;
  managed?: boolean;
}

/**
 * A member to create (or an existing user, by `id`) in `createGuild` / `addMember`.
 *
 * @example
 * ```ts
 * server.addMember(guildId, { username: 'dave', roles: ['Member'], dmsOpen: false });
 * ```
 */
export interface MemberInput {
  id?: string;
  username?: string;
  /** Role names or ids. */
  roles?: string[];
  nick?: string;
  dmsOpen?: boolean;
}

/**
 * Input of `server.createGuild`. Every bot created so far joins unless `bots` says otherwise.
 *
 * @example
 * ```ts
 * server.createGuild({ name: 'Test', channels: ['general'], members: [{ username: 'alice' }], botRoles: ['Bot'] });
 * ```
 */
export interface CreateGuildInput {
  name: string;
  id?: string;
  ownerId?: string;
  everyonePermissions?: PermissionsInput;
  roles?: RoleInput[];
  /** Text channel names (or `{ name }`). */
  channels?: (string | { name: string })[];
  members?: MemberInput[];
  /** Bot user ids that join (default: all bots). */
  bots?: string[];
  /** Role names or ids given to the joining bots. */
  botRoles?: string[];
}

/**
 * What `createGuild` returns: ids by name for convenient tests.
 *
 * @example
 * ```ts
 * const g: SeededGuild = server.createGuild({ name: 'Test', channels: ['general'] });
 * g.channels.general; // channel id
 * ```
 */
export interface SeededGuild {
  id: string;
  name: string;
  ownerId: string;
  everyoneRoleId: string;
  roles: Record<string, string>;
  channels: Record<string, string>;
  members: Record<string, string>;
}

/**
 * Creates entities in a {@link DiscordStore}. Used by the server facade.
 *
 * @example
 * ```ts
 * const seeder = new Seeder(store, ids, () => Date.now());
 * const bot = seeder.createBot({ username: 'helper' });
 * ```
 */
export class Seeder {
  constructor(
    private readonly store: DiscordStore,
    private readonly ids: SnowflakeFactory,
    private readonly now: () => number,
  ) {}

  createUser(input: CreateUserInput, bot = false): SandboxUser {
    const user: SandboxUser = {
      id: input.id ?? this.ids.next(),
      username: input.username,
      globalName: input.globalName ?? null,
      bot,
      dmsOpen: input.dmsOpen ?? true,
    };
    this.store.users.set(user.id, user);
    return user;
  }

  createBot(input: CreateBotInput): SandboxBot {
    const user = this.createUser({ username: input.username, id: input.userId }, true);
    const token =
      input.token ??
      `${Buffer.from(user.id).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(27).toString('base64url')}`;
    const bot: SandboxBot = {
      token,
      userId: user.id,
      appId: input.appId ?? user.id,
      username: user.username,
    };
    this.store.botsByToken.set(token, bot);
    this.store.botsByApp.set(bot.appId, bot);
    return bot;
  }

  createGuild(input: CreateGuildInput): SeededGuild {
    const id = input.id ?? this.ids.next();
    const ownerId = input.ownerId ?? this.createUser({ username: `${input.name} owner` }).id;
    const guild: SandboxGuild = { id, name: input.name, ownerId, roles: new Map(), channelIds: [] };
    const everyone = this.role(id, { name: '@everyone', position: 0 }, id);
    everyone.permissions =
      input.everyonePermissions === undefined
        ? DEFAULT_EVERYONE_PERMISSIONS
        : resolvePermissions(input.everyonePermissions);
    guild.roles.set(id, everyone);
    const seeded: SeededGuild = {
      id,
      name: input.name,
      ownerId,
      everyoneRoleId: id,
      roles: {},
      channels: {},
      members: {},
    };
    (input.roles ?? []).forEach((r, i) => {
      const role = this.role(id, { position: i + 1, ...r });
      guild.roles.set(role.id, role);
      seeded.roles[role.name] = role.id;
    });
    this.store.guilds.set(id, guild);
    for (const c of input.channels ?? []) {
      const channel = this.createChannel(id, typeof c === 'string' ? c : c.name);
      seeded.channels[channel.name ?? channel.id] = channel.id;
    }
    this.addMember(id, { id: ownerId });
    for (const m of input.members ?? []) {
      const user = this.addMember(id, m);
      seeded.members[user.username] = user.id;
    }
    const botIds = input.bots ?? [...this.store.botsByToken.values()].map((b) => b.userId);
    for (const userId of botIds) {
      if (this.store.member(id, userId)) continue;
      this.addMember(id, { id: userId, roles: input.botRoles });
    }
    return seeded;
  }

  createChannel(guildId: string, name: string): SandboxChannel {
    const guild = this.store.guilds.get(guildId);
    if (!guild) throw new Error(`unknown guild ${guildId}`);
    const channel: SandboxChannel = {
      id: this.ids.next(),
      type: 0,
      guildId,
      name,
      position: guild.channelIds.length,
      recipients: [],
      lastMessageId: null,
    };
    guild.channelIds.push(channel.id);
    this.store.channels.set(channel.id, channel);
    return channel;
  }

  /** Adds a member (creating the user unless `id` names an existing one); returns the user. */
  addMember(guildId: string, input: MemberInput): SandboxUser {
    const guild = this.store.guilds.get(guildId);
    if (!guild) throw new Error(`unknown guild ${guildId}`);
    let user = input.id ? this.store.users.get(input.id) : undefined;
    if (!user) {
      if (!input.username)
        throw new Error(`unknown user ${input.id ?? '(no id)'}: give a username`);
      user = this.createUser({ username: input.username, id: input.id, dmsOpen: input.dmsOpen });
    } else if (input.dmsOpen !== undefined) {
      user.dmsOpen = input.dmsOpen;
    }
    this.store.guildMembers(guildId).set(user.id, {
      guildId,
      userId: user.id,
      roles: this.roleIds(guild, input.roles ?? []),
      nick: input.nick ?? null,
      joinedAt: new Date(this.now()).toISOString(),
    });
    return user;
  }

  /** Resolves role names or ids to ids; throws on unknown ones. */
  roleIds(guild: SandboxGuild, namesOrIds: readonly string[]): string[] {
    return namesOrIds.map((n) => {
      if (guild.roles.has(n)) return n;
      for (const role of guild.roles.values()) if (role.name === n) return role.id;
      throw new Error(`unknown role ${n} in guild ${guild.name}`);
    });
  }

  private role(guildId: string, input: RoleInput, id?: string): SandboxRole {
    return {
      id: id ?? this.ids.next(),
      guildId,
      name: input.name,
      position: input.position ?? 1,
      permissions: resolvePermissions(input.permissions),
      color: input.color ?? 0,
      hoist: input.hoist ?? false,
      mentionable: input.mentionable ?? false,
      managed: input.managed ?? false,
    };
  }
}
