import { EventEmitter } from 'node:events';
import type { BotPlatform, ChatMessage, CogScope, TwitchFacet } from '../../core/index.js';
import { CommandRegistry } from '../../core/commands/registry.js';
import type { BotConfig } from '../../core/config/types.js';

/**
 * A platform-free bot for kernel tests: chat lines are injected in memory and what the
 * bot says is recorded. Integration tests use the sandbox and the real clients instead.
 */
export class MemoryPlatform implements BotPlatform {
  readonly said: { channel: string; text: string }[] = [];
  readonly emitter = new EventEmitter();
  readonly commands: CommandRegistry;
  channels: readonly string[];
  started = false;
  stopped = false;

  constructor(readonly bot: BotConfig) {
    this.channels = bot.channels;
    this.commands = new CommandRegistry(bot.prefix);
  }

  /** A viewer line arriving in chat. */
  async inject(channel: string, login: string, text: string): Promise<void> {
    const message: ChatMessage = {
      id: `m${Math.random()}`,
      channel,
      text,
      self: false,
      at: new Date(),
      user: {
        id: '1',
        login,
        displayName: login,
        badges: {},
        isBroadcaster: false,
        isModerator: false,
        isVip: false,
        isSubscriber: false,
      },
      reply: async (t) => void this.said.push({ channel, text: t }),
    };
    const handlers = this.emitter.listeners('message') as ((m: ChatMessage) => Promise<void>)[];
    await Promise.all(handlers.map((h) => h(message)));
    await this.commands.handle(message, {
      reply: message.reply,
      say: async (t) => void this.said.push({ channel, text: t }),
    });
  }

  forCog(scope: CogScope): { twitch: TwitchFacet; discord: undefined } {
    const twitch = {
      chat: {
        connected: true,
        say: async (channel: string, text: string) => void this.said.push({ channel, text }),
        reply: async (channel: string, _p: string, text: string) =>
          void this.said.push({ channel, text }),
        onMessage: (handler: (m: ChatMessage) => unknown) => {
          const h = scope.guard('chat.message', handler);
          this.emitter.on('message', h);
          return scope.track(() => void this.emitter.off('message', h));
        },
      },
      commands: {
        register: (def) =>
          scope.track(
            this.commands.register(scope.cog, def, scope.guard(`command:${def.name}`, def.run)),
          ),
        alias: (name, target, options) =>
          scope.track(this.commands.alias(scope.cog, name, target, options)),
        find: (name, channel) => this.commands.find(name, channel),
        available: (user, channel) => this.commands.available(user, channel),
      },
      api: undefined as never,
      eventsub: {
        on: () => {
          throw new Error('MemoryPlatform has no EventSub');
        },
      },
    } satisfies TwitchFacet;
    return { twitch, discord: undefined };
  }

  async start(): Promise<void> {
    this.started = true;
  }
  async updateChannels(channels: readonly string[]): Promise<void> {
    this.channels = channels;
  }
  status() {
    return { ready: this.started && !this.stopped, twitch: { chat: 'connected' as const } };
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
}
