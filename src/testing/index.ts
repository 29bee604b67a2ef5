/**
 * The test kit for cog authors (`streamcogs/testing`): start bots with chosen cogs
 * against the sandbox in one call, then act as viewers, streamers and Discord members
 * and assert what the platforms received.
 *
 * @example
 * ```ts
 * import { startTestBot } from 'streamcogs/testing';
 *
 * const t = await startTestBot({ cogs: ['chat-commands'], fakeTime: true });
 * t.viewer('bob').says('!ping');
 * expect(await t.nextBotMessage()).toBe('pong');
 * t.eventsub.follow('ada');                     // Twitch events, over the real EventSub path
 * const hook = t.discord.webhook('announcements'); // a Discord webhook for a cog setting
 * await t.clock.advance(60_000);                // cooldowns expire, timers run
 * await t.stop();
 * ```
 * @module
 */
export { startTestBot } from './test-bot.js';
export type { CogEntry, TestBot, TestBotOptions, TestViewer } from './test-bot.js';
export { waitUntil } from './wait.js';
export type { FakeTimeOption, FakedTimer, TestClock } from './clock.js';
export type { TestEventSub, TestReward } from './eventsub.js';
export type { TestDiscord, TestWebhook } from './discord.js';
