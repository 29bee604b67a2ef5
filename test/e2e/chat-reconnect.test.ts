import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffConfig } from '../../core/config/index.js';
import type { AppConfig } from '../../core/config/types.js';
import { startTestBot, waitUntil, type TestBot } from '../../src/testing/index.js';
import { ask, FIXTURE_COGS, PING } from '../plugins/chat-commands/helpers.js';

let t: TestBot;
const logs: string[] = [];
beforeAll(async () => {
  t = await startTestBot({
    logLines: logs,
    pluginDirs: [FIXTURE_COGS],
    cogs: [{ 'chat-commands': { commands: PING } }, 'tools'],
  });
});
afterAll(async () => {
  await t?.stop();
});

/** The bot's JOIN or PART lines for a channel that reached the server. */
function lines(command: 'JOIN' | 'PART', channel: string): number {
  return t.sandbox.chat.received.filter(
    (r) =>
      r.login === t.login && r.command === command && r.channel === `#${channel}` && !r.dropped,
  ).length;
}

async function reconfigure(channels: string[]): Promise<void> {
  const runtime = t.app.runtime;
  const prev = runtime.config as AppConfig;
  const next: AppConfig = { ...prev, bots: prev.bots.map((b) => ({ ...b, channels })) };
  await runtime.applyConfig(next, diffConfig(prev, next));
}

describe('chat connection', () => {
  it('reconnects with backoff when the server drops it, rejoins once, and answers again', async () => {
    expect(lines('JOIN', 'streamer')).toBe(1);
    t.viewer('streamer', { broadcaster: true }).says('!drop');
    await waitUntil(
      () => logs.some((l) => l.includes('chat disconnected; reconnecting')),
      'the bot to notice the drop',
    );
    await waitUntil(() => lines('JOIN', 'streamer') === 2, 'the bot to rejoin #streamer');
    await waitUntil(() => t.sandbox.chat.chatters('streamer').includes(t.login), 'membership');
    expect(await ask(t, 'viewer1', '!ping back')).toBe('pong back');
    // tmi.js's own rejoin is off: exactly one JOIN per connection, through our limiter.
    expect(lines('JOIN', 'streamer')).toBe(2);
    expect(t.sandbox.chat.connectionCount).toBe(1);
  });

  it('joins and parts channels as bots.yaml changes, without a restart', async () => {
    await reconfigure(['streamer', 'newcomer']);
    await waitUntil(() => t.sandbox.chat.chatters('newcomer').includes(t.login), 'join #newcomer');
    expect(await ask(t, 'viewer1', '!ping there', undefined, 'newcomer')).toBe('pong there');

    await reconfigure(['newcomer']);
    await waitUntil(() => lines('PART', 'streamer') === 1, 'part #streamer');
    expect(t.sandbox.chat.chatters('streamer')).not.toContain(t.login);
    expect(await ask(t, 'viewer1', '!ping still', undefined, 'newcomer')).toBe('pong still');
  });
});
