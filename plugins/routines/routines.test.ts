import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, waitUntil, type TestBot } from '../../src/testing/index.js';
import { durationMs, settings } from './settings.js';

const MINUTES = 60_000;

describe('routines settings', () => {
  it('reads durations as seconds or text', () => {
    expect(durationMs(90)).toBe(90_000);
    expect(durationMs('10m')).toBe(600_000);
    expect(durationMs('1.5h')).toBe(5_400_000);
  });

  it('refuses a routine with both every and at, a short period, a bad time zone', () => {
    const bad = settings.safeParse({
      routines: [
        { name: 'a', message: 'x', every: '5m', at: '08:30' },
        { name: 'b', message: 'x', every: '5s' },
        { name: 'c', message: 'x', at: '08:30', timezone: 'Mars/Olympus' },
      ],
    });
    const messages = bad.error?.issues.map((i) => i.message) ?? [];
    expect(messages).toContain('give either `every` (a period) or `at` (a time of day), not both');
    expect(messages).toContain('at least 30 seconds: chat is not a ticker');
    expect(messages).toContain('an IANA time zone like Europe/Paris');
  });
});

describe('a routine every 5 minutes', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({
      cogs: [
        {
          routines: {
            routines: [
              {
                name: 'socials',
                every: '5m',
                message: ['Follow us!', 'Join the Discord, {channel}!'],
              },
            ],
          },
        },
      ],
      fakeTime: true,
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('says its messages in turn, once per period', async () => {
    for (const expected of ['Follow us!', 'Join the Discord, streamer!', 'Follow us!']) {
      const next = t.nextBotMessage();
      await t.clock.advance(5 * MINUTES);
      expect(await next).toBe(expected);
    }
    expect(t.botMessages()).toHaveLength(3);
  });
});

describe('routines that wait for chat or for the stream', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({
      cogs: [
        {
          routines: {
            routines: [
              { name: 'chatty', every: '5m', message: 'Thanks for chatting!', min_chat_lines: 2 },
              { name: 'live', every: '5m', message: 'We are live!', only_when_live: true },
              { name: 'pulse', every: '5m', message: 'Pulse' },
            ],
          },
        },
      ],
      fakeTime: true,
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('skips a turn in a quiet chat, and while offline', async () => {
    const next = t.nextBotMessage();
    await t.clock.advance(5 * MINUTES);
    expect(await next).toBe('Pulse'); // the two before it stayed silent
  });

  it('speaks once viewers wrote enough and the stream is live', async () => {
    t.viewer('ada').says('hi');
    await t.botSaw(t.viewer('bob').says('hello')); // counted before the clock moves
    t.goLive();
    await t.clock.advance(5 * MINUTES);
    await waitUntil(() => t.botMessages().length === 4, 'three more messages');
    expect(t.botMessages().slice(1).sort()).toEqual([
      'Pulse',
      'Thanks for chatting!',
      'We are live!',
    ]);
  });
});

describe('a daily routine', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({
      cogs: [
        {
          routines: {
            routines: [
              { name: 'morning', at: '08:30', timezone: 'Europe/Paris', message: 'Good morning!' },
            ],
          },
        },
      ],
      fakeTime: true,
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('speaks once at its time of day, in its time zone', async () => {
    t.clock.set(new Date('2030-01-01T07:29:30Z')); // 08:29:30 in Paris
    const next = t.nextBotMessage();
    await t.clock.advance(2 * MINUTES);
    expect(await next).toBe('Good morning!');
    await t.clock.advance(2 * MINUTES); // still that morning: nothing more
    t.clock.set(new Date('2030-01-02T07:29:30Z'));
    const tomorrow = t.nextBotMessage();
    await t.clock.advance(2 * MINUTES);
    expect(await tomorrow).toBe('Good morning!');
    expect(t.botMessages()).toEqual(['Good morning!', 'Good morning!']);
  });
});
