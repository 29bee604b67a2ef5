import { afterEach, describe, expect, it } from 'vitest';
import { startTestBot, waitUntil, type TestBot } from '../../src/testing/index.js';

const ECHO = { 'chat-commands': { commands: { echo: { response: '{args}', cooldown: 0 } } } };
let t: TestBot | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

/** Most of `times` inside any window of `ms` (Twitch: an event counts until t + 30 s). */
function busiestWindow(times: readonly number[], ms: number): number {
  let best = 0;
  for (const start of times)
    best = Math.max(best, times.filter((x) => x >= start && x < start + ms).length);
  return best;
}

function burst(bot: TestBot, n: number): void {
  for (let i = 0; i < n; i++) bot.viewer(`viewer${i % 7}`).says(`!echo reply ${i}`);
}

describe('one outgoing limiter per bot account', () => {
  it('a burst of 50 replies from a non-moderator bot: at most 20 in any 30 s, none dropped', async () => {
    t = await startTestBot({ cogs: [ECHO] });
    const bot = t;
    burst(bot, 50);
    await waitUntil(() => bot.botMessages().length === 50, '50 replies', 75_000);
    const sent = bot.sandbox.chat
      .messagesFrom(bot.login, bot.channel)
      .filter((r) => r.command === 'PRIVMSG');
    expect(sent.filter((r) => r.dropped)).toEqual([]);
    expect(bot.sandbox.chat.droppedCount(bot.login)).toBe(0);
    expect(
      busiestWindow(
        sent.map((r) => r.at),
        30_000,
      ),
    ).toBe(20);
    expect(bot.botMessages()).toEqual(Array.from({ length: 50 }, (_, i) => `reply ${i}`));
  }, 90_000);

  it('sends 100 per 30 s once USERSTATE says the bot is a moderator', async () => {
    t = await startTestBot({ cogs: [ECHO] });
    const bot = t;
    bot.sandbox.chat.setModerator(bot.channel, bot.login);
    await waitUntil(async () => (await fetch(`${bot.url}/readyz`)).ok, 'the bot to be ready');
    // The USERSTATE with mod=1 reaches the bot before the viewers' lines: same socket, sent first.
    burst(bot, 60);
    await waitUntil(() => bot.botMessages().length === 60, '60 replies', 10_000);
    expect(bot.sandbox.chat.droppedCount(bot.login)).toBe(0);
  });

  it('keeps a bounded queue: past 200 waiting, the oldest are dropped with a log line', async () => {
    const logs: string[] = [];
    t = await startTestBot({ cogs: [ECHO], logLines: logs });
    const bot = t;
    burst(bot, 250);
    const drops = () =>
      logs.filter((l) => l.includes('outgoing chat queue full: dropped the oldest message')).length;
    await waitUntil(() => drops() === 30, '30 dropped messages in the log');
    await waitUntil(() => bot.botMessages().length === 20, 'the first 20 replies');
    expect(bot.botMessages()).toEqual(Array.from({ length: 20 }, (_, i) => `reply ${i}`));
    expect(bot.sandbox.chat.droppedCount(bot.login)).toBe(0);
    // A dropped reply is logged once, not again as a failing command.
    expect(logs.filter((l) => l.includes('failed'))).toEqual([]);
  });
});
