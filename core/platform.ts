import type { ApiClient } from '@twurple/api';
import type { SapphireClient } from '@sapphire/framework';
import type { Disposer } from './disposer.js';
import type { Logger } from './log.js';
import type { BotConfig } from './config/types.js';

/** Who sent a chat message, from its IRC tags (no API call). */
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

/** One chat line as cogs see it. */
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

/** The bot's Twitch chat, shared by its cogs and paced by one outgoing limiter. */
export interface TwitchChat {
  readonly connected: boolean;
  /** Sends a message to a channel (login without `#`). */
  say(channel: string, text: string): Promise<void>;
  /** Sends a threaded reply to the message with id `parentId`. */
  reply(channel: string, parentId: string, text: string): Promise<void>;
  /** Calls `handler` for every chat line in the bot's channels; returns its disposer. */
  onMessage(handler: (message: ChatMessage) => unknown): Disposer;
}

/** Who may run a chat command. */
export type PermissionLevel = 'everyone' | 'subscriber' | 'vip' | 'moderator' | 'broadcaster';

/** A running chat command, as its `run` sees it. */
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

/** A chat command registered by a cog. */
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
  run(invocation: CommandInvocation): unknown;
}

/** The per-bot command registry. */
export interface TwitchCommands {
  register(definition: ChatCommandDefinition): Disposer;
  /** Commands the given user may run, for `!commands`. */
  available(user: ChatUser): readonly ChatCommandDefinition[];
}

/** An EventSub notification delivered to a cog. */
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

/** EventSub for one bot: shared subscriptions, verified and deduplicated deliveries. */
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

/** The bot's Twitch identity as cogs get it. */
export interface TwitchFacet {
  chat: TwitchChat;
  commands: TwitchCommands;
  /** Helix with the bot's user token when it has one, else the app token. */
  api: ApiClient;
  eventsub: TwitchEventSub;
}

/** The bot's Discord side, when its bots.yaml entry has a `discord:` block. */
export interface DiscordFacet {
  client: SapphireClient;
  guilds: readonly string[];
}

/** What the kernel hands the platform layer to wrap one cog's registrations. */
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

/** Health of one bot's connections, for `/readyz` and `streamcogs status`. */
export interface BotPlatformStatus {
  ready: boolean;
  twitch?: {
    chat: 'connected' | 'connecting' | 'disconnected' | 'anonymous';
    needsAuth?: boolean;
    detail?: string;
  };
  discord?: { connected: boolean; guilds: readonly string[]; problems: readonly string[] };
}

/** The connections of one bot (built in `src/`, where platform libraries live). */
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

/** Builds a bot's platform connections from its config. */
export type BotPlatformFactory = (bot: BotConfig) => BotPlatform;
