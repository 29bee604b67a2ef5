import type { ApiClient } from '@twurple/api';
import type { Piece, SapphireClient } from '@sapphire/framework';
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ClientEvents,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Disposer } from './disposer.js';
import type { Logger } from './log.js';
import type { BotConfig } from './config/types.js';
import type { TwitchAccounts } from './twitch-accounts.js';

/**
 * Who sent a chat message, from its IRC tags (no API call).
 *
 * @example
 * ```ts
 * const { user } = message;
 * if (user.isModerator || user.badges.subscriber) ctx.log.info(`${user.displayName} may skip`);
 * ```
 */
export interface ChatUser {
  id: string;
  login: string;
  displayName: string;
  /** Badge name -> version, e.g. `{ subscriber: '6', moderator: '1' }`. */
  badges: Readonly<Record<string, string>>;
  isBroadcaster: boolean;
  isModerator: boolean;
  isVip: boolean;
  isSubscriber: boolean;
}

/**
 * One chat line as cogs see it.
 *
 * @example
 * ```ts
 * ctx.twitch.chat.onMessage((m) => {
 *   if (!m.self && /^hi\b/i.test(m.text)) return m.reply(`Hi @${m.user.displayName}!`);
 * });
 * ```
 */
export interface ChatMessage {
  id: string;
  /** Channel login without `#`. */
  channel: string;
  text: string;
  user: ChatUser;
  /** True when the bot itself sent it. */
  self: boolean;
  at: Date;
  /** Replies in a thread under this message. */
  reply(text: string): Promise<void>;
}

/**
 * The bot's Twitch chat, shared by its cogs and paced by one outgoing limiter.
 *
 * @example
 * ```ts
 * await ctx.twitch.chat.say('alice', 'Stream starts in 5 minutes!');
 * ```
 */
export interface TwitchChat {
  readonly connected: boolean;
  /** Sends a message to a channel (login without `#`). */
  say(channel: string, text: string): Promise<void>;
  /** Sends a threaded reply to the message with id `parentId`. */
  reply(channel: string, parentId: string, text: string): Promise<void>;
  /** Calls `handler` for every chat line in the bot's channels; returns its disposer. */
  onMessage(handler: (message: ChatMessage) => unknown): Disposer;
}

/**
 * Who may run a chat command.
 *
 * @example
 * ```ts
 * ctx.twitch.commands.register({
 *   name: 'title',
 *   permission: 'moderator',
 *   run: (c) => setTitle(c.argsText),
 * });
 * ```
 */
export type PermissionLevel = 'everyone' | 'subscriber' | 'vip' | 'moderator' | 'broadcaster';

/**
 * A running chat command, as its `run` sees it.
 *
 * @example
 * ```ts
 * // !roll 20 -> a threaded reply 'rolled 17'
 * run: (c) => c.reply(`rolled ${1 + Math.floor(Math.random() * Number(c.args[0] ?? 6))}`)
 * ```
 */
export interface CommandInvocation {
  /** The name the user typed (an alias or the name), lower-case. */
  name: string;
  user: ChatUser;
  channel: string;
  args: readonly string[];
  /** Everything after the command name, as typed. */
  argsText: string;
  message: ChatMessage;
  /** Threaded reply to the user's message. */
  reply(text: string): Promise<void>;
  /** Plain message in the channel. */
  say(text: string): Promise<void>;
}

/**
 * A chat command registered by a cog.
 *
 * @example
 * ```ts
 * ctx.twitch.commands.register({
 *   name: 'discord',
 *   aliases: ['dc'],
 *   cooldown: { user: 30, global: 5 },
 *   run: (c) => c.say('Join us: https://discord.gg/example'),
 * });
 * ```
 */
export interface ChatCommandDefinition {
  name: string;
  aliases?: readonly string[];
  description?: string;
  /** Defaults to `everyone`. */
  permission?: PermissionLevel;
  /** Logins always allowed / never allowed, whatever their level. */
  allow?: readonly string[];
  deny?: readonly string[];
  /** Seconds. Broadcaster and moderators bypass them unless `cooldownBypass` is false. */
  cooldown?: { user?: number; global?: number };
  cooldownBypass?: boolean;
  /**
   * Only in these channels (logins without `#`); default every channel of the bot. The same
   * name may then be registered again for other channels. Cooldowns count per channel.
   */
  channels?: readonly string[];
  run(invocation: CommandInvocation): unknown;
}

