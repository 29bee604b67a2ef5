import type {
  BotPlatform,
  BotPlatformStatus,
  ChatMessage,
  CogScope,
  Disposer,
  DiscordFacet,
  Logger,
  TwitchEventSub,
  TwitchFacet,
} from '../../core/index.js';
import { StreamcogsError } from '../../core/index.js';
import type { ClusterClaim } from '../../core/cluster.js';
import { CommandRegistry } from '../../core/commands/registry.js';
import type { BotConfig } from '../../core/config/types.js';
import type { BotDiscord } from '../discord/bot-discord.js';
import type { discordFacet } from '../discord/facet.js';
import type { DiscordHub } from '../discord/hub.js';
import type { Endpoints } from '../endpoints.js';
import type { TwitchAccountsService } from '../twitch/auth/twitch-accounts.js';
import type { ChatLimiterOptions } from '../twitch/chat-limiter.js';
import type { BotNeeds } from './needs.js';
import { TwitchIdentity, type TwitchAuthDeps } from './twitch-identity.js';

/** A bot's Twitch chat identity: its login and a current user access token. */
export interface ChatIdentity {
  login: string;
  token: () => Promise<string>;
}

/** What {@link createBotPlatform} needs besides the bot's config. */
export interface BotPlatformDeps {
  endpoints: Endpoints;
  log: Logger;
  /** A fixed chat identity (tests); ignored when `auth` is given. Neither joins read-only. */
  identity?: ChatIdentity;
  /** The bot's stored, refreshed Twitch token (see `Connections`). */
  auth?: TwitchAuthDeps;
  /** The process's Discord connections; used when the bot has a `discord:` block. */
  discord?: DiscordHub;
  /** What the bot's cogs declare they need (intents, permissions), resolved at start. */
  needs?: () => Promise<BotNeeds>;
  /** EventSub for this bot, when the runtime has an ingress. */
  eventsub?: (scope: CogScope) => TwitchEventSub;
  /** Override the outgoing chat limits (benchmarks, verified bots); default Twitch's. */
  chatLimits?: ChatLimiterOptions;
  /** Other Twitch accounts cogs act for (`ctx.twitch.accounts`), see `Connections`. */
  accounts?: TwitchAccountsService;
  /**
   * Several instances share the storage (see `clusterClaim`): each is in chat with the same
   * account and receives every line, so a line is dispatched only by the one that claims it.
   */
  claim?: ClusterClaim;
}

type ChatHandler = (message: ChatMessage) => unknown;

/** How long a chat line's claim is kept: far longer than two instances receive it apart. */
const CHAT_CLAIM_MS = 10 * 60_000;

/** Whether this instance dispatches the line; a storage failure dispatches (rather than drop it). */
async function claimLine(claim: ClusterClaim, message: ChatMessage, log: Logger): Promise<boolean> {
  try {
    return await claim(`chat:${message.id}`, CHAT_CLAIM_MS);
  } catch (err) {
    log.warn({ err }, 'chat: could not claim a chat line in shared storage; handling it here');
    return true;
  }
}

function unavailableEventSub(bot: string): TwitchEventSub {
  return {
    on() {
      throw new StreamcogsError('SC_NOT_AVAILABLE', `bot "${bot}" has no EventSub ingress`, {
        fix: 'set PUBLIC_URL so Twitch can reach /eventsub',
      });
    },
  };
}

/**
 * Builds one bot's connections: its Twitch identity (stored token kept fresh, chat over
 * tmi.js with one outgoing limiter, app- and user-token Helix clients), the chat command
 * registry, its Discord client when it has a `discord:` block, and the per-cog facets
 * wrapping every handler.
 *
 * @example
 * ```ts
 * const platform = createBotPlatform(botConfig, { endpoints, log, ...connections.depsFor(botConfig) });
 * await platform.start();
 * const { twitch, discord } = platform.forCog(scope);
 * ```
 */
