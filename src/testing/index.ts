/**
 * The test kit for cog authors (`streamcogs/testing`): start bots with chosen cogs
 * against the sandbox in one call, then act as viewers, streamers and Discord members
 * and assert what the platforms received.
 *
 * @example
 * ```ts
 * import { startTestBot } from 'streamcogs/testing';
 *
 * const t = await startTestBot({ cogs: ['chat-commands'] });
 * t.viewer('bob').says('!ping');
 * expect(await t.nextBotMessage()).toBe('pong');
 * await t.stop();
 * ```
 * @module
 */
export { startTestBot } from './test-bot.js';
export type { TestBot, TestBotOptions, TestViewer } from './test-bot.js';
export { waitUntil } from './wait.js';