/**
 * The per-bot command registry, shared by the bot's cogs.
 *
 * @example
 * ```ts
 * ctx.twitch.commands.register({ name: 'so', permission: 'moderator', run: (c) => c.say(`Go follow ${c.args[0]}`) });
 * ctx.twitch.commands.alias('shoutout', 'so', { channels: ['alice'] });
 * ctx.twitch.commands.find('shoutout', 'alice')?.name; // 'so'
 * ```
 */
export interface TwitchCommands {
  /** Registers a command; a name or alias another registration holds (in a shared channel) throws. */
  register(definition: ChatCommandDefinition): Disposer;
  /**
   * Makes `name` run the command `target` (looked up when used, so the target may come and
   * go), with the target's permission and cooldowns.
   */
  alias(name: string, target: string, options?: { channels?: readonly string[] }): Disposer;
  /** The command a name or alias points to in a channel (any channel when omitted). */
  find(name: string, channel?: string): ChatCommandDefinition | undefined;
  /** Commands the given user may run (in `channel`, when given), for `!commands`. */
  available(user: ChatUser, channel?: string): readonly ChatCommandDefinition[];
}

/**
 * An EventSub notification delivered to a cog.
 *
 * @example
 * ```ts
 * (n: EventSubNotification<{ user_name: string }>) =>
 *   ctx.log.info(`${n.type}: ${n.event.user_name} at ${n.at.toISOString()}`);
 * ```
 */
export interface EventSubNotification<E = Record<string, unknown>> {
  /** Twitch message id. */
  id: string;
  type: string;
  version: string;
  /** The `event` object, as Twitch sent it. */
  event: E;
  /** When Twitch sent it. */
  at: Date;
}

/**
 * EventSub for one bot: shared subscriptions, verified and deduplicated deliveries.
 *
 * @example
 * ```ts
 * const condition = { broadcaster_user_id: id, moderator_user_id: id };
 * ctx.twitch.eventsub.on<{ user_name: string }>('channel.follow', condition, (n) =>
 *   ctx.twitch.chat.say('alice', `Welcome ${n.event.user_name}!`),
 * );
 * ```
 */
export interface TwitchEventSub {
  /**
   * Subscribes to a type with a condition; two cogs asking for the same pair share one
   * Twitch subscription.
   */
  on<E = Record<string, unknown>>(
    type: string,
    condition: Readonly<Record<string, string>>,
    handler: (notification: EventSubNotification<E>) => unknown,
  ): Disposer;
}

/**
 * The bot's Twitch identity as cogs get it.
 *
 * @example
 * ```ts
 * const user = await ctx.twitch.api.users.getUserByName(ctx.bot.channels[0]!);
 * ctx.twitch.eventsub.on('stream.online', { broadcaster_user_id: user!.id }, () =>
 *   ctx.twitch.chat.say(user!.name, 'Live!'),
 * );
 * ```
 */
export interface TwitchFacet {
  chat: TwitchChat;
  commands: TwitchCommands;
  /** Helix with the bot's user token when it has one, else the app token. */
  api: ApiClient;
  eventsub: TwitchEventSub;
  /**
   * Other Twitch accounts the cog acts for (members, the broadcaster), when the process
   * keeps tokens (it does under `streamcogs start`).
   */
  accounts?: TwitchAccounts;
}

/**
 * A slash command a cog registers with {@link DiscordFacet.registerCommand}.
 *
 * @example
 * ```ts
 * ctx.discord?.registerCommand({
 *   data: { name: 'uptime', description: 'How long the stream has been live' },
 *   run: (interaction) => interaction.reply({ content: uptimeText(), flags: 64 }),
 * });
 * ```
 */
