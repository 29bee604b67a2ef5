import { describe, expect, it } from 'vitest';
import { ChannelLimiter } from '../../../src/discord/webhooks/channel-limiter.js';
import { GlobalGate } from '../../../src/discord/webhooks/global-gate.js';

describe('webhook pacing', () => {
  it('ChannelLimiter: a post counts from sending until a window after its response', () => {
    let now = 0;
    const limiter = new ChannelLimiter({ limit: 2, windowMs: 1000 }, () => now);
    const a = limiter.take('c');
    const b = limiter.take('c');
    expect(typeof a).toBe('object');
    expect(typeof b).toBe('object');
    expect(limiter.take('c')).toBeGreaterThan(0); // both still in flight
    expect(typeof limiter.take('other')).toBe('object');
    now = 100;
    limiter.done(a as Exclude<typeof a, number>);
    limiter.done(b as Exclude<typeof b, number>);
    now = 600;
    expect(limiter.take('c')).toBe(500); // the first response + 1000 ms
    now = 1100;
    expect(typeof limiter.take('c')).toBe('object');
  });

  it('GlobalGate: at most `limit` permits out; one comes back a window after release', async () => {
    const gate = new GlobalGate(2, 50);
    await gate.acquire();
    await gate.acquire();
    let third = false;
    const waiting = gate.acquire().then(() => (third = true));
    expect(gate.waiting).toBe(1);
    gate.release();
    await new Promise((r) => setTimeout(r, 10));
    expect(third).toBe(false);
    await waiting;
    expect(third).toBe(true);
    expect(gate.waits).toBe(1);
    const controller = new AbortController();
    const aborted = gate.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    expect(gate.waiting).toBe(0);
  });
});
