import { Intent } from './gateway/intents.js';
import { clickButton, emitInteraction, runSlashCommand } from './interactions/build.js';
import type {
  ButtonClickInput,
  EmitInteractionInput,
  SlashCommandInput,
} from './interactions/build.js';
import type { InteractionReply, WaitForReplyOptions } from './interactions/tracker.js';
import { DiscordServerState } from './server-state.js';
import type { SandboxUser } from './state/model.js';
import { createMessage } from './messaging.js';
import { memberPayload, userPayload } from './state/payloads.js';
import type { MemberInput } from './state/seed.js';

/**
 * Changes for `updateMember`.
 *
 * @example
 * ```ts
 * server.updateMember(guildId, userId, { roles: ['VIP'], nick: 'V' });
 * ```
 */
export interface MemberUpdate {
  /** Role names or ids (replaces the list). */
  roles?: string[];
  nick?: string | null;
}

/**
 * Things that happen "on Discord" and reach bots over the gateway: member changes and
 * interactions, plus gateway connection control.
 *
 * @example
 * ```ts
 * const id = server.runSlashCommand({ guildId, channelId, userId, name: 'ping' });
 * const reply = await server.waitForInteractionReply(id);
 * ```
 */
export class DiscordServerEventsBase extends DiscordServerState {
  /**
   * Adds a member and dispatches GUILD_MEMBER_ADD (to sessions with GUILD_MEMBERS).
   *
   * @example
   * ```ts
   * const dave = server.addMember(guildId, { username: 'dave', roles: ['Member'] });
   * ```
   */
  addMember(guildId: string, input: MemberInput): SandboxUser {
    const user = this.sb.seeder.addMember(guildId, input);
    const member = this.sb.store.member(guildId, user.id);
    if (member) {
      this.sb.gateway.dispatchToGuild(
        guildId,
        'GUILD_MEMBER_ADD',
        { guild_id: guildId, ...memberPayload(this.sb.store, member) },
        Intent.GuildMembers,
      );
    }
    return user;
  }

  /**
   * Changes a member's roles/nick and dispatches GUILD_MEMBER_UPDATE.
   *
   * @example
   * ```ts
   * server.updateMember(guildId, aliceId, { roles: ['Member', 'VIP'] });
   * ```
   */
  updateMember(guildId: string, userId: string, update: MemberUpdate): void {
    const guild = this.sb.store.guilds.get(guildId);
    const member = this.sb.store.member(guildId, userId);
    if (!guild || !member) throw new Error(`no member ${userId} in guild ${guildId}`);
    if (update.roles) member.roles = this.sb.seeder.roleIds(guild, update.roles);
    if (update.nick !== undefined) member.nick = update.nick;
    this.sb.gateway.dispatchToGuild(
      guildId,
      'GUILD_MEMBER_UPDATE',
      { guild_id: guildId, ...memberPayload(this.sb.store, member) },
      Intent.GuildMembers,
    );
  }

  /**
   * Removes a member and dispatches GUILD_MEMBER_REMOVE.
   *
   * @example
   * ```ts
   * server.removeMember(guildId, aliceId);
   * ```
   */
  removeMember(guildId: string, userId: string): void {
    const user = this.sb.store.users.get(userId);
    if (!this.sb.store.members.get(guildId)?.delete(userId) || !user) {
      throw new Error(`no member ${userId} in guild ${guildId}`);
    }
    const d = { guild_id: guildId, user: userPayload(user) };
    // Everyone else in the guild hears about it; the removed user (if a bot) is gone already.
    this.sb.gateway.dispatchToGuild(guildId, 'GUILD_MEMBER_REMOVE', d, Intent.GuildMembers);
  }

  /**
   * A user posts in a channel: the message is stored and MESSAGE_CREATE goes to bots
   * with GUILD_MESSAGES (content hidden without MESSAGE_CONTENT unless they're mentioned).
   *
   * @example
   * ```ts
   * server.postMessage({ channelId, userId: aliceId, content: '!ping' });
   * ```
   */
  postMessage(input: { channelId: string; userId: string; content: string }): string {
    const user = this.sb.store.users.get(input.userId);
    if (!user) throw new Error(`unknown user ${input.userId}`);
    return createMessage(this.sb, {
      channelId: input.channelId,
      author: {
        id: user.id,
        username: user.username,
        avatar: null,
        bot: user.bot,
        globalName: user.globalName,
      },
      source: 'user',
      body: { content: input.content },
    }).id;
  }

  /**
   * Pushes any INTERACTION_CREATE (raw `data`) to an application's bot; returns its id.
   *
   * @example
   * ```ts
   * const id = server.emitInteraction({ appId, type: 5, channelId, userId, data: { custom_id: 'f', components: [] } });
   * ```
   */
  emitInteraction(input: EmitInteractionInput): string {
    return emitInteraction(this.sb, input);
  }

  /**
   * Pushes a slash command (type 2) for a registered command; `options` by name are
   * typed from the registration (users, roles, channels get `resolved`).
   *
   * @example
   * ```ts
   * const id = server.runSlashCommand({ guildId, channelId, userId, name: 'give', options: { user: aliceId } });
   * ```
   */
  runSlashCommand(input: SlashCommandInput): string {
    return runSlashCommand(this.sb, input);
  }

  /**
   * Pushes a button click (type 3) on a bot's message.
   *
   * @example
   * ```ts
   * const id = server.clickButton({ messageId, customId: 'confirm', userId });
   * ```
   */
  clickButton(input: ButtonClickInput): string {
    return clickButton(this.sb, input);
  }

  /**
   * Resolves with the bot's first visible reply to an interaction: the message (4), the
   * update (7), the modal (9), or, after a deferral, the `@original` edit or follow-up.
   *
   * @example
   * ```ts
   * const reply = await server.waitForInteractionReply(id, { timeoutMs: 3000 });
   * expect(reply.ephemeral).toBe(true);
   * ```
   */
  waitForInteractionReply(id: string, options?: WaitForReplyOptions): Promise<InteractionReply> {
    return this.sb.interactions.wait(id, options);
  }

  /**
   * Sends op 7 RECONNECT on every gateway socket; clients reconnect to
   * `resume_gateway_url` and RESUME.
   *
   * @example
   * ```ts
   * server.requestReconnect();
   * ```
   */
  requestReconnect(): void {
    this.sb.gateway.requestReconnect();
  }

  /**
   * Drops every gateway socket with a close code (4000 default: clients resume; 4004
   * makes them give up).
   *
   * @example
   * ```ts
   * server.disconnectGateway();
   * ```
   */
  disconnectGateway(code = 4000): void {
    this.sb.gateway.disconnectAll(code);
  }

  /**
   * Gateway sessions: id, bot, intents, shard (`[id, count]`, `[0, 1]` unsharded),
   * sequence and whether a socket is attached.
   *
   * @example
   * ```ts
   * server.gatewaySessions()[0]?.intents;
   * ```
   */
  gatewaySessions(): {
    id: string;
    botUserId: string;
    intents: number;
    shard: [number, number];
    seq: number;
    connected: boolean;
  }[] {
    return [...this.sb.gateway.sessions.values()].map((s) => ({
      id: s.id,
      botUserId: s.bot.userId,
      intents: s.intents,
      shard: [s.shard[0], s.shard[1]],
      seq: s.seq,
      connected: s.connected,
    }));
  }
}
