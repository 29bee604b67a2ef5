import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatLimiter } from '../../src/twitch/chat-limiter.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A limiter on vitest's fake clock, recording when each message was written. */
function setup(options: ConstructorParameters<typeof ChatLimiter>[0] = {}) {
  vi.useFakeTimers({ now: 0 });
  const dropped: string[] = [];
  const limiter = new ChatLimiter({
    now: () => Date.now(),
    onDrop: (_c, text) => dropped.push(text),
    ...options,
  });
  const sentAt: number[] = [];
  const send = (channel: string, text: string) =>
    limiter.send(channel, text, async () => void sentAt.push(Date.now()));
  return { limiter, dropped, sentAt, send };
}

/** Most messages in any window of `ms` (inclusive start, exclusive end). */
function busiestWindow(times: number[], ms: number): number {
  let best = 0;
  for (let i = 0; i < times.length; i++) {
    const end = (times[i] as number) + ms;
    best = Math.max(best, times.filter((t) => t >= (times[i] as number) && t < end).length);
  }
  return best;
}

describe('ChatLimiter', () => {
  it('sends at most 20 per 30 s (plus its margin) where the bot is not a moderator, in order', async () => {
    const { send, sentAt } = setup();
    const all = Promise.all(Array.from({ length: 50 }, (_, i) => send('alice', `m${i}`)));
    await vi.advanceTimersByTimeAsync(0);
    expect(sentAt).toHaveLength(20);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(sentAt).toHaveLength(20); // the 250 ms margin is not over yet
    await vi.advanceTimersByTimeAsync(300);
    expect(sentAt).toHaveLength(40);
    await vi.advanceTimersByTimeAsync(31_000);
    await all;
    expect(sentAt).toHaveLength(50);
    expect(busiestWindow(sentAt, 30_250)).toBe(20);
  });

  it('allows 100 per 30 s where it is moderator or broadcaster, asked per channel', async () => {
    const elevated = new Set(['alice']);
    const { send, sentAt } = setup({ isElevated: (c) => elevated.has(c) });
    const all = Promise.all(Array.from({ length: 120 }, (_, i) => send('alice', `m${i}`)));
    await vi.advanceTimersByTimeAsync(0);
    expect(sentAt).toHaveLength(100);
    elevated.delete('alice'); // demoted: the next message needs a free slot under 20
    await vi.advanceTimersByTimeAsync(31_000);
    await all;
    expect(sentAt).toHaveLength(120);
  });

  it('drops the oldest queued message when the queue is full, telling whoever sent it', async () => {
    const { send, sentAt, dropped } = setup({ normal: 1, maxQueue: 3 });
    const results = Array.from({ length: 6 }, (_, i) =>
      send('alice', `m${i}`).then(
        () => 'sent',
        (e: Error) => e.message,
      ),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(sentAt).toHaveLength(1); // m0 went out; m1..m5 wait, m1 and m2 are pushed out
    expect(dropped).toEqual(['m1', 'm2']);
    await vi.advanceTimersByTimeAsync(100_000);
    expect(await Promise.all(results)).toEqual([
      'sent',
      'dropped: outgoing chat queue full',
      'dropped: outgoing chat queue full',
      'sent',
      'sent',
      'sent',
    ]);
  });

  it('holds messages while paused and sends them after resume', async () => {
    const { limiter, send, sentAt } = setup();
    limiter.pause();
    const p = send('alice', 'later');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sentAt).toEqual([]);
    limiter.resume();
    await p;
    expect(sentAt).toEqual([5_000]);
  });

  it('paces JOINs to 20 per 10 s', async () => {
    const { limiter } = setup();
    const joinedAt: number[] = [];
    const all = Promise.all(
      Array.from({ length: 45 }, () => limiter.join(async () => void joinedAt.push(Date.now()))),
    );
    await vi.advanceTimersByTimeAsync(25_000);
    await all;
    expect(joinedAt).toHaveLength(45);
    expect(busiestWindow(joinedAt, 10_000)).toBe(20);
  });

  it('rejects what waits when closed', async () => {
    const { limiter, send } = setup({ normal: 1 });
    void send('alice', 'a');
    const waiting = send('alice', 'b');
    limiter.close();
    await expect(waiting).rejects.toThrow('chat limiter closed');
    await expect(send('alice', 'c')).rejects.toThrow('chat limiter closed');
  });
});
