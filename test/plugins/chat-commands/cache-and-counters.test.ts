import { describe, expect, it } from 'vitest';
import type { Logger, PluginContext, Store } from '../../../core/index.js';
import { Counters } from '../../../plugins/chat-commands/counters.js';
import { StreamInfoCache } from '../../../plugins/chat-commands/stream-info.js';

/** A Store on a Map whose reads and writes take a turn of the event loop, like keyv's. */
function memoryStore(): Store & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  const later = <T>(v: T) => new Promise<T>((r) => setImmediate(() => r(v)));
  const store: Store & { data: Map<string, unknown> } = {
    data,
    get: async <T>(k: string) => later(data.get(k) as T | undefined),
    set: async (k, v) => void (await later(data.set(k, v))),
    setMany: async (entries) => void (await later(entries.map((e) => data.set(e.key, e.value)))),
    delete: async (k) => later(data.delete(k)),
    has: async (k) => later(data.has(k)),
    claim: async () => true,
    namespace: () => store,
  };
  return store;
}

const silent = { warn: () => {} } as unknown as Logger;
type Api = PluginContext['twitch']['api'];

/** A Helix stand-in counting requests; `live` decides what Get Streams answers. */
function fakeApi(state: { live: boolean; fail?: boolean }) {
  const calls: string[] = [];
  const api = {
    streams: {
      getStreamByUserName: async (login: string) => {
        calls.push(`streams:${login}`);
        if (state.fail) throw new Error('helix down');
        return state.live ? { startDate: new Date(0), gameName: 'Chess', title: 'Live now' } : null;
      },
    },
    users: {
      getUserByName: async (login: string) => (calls.push(`users:${login}`), { id: '42' }),
    },
    channels: {
      getChannelInfoById: async (id: string) => (
        calls.push(`channels:${id}`),
        { gameName: 'Art', title: 'Offline title' }
      ),
    },
  };
  return { api: api as unknown as Api, calls };
}

describe('StreamInfoCache', () => {
  it('asks Helix once per channel within the cache time, sharing a request in flight', async () => {
    let now = 0;
    const state = { live: true };
    const { api, calls } = fakeApi(state);
    const cache = new StreamInfoCache(
      () => api,
      60_000,
      silent,
      () => now,
    );
    const [a, b] = await Promise.all([cache.get('alice'), cache.get('alice')]);
    expect(a).toEqual({ live: true, startedAt: new Date(0), game: 'Chess', title: 'Live now' });
    expect(b).toBe(a);
    now = 59_999;
    await cache.get('alice');
    expect(calls).toEqual(['streams:alice']);
    state.live = false;
    now = 60_000;
    expect(await cache.get('alice')).toEqual({ live: false, game: 'Art', title: 'Offline title' });
    now = 200_000;
    await cache.get('alice');
    // The user id is looked up once and kept.
    expect(calls).toEqual([
      'streams:alice',
      'streams:alice',
      'users:alice',
      'channels:42',
      'streams:alice',
      'channels:42',
    ]);
  });

  it('gives undefined when Helix fails, and does not keep the failure', async () => {
    const state = { live: true, fail: true };
    const { api, calls } = fakeApi(state);
    const cache = new StreamInfoCache(
      () => api,
      60_000,
      silent,
      () => 0,
    );
    expect(await cache.get('alice')).toBeUndefined();
    state.fail = false;
    expect((await cache.get('alice'))?.live).toBe(true);
    expect(calls).toEqual(['streams:alice', 'streams:alice']);
  });
});

describe('Counters', () => {
  it('never loses a count when uses arrive together', async () => {
    const counters = new Counters(memoryStore());
    const values = await Promise.all(
      Array.from({ length: 25 }, () => counters.next('alice', 'Deaths')),
    );
    expect(values.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(await counters.get('alice', 'deaths')).toBe(25);
    expect(await counters.get('bob', 'deaths')).toBe(0);
  });

  it('sets and forgets a counter', async () => {
    const store = memoryStore();
    const counters = new Counters(store);
    await counters.set('alice', 'd', 10);
    expect(await counters.next('alice', 'd')).toBe(11);
    await counters.delete('alice', 'd');
    expect(store.data.size).toBe(0);
    expect(await counters.next('alice', 'd')).toBe(1);
  });
});
