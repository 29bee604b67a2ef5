import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, waitUntil, type TestBot } from '../../src/testing/index.js';

let t: TestBot;
const logs: string[] = [];
beforeAll(async () => {
  t = await startTestBot({
    logLines: logs,
    cogs: [
      {
        'chat-commands': {
          helix_cache_seconds: 0,
          timers: [
            {
              name: 'socials',
              every: '1s',
              min_chat_lines: 3,
              messages: ['Follow {channel}!', 'Playing {game}'],
            },
          ],
        },
      },
    ],
  });
});
afterAll(async () => {
  await t?.stop();
});

/** Waits for the timer's next "not posted" log line with a reason matching `reason`. */
async function skipped(reason: RegExp): Promise<void> {
  const from = logs.length;
  await waitUntil(
    () =>
      logs
        .slice(from)
        .map((l) => JSON.parse(l) as { msg?: string; reason?: string; timer?: string })
        .some(
          (l) =>
            l.msg === 'timer not posted' && l.timer === 'socials' && reason.test(l.reason ?? ''),
        ),
    `the timer to skip with reason ${reason}`,
  );
}

function chat(lines: number): void {
  for (let i = 0; i < lines; i++) t.viewer(`chatter${i}`).says(`hello ${i}`);
}

describe('timers', () => {
  it('post only while live, only after enough chat lines, in turn', async () => {
    chat(5);
    await skipped(/^offline$/);
    await skipped(/^offline$/); // checked again a second later: still nothing posted
    expect(t.botMessages()).toEqual([]);

    t.goLive({ game: 'Chess' });
    expect(await t.nextBotMessage()).toBe('Follow streamer!');

    await skipped(/^0 of 3 chat lines$/);
    chat(2);
    await skipped(/^2 of 3 chat lines$/);
    expect(t.botMessages()).toEqual(['Follow streamer!']);
    const next = t.nextBotMessage();
    chat(1);
    expect(await next).toBe('Playing Chess');

    const third = t.nextBotMessage();
    chat(3);
    expect(await third).toBe('Follow streamer!');

    t.goOffline();
    chat(3);
    await skipped(/^offline$/);
    await skipped(/^offline$/);
    expect(t.botMessages()).toEqual(['Follow streamer!', 'Playing Chess', 'Follow streamer!']);
  });
});
