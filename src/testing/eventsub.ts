import type { Sandbox } from '../sandbox/index.js';
import { waitUntil } from './wait.js';

/**
 * A channel points reward, as a viewer redeems it.
 *
 * @example
 * ```ts
 * t.eventsub.redeem({ title: 'Hydrate', cost: 50 }, { user: 'ada' });
 * ```
 */
export interface TestReward {
  title: string;
  /** Default 100. */
  cost?: number;
  prompt?: string;
  /** Default: derived from the title, stable across runs. */
  id?: string;
}

/**
 * Things that happen on Twitch, raised in the sandbox world: the sandbox's EventSub sender
 * signs and delivers them to the bot's real EventSub ingress, as Twitch would. Every
 * method takes the channel last (default: the bot's first channel).
 *
 * @example
 * ```ts
 * await t.eventsub.subscribed('channel.channel_points_custom_reward_redemption.add');
 * t.eventsub.redeem({ title: 'Hydrate', cost: 50 }, { user: 'ada' });
 * expect((await t.discord.nextPost()).content).toContain('Hydrate');
 * ```
 */
export interface TestEventSub {
  /**
   * Resolves once Twitch holds an enabled subscription of `type` for the channel: raise the
   * event after this, or it reaches nobody (as on Twitch).
   */
  subscribed(type: string, options?: { channel?: string; timeoutMs?: number }): Promise<void>;
  /** A viewer redeems a reward; returns the redemption id. */
  redeem(reward: TestReward, options?: { user?: string; input?: string; channel?: string }): string;
  follow(user: string, channel?: string): void;
  /** `user` null: an anonymous cheer. */
  cheer(user: string | null, bits: number, message?: string, channel?: string): void;
  subscribe(
    user: string,
    options?: {
      tier?: '1000' | '2000' | '3000';
      gift?: string;
      message?: string;
      channel?: string;
    },
  ): void;
  /** `from` raids the channel with `viewers`. */
  raid(from: string, viewers: number, channel?: string): void;
  /** Changes the channel's title or category (`channel.update`). */
  updateChannel(change: { title?: string; game?: string }, channel?: string): void;
  /** Resolves once every notification raised so far was delivered (or given up). */
  delivered(): Promise<void>;
}

/**
 * The {@link TestEventSub} of a test bot.
 *
 * @example
 * ```ts
 * const eventsub = testEventSub(sandbox, 'streamer');
 * eventsub.follow('ada');
 * ```
 */
export function testEventSub(sandbox: Sandbox, defaultChannel: string): TestEventSub {
  const world = sandbox.world;
  return {
    async subscribed(type, options = {}) {
      const id = world.ensureUser(options.channel ?? defaultChannel).id;
      await waitUntil(
        () =>
          world.eventSub
            .list()
            .some(
              (s) =>
                s.type === type &&
                s.status === 'enabled' &&
                Object.values(s.condition).includes(id),
            ),
        `an enabled EventSub subscription to ${type} for #${options.channel ?? defaultChannel} (does the app wire EventSub, and did the cog call ctx.twitch.eventsub.on?)`,
        options.timeoutMs ?? 10_000,
      );
    },
    redeem: (reward, o = {}) =>
      world.redeem(
        o.channel ?? defaultChannel,
        o.user ?? 'viewer',
        { cost: 100, ...reward },
        o.input ?? '',
      ),
    follow: (user, channel = defaultChannel) => void world.follow(channel, user),
    cheer: (user, bits, message, channel = defaultChannel) =>
      world.cheer(channel, user, bits, message),
    subscribe: (user, o = {}) =>
      void world.subscribe(o.channel ?? defaultChannel, user, o.tier ?? '1000', {
        ...(o.gift ? { gift: o.gift } : {}),
        ...(o.message !== undefined ? { message: o.message } : {}),
      }),
    raid: (from, viewers, channel = defaultChannel) => world.raid(from, channel, viewers),
    updateChannel: (change, channel = defaultChannel) => void world.updateChannel(channel, change),
    delivered: () => sandbox.twitchApi.eventSub.idle(),
  };
}