export function createBotPlatform(bot: BotConfig, deps: BotPlatformDeps): BotPlatform {
  const log = deps.log.child({ bot: bot.name });
  const twitchSide = new TwitchIdentity({
    bot,
    endpoints: deps.endpoints,
    log,
    auth: deps.auth,
    identity: deps.identity,
    chatLimits: deps.chatLimits,
  });
  const chat = twitchSide.chat;
  const commands = new CommandRegistry(bot.prefix);
  let discord: BotDiscord | undefined;
  /** `ctx.discord`'s builder, imported with Sapphire when the bot has Discord. */
  let facetOf: typeof discordFacet | undefined;
  const say = (channel: string, text: string) => chat.say(channel, text);
  // Every chat line reaches commands and cogs from here, once per cluster.
  const handlers = new Set<ChatHandler>();
  const onMessage = (handler: ChatHandler): Disposer => {
    handlers.add(handler);
    return () => void handlers.delete(handler);
  };
  chat.onMessage(async (message) => {
    if (deps.claim && message.id && !(await claimLine(deps.claim, message, log))) return;
    await Promise.all([...handlers].map((h) => Promise.resolve().then(() => h(message))));
  });
  onMessage((message) => commands.handle(message, say));

  return {
    forCog(scope: CogScope): { twitch: TwitchFacet; discord: DiscordFacet | undefined } {
      const twitch: TwitchFacet = {
        chat: {
          get connected() {
            return chat.connected;
          },
          say: (channel, text) => chat.say(channel, text),
          reply: (channel, parentId, text) => chat.reply(channel, parentId, text),
          onMessage: (handler) => scope.track(onMessage(scope.guard('chat.message', handler))),
        },
        commands: {
          register: (definition) =>
            scope.track(
              commands.register(
                scope.cog,
                definition,
                scope.guard(`command:${definition.name}`, definition.run),
              ),
            ),
          alias: (name, target, options) =>
            scope.track(commands.alias(scope.cog, name, target, options)),
          find: (name, channel) => commands.find(name, channel),
          available: (user, channel) => commands.available(user, channel),
        },
        get api() {
          return twitchSide.api;
        },
        eventsub: deps.eventsub?.(scope) ?? unavailableEventSub(bot.name),
        ...(deps.accounts ? { accounts: deps.accounts.forCog(bot.name, scope) } : {}),
      };
      return { twitch, discord: discord && facetOf ? facetOf(scope, discord) : undefined };
    },
    async start() {
      const needs = await deps.needs?.();
      const hub = deps.discord;
      const token = bot.secrets.discordToken;
      if (bot.discord && hub && !token)
        log.error(
          `bot "${bot.name}" has a discord: block but no token: set ${bot.envPrefix}_DISCORD_TOKEN`,
        );
      if (bot.discord && hub && token) {
        await hub.load();
        facetOf = (await import('../discord/facet.js')).discordFacet;
        discord = hub.attach({
          bot: bot.name,
          token,
          guilds: bot.discord.guilds,
          permissions: needs?.discordPermissions ?? [],
          intents: needs?.discordIntents ?? [],
        });
      }
      // Discord and Twitch connect side by side; a failed Discord login is reported, not thrown.
      await Promise.all([discord && hub ? hub.start(discord) : undefined, twitchSide.start()]);
    },
    async updateChannels(channels) {
      await chat.setChannels(channels);
    },
    status(): BotPlatformStatus {
      const twitch = twitchSide.status();
      if (!discord) return { ready: chat.connected, twitch };
      return {
        ready: chat.connected && discord.connection.connected,
        twitch,
        discord: {
          connected: discord.connection.connected,
          guilds: discord.guildLabels(),
          problems: discord.problems(),
          checks: discord.checks(),
        },
      };
    },
    async stop() {
      await twitchSide.stop();
      if (discord && deps.discord) await deps.discord.detach(discord);
    },
  };
}