export interface SlashCommandDefinition {
  /**
   * The command as Discord's API takes it (`name`, `description`, `options`), or anything
   * with `toJSON()` returning that (a discord.js `SlashCommandBuilder`).
   */
  data:
    | RESTPostAPIChatInputApplicationCommandsJSONBody
    | { toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  /** Guild ids to register it in; default every guild of the bot's `discord:` block. */
  guilds?: readonly string[];
  /** Runs for each use; guarded like every handler (an error is logged and answered ephemerally). */
  run(interaction: ChatInputCommandInteraction): unknown;
  /** Answers option autocompletion, when an option has `autocomplete: true`. */
  autocomplete?(interaction: AutocompleteInteraction): unknown;
}

/**
 * A button handler a cog registers with {@link DiscordFacet.registerButton}.
 *
 * @example
 * ```ts
 * // a button built with customId 'giveaway:join:42' lands here; the id after the prefix is yours
 * ctx.discord?.registerButton({
 *   customId: 'giveaway:join',
 *   run: (i) => i.reply({ content: 'You are in!', flags: 64 }),
 * });
 * ```
 */
export interface ButtonDefinition {
  /**
   * Matches a button whose custom id is this, or starts with this and `:` (the rest is
   * yours, e.g. `giveaway:join:42`). Prefix it with the cog's name to stay unique.
   */
  customId: string;
  run(interaction: ButtonInteraction): unknown;
}

/**
 * Sapphire stores {@link DiscordFacet.registerPiece} accepts.
 *
 * @example
 * ```ts
 * ctx.discord?.registerPiece('listeners', 'welcome', WelcomeListener);
 * ```
 */
export type DiscordPieceStore = 'commands' | 'listeners' | 'interaction-handlers' | 'preconditions';

/**
 * The result of the startup checks of one guild (see {@link DiscordFacet.manageRoles}).
 *
 * @example
 * ```ts
 * for (const c of ctx.discord?.checks() ?? []) if (!c.present) ctx.log.warn(c.problems.join(' '));
 * ```
 */
export interface DiscordGuildCheck {
  guildId: string;
  /** Known once the bot is in the guild. */
  guildName?: string;
  /** Whether the bot is a member of the guild. */
  present: boolean;
  /** Declared permissions the bot lacks there (discord.js names, e.g. `ManageRoles`). */
  missingPermissions: string[];
  /** Everything wrong, one sentence each with the fix. */
  problems: string[];
}

/**
 * The bot's Discord side, when its bots.yaml entry has a `discord:` block. Everything a
 * cog registers becomes a Sapphire piece on the bot's client and is removed when the cog
 * unloads (each call returns its disposer). Slash commands are registered per guild with
 * one bulk overwrite once the bot's cogs are set up, and again after a reload, so
 * commands of removed cogs disappear.
 *
 * @example
 * ```ts
 * setup(ctx) {
 *   ctx.discord?.registerCommand({
 *     data: { name: 'ping', description: 'Is the bot alive?' },
 *     run: (interaction) => interaction.reply({ content: 'pong', flags: 64 }),
 *   });
 *   ctx.discord?.registerButton({ customId: 'roles:refresh', run: (i) => i.update({ content: 'done' }) });
 *   ctx.discord?.on('guildMemberAdd', (member) => ctx.log.info(`${member.user.username} joined`));
 *   ctx.discord?.manageRoles(ctx.discord.guilds[0]!, ['Tier 1', 'Tier 2', 'Tier 3']);
 * }
 * ```
 */
export interface DiscordFacet {
  /**
   * The bot's discord.js client (a SapphireClient), logged in when cogs are set up. Bots
   * of bots.yaml with the same token share it.
   */
  readonly client: SapphireClient;
  /** Guild ids from the bot's `discord:` block. */
  readonly guilds: readonly string[];
  /** Whether the gateway connection is up. */
  readonly connected: boolean;
  /** Registers a slash command in the bot's guilds. */
  registerCommand(definition: SlashCommandDefinition): Disposer;
  /** Handles clicks on buttons whose custom id matches. */
  registerButton(definition: ButtonDefinition): Disposer;
  /**
   * Listens to a discord.js client event (a Sapphire listener). On a client several bots
   * share, events of another bot's guilds are not delivered.
   */
  on<K extends keyof ClientEvents>(
    event: K,
    handler: (...args: ClientEvents[K]) => unknown,
  ): Disposer;
  /**
   * Loads any Sapphire piece class (a `Command` with `registerApplicationCommands`, an
   * `InteractionHandler`, a `Listener`, a `Precondition`) into the bot's client. Slash
   * commands a `Command` piece registers are included in the guild bulk overwrite.
   */
  registerPiece(
    store: DiscordPieceStore,
    name: string,
    piece: new (context: Piece.LoaderContext, options: Piece.Options) => Piece,
  ): Disposer;
  /**
   * Declares roles (names or ids) this cog assigns in a guild: the startup checks then
   * require Manage Roles there and each role below the bot's highest role.
   */
  manageRoles(guildId: string, roles: readonly string[]): Disposer;
  /** The latest startup checks, per guild of the bot. */
  checks(): readonly DiscordGuildCheck[];
}

/**
 * What the kernel hands the platform layer to wrap one cog's registrations.
 *
 * @example
 * ```ts
 * const { twitch, discord } = platform.forCog(scope);
 * twitch.chat.onMessage(scope.guard('echo', (m) => scope.log.info(m.text)));
 * ```
 */
export interface CogScope {
  bot: string;
  cog: string;
  log: Logger;
  signal: AbortSignal;
  /** Records a disposer to run when the cog unloads; returns it. */
  track(disposer: Disposer): Disposer;
  /** Wraps a handler: errors are logged with bot and cog, counted, and never thrown. */
  guard<A extends unknown[]>(
    label: string,
    fn: (...args: A) => unknown,
  ): (...args: A) => Promise<void>;
}

/**
 * Health of one bot's connections, for `/readyz` and `streamcogs status`.
 *
 * @example
 * ```ts
 * const s = platform.status();
 * // prints e.g. 'run npx streamcogs auth alice'
 * if (!s.ready && s.twitch?.needsAuth) console.log(`run ${s.twitch.command}`);
 * ```
 */
export interface BotPlatformStatus {
  ready: boolean;
  twitch?: {
    chat: 'connected' | 'connecting' | 'disconnected' | 'anonymous';
    needsAuth?: boolean;
    detail?: string;
    /** `valid`, `missing` (never authorised), `needs_auth` (refused), `no_app` (no client id). */
    auth?: 'valid' | 'missing' | 'needs_auth' | 'no_app';
    /** The Twitch account chat and the user-token Helix client act as. */
    login?: string;
    /** When the current access token expires (ISO); it is refreshed before. */
    tokenValidUntil?: string;
    scopes?: readonly string[];
    /** Scopes the cogs need that the token lacks. */
    missingScopes?: readonly string[];
    /** The command to run when `needsAuth`. */
    command?: string;
  };
  discord?: {
    connected: boolean;
    guilds: readonly string[];
    problems: readonly string[];
    /** Per guild: name, presence, missing permissions. */
    checks?: readonly DiscordGuildCheck[];
  };
}

/**
 * The connections of one bot (built in `src/`, where platform libraries live).
 *
 * @example
 * ```ts
 * await platform.start();
 * await platform.updateChannels(['alice', 'bob']); // bots.yaml edited
 * await platform.stop();
 * ```
 */
export interface BotPlatform {
  /** Builds the facets one cog sees; registrations go through `scope`. */
  forCog(scope: CogScope): { twitch: TwitchFacet; discord: DiscordFacet | undefined };
  /** Connects (chat, Discord gateway). */
  start(): Promise<void>;
  /** Applies a new channel list (hot reload). */
  updateChannels(channels: readonly string[]): Promise<void>;
  status(): BotPlatformStatus;
  /** Disconnects. */
  stop(): Promise<void>;
}

/**
 * Builds a bot's platform connections from its config.
 *
 * @example
 * ```ts
 * const platforms: BotPlatformFactory = (bot) => createBotPlatform(bot, { endpoints, log });
 * ```
 */
export type BotPlatformFactory = (bot: BotConfig) => BotPlatform;
