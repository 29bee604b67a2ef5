import { ApiClient } from '@twurple/api';
import { AppTokenAuthProvider } from '@twurple/auth';
import type {
  BotPlatform,
  BotPlatformStatus,
  CogScope,
  DiscordFacet,
  Logger,
  TwitchEventSub,
  TwitchFacet,
} from '../../core/index.js';
import { StreamcogsError } from '../../core/index.js';
import { CommandRegistry } from '../../core/commands/registry.js';
import type { BotConfig } from '../../core/config/types.js';
import type { Endpoints } from '../endpoints.js';
import { ChatConnection } from '../twitch/chat-connection.js';

/** A bot's Twitch chat identity: its login and a current user access token. */
export interface ChatIdentity {
  login: string;
  token: () => Promise<string>;
}

/** What {@link createBotPlatform} needs besides the bot's config. */
export interface BotPlatformDeps {
  endpoints: Endpoints;
  log: Logger;
  /** The bot's chat identity; undefined joins read-only. */
  identity?: ChatIdentity;
  /** EventSub for this bot, when the runtime has an ingress. */
  eventsub?: (scope: CogScope) => TwitchEventSub;
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
 * Builds one bot's connections: chat over tmi.js with one outgoing limiter, the chat
 * command registry, a Helix client, and the per-cog facets wrapping every handler.
 *
 * @example
 * ```ts
 * const platform = createBotPlatform(botConfig, { endpoints, log });
 * await platform.start();
 * const { twitch } = platform.forCog(scope);
 * ```
 */
export function createBotPlatform(bot: BotConfig, deps: BotPlatformDeps): BotPlatform {
  const log = deps.log.child({ bot: bot.name });
  const chat = new ChatConnection({
    endpoints: deps.endpoints,
    channels: bot.channels,
    log,
    identity: deps.identity,
  });
  const commands = new CommandRegistry(bot.prefix);
  const api = new ApiClient({
    authProvider: new AppTokenAuthProvider(
      bot.secrets.clientId ?? 'missing-client-id',
      bot.secrets.clientSecret ?? 'missing-client-secret',
    ),
  });
  chat.onMessage(async (message) => {
    await commands.handle(message, {
      reply: (text) => message.reply(text),
      say: (text) => chat.say(message.channel, text),
    });
  });

  return {
    forCog(scope: CogScope): { twitch: TwitchFacet; discord: DiscordFacet | undefined } {
      const twitch: TwitchFacet = {
        chat: {
          get connected() {
            return chat.connected;
          },
          say: (channel, text) => chat.say(channel, text),
          reply: (channel, parentId, text) => chat.reply(channel, parentId, text),
          onMessage: (handler) => scope.track(chat.onMessage(scope.guard('chat.message', handler))),
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
          available: (user) => commands.available(user),
        },
        api,
        eventsub: deps.eventsub?.(scope) ?? unavailableEventSub(bot.name),
      };
      return { twitch, discord: undefined };
    },
    async start() {
      await chat.connect();
    },
    async updateChannels(channels) {
      await chat.setChannels(channels);
    },
    status(): BotPlatformStatus {
      return {
        ready: chat.connected,
        twitch: { chat: chat.state },
      };
    },
    async stop() {
      await chat.disconnect();
    },
  };
}
