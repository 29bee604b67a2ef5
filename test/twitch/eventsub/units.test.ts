import { createHmac } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { EventSubMiddleware } from '@twurple/eventsub-http';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/log.js';
import { createStorage } from '../../../core/storage.js';
import {
  EventSubError,
  eventSubType,
  resolveEventSubSecret,
  SubscriptionRegistry,
  subscriptionKey,
  timestampVerdict,
  verifySignature,
} from '../../../src/twitch/eventsub/index.js';
import { routeNotifications } from '../../../src/twitch/eventsub/twurple-hooks.js';
import { BodyTooLargeError, readBodyLimited } from '../../../src/twitch/eventsub/verify.js';

const log = createLogger({ level: 'silent', pretty: false });

describe('signature and timestamps', () => {
  const secret = 's3cr3t-s3cr3t';
  const id = 'e76c6bd4-55c9-4987-8304-da1588d8988b';
  const ts = '2019-11-16T10:11:12.634234626Z';
  const body = Buffer.from('{"event":{}}');
  const good = `sha256=${createHmac('sha256', secret)
    .update(id + ts + body.toString())
    .digest('hex')}`;

  it('accepts exactly the HMAC-SHA256 of id + timestamp + body', () => {
    expect(verifySignature(secret, id, ts, body, good)).toBe(true);
    expect(verifySignature('other-secret', id, ts, body, good)).toBe(false);
    expect(verifySignature(secret, id, ts, Buffer.from('{"event":{ }}'), good)).toBe(false);
    expect(verifySignature(secret, id, ts, body, good.replace('sha256=', 'sha1='))).toBe(false);
    expect(verifySignature(secret, id, ts, body, 'sha256=abc')).toBe(false);
    expect(verifySignature(secret, id, ts, body, undefined)).toBe(false);
    expect(verifySignature(secret, '', ts, body, good)).toBe(false);
  });

  it('classifies timestamps: 10-minute window, 60 s of future skew, unreadable', () => {
    const now = Date.parse('2024-05-01T12:00:00Z');
    expect(timestampVerdict('2024-05-01T11:59:00.123456789Z', now)).toBe('ok');
    expect(timestampVerdict('2024-05-01T11:49:00.000000000Z', now)).toBe('stale');
    expect(timestampVerdict('2024-05-01T12:00:30Z', now)).toBe('ok');
    expect(timestampVerdict('2024-05-01T12:05:00Z', now)).toBe('future');
    expect(timestampVerdict('yesterday', now)).toBe('invalid');
  });

  it('reads a body up to the limit and refuses more, by Content-Length or by bytes', async () => {
    const req = (chunks: string[], length?: number): IncomingMessage => {
      const stream = new PassThrough();
      for (const c of chunks) stream.write(c);
      stream.end();
      const headers = length === undefined ? {} : { 'content-length': String(length) };
      return Object.assign(stream, { headers }) as unknown as IncomingMessage;
    };
    expect((await readBodyLimited(req(['ab', 'cd']), 4)).toString()).toBe('abcd');
    await expect(readBodyLimited(req([], 5), 4)).rejects.toBeInstanceOf(BodyTooLargeError);
    await expect(readBodyLimited(req(['abc', 'de']), 4)).rejects.toBeInstanceOf(BodyTooLargeError);
  });
});

describe('subscriptions', () => {
  it('keys a subscription by type, version and sorted condition', () => {
    const a = subscriptionKey({
      type: 'channel.follow',
      version: '2',
      condition: { moderator_user_id: '2', broadcaster_user_id: '1' },
    });
    const b = subscriptionKey({
      type: 'channel.follow',
      version: '2',
      condition: { broadcaster_user_id: '1', moderator_user_id: '2', reward_id: '' },
    });
    expect(a).toBe(b);
    expect(a).toBe('channel.follow@2?broadcaster_user_id=1&moderator_user_id=2');
  });

  it('refcounts handlers per key', () => {
    const registry = new SubscriptionRegistry();
    const spec = { type: 'stream.online', version: '1', condition: { broadcaster_user_id: '1' } };
    const handler = async () => {};
    const one = registry.add(spec, 'app', handler);
    const two = registry.add(spec, 'app', handler);
    expect([one.first, two.first]).toEqual([true, false]);
    expect(registry.get(one.wanted.key)?.handlers.length).toBe(2);
    expect(one.remove()).toBe(false);
    expect(one.remove()).toBe(false); // twice is harmless
    expect(two.remove()).toBe(true);
    expect(registry.size).toBe(0);
  });

  it('keeps the app of each handler: removing one leaves the others and their apps', () => {
    const registry = new SubscriptionRegistry();
    const spec = { type: 'stream.online', version: '1', condition: { broadcaster_user_id: '1' } };
    const handler = async () => {};
    const a = registry.add(spec, 'app-a', handler);
    const b = registry.add(spec, 'app-b', handler);
    const wanted = registry.get(a.wanted.key);
    expect(wanted?.apps).toEqual(['app-a', 'app-b']);
    expect(a.remove()).toBe(false);
    expect(wanted?.apps).toEqual(['app-b']);
    expect(wanted?.handlers).toEqual([handler]);
    expect(b.remove()).toBe(true);
    expect(registry.get(a.wanted.key)).toBeUndefined();
  });

  it('checks types and condition shapes with a fix', () => {
    expect(eventSubType('channel.raid', { to_broadcaster_user_id: '1' }).version).toBe('1');
    expect(() =>
      eventSubType('channel.raid', { to_broadcaster_user_id: '1', from_broadcaster_user_id: '2' }),
    ).toThrow(/give exactly \{to_broadcaster_user_id\} or \{from_broadcaster_user_id\}/);
    const err = (() => {
      try {
        eventSubType('channel.bogus', {});
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(EventSubError);
    expect((err as EventSubError).code).toBe('EVENTSUB_UNKNOWN_TYPE');
  });
});

describe('twurple and the secret', () => {
  it("replaces twurple's in-memory dedupe, and refuses to start if twurple's internals changed", () => {
    const mw = new EventSubMiddleware({
      managed: false,
      hostName: 'x.test',
      secret: 'abcdefghijklmnop',
    });
    const seen: string[] = [];
    routeNotifications(mw, (id, _event, messageId) => seen.push(`${id}/${messageId}`));
    const internals = mw as unknown as {
      _handleSingleEventPayload(s: { id: string }, p: object, m: string): void;
      _seenEventIds: Set<string>;
    };
    internals._handleSingleEventPayload({ id: 'stream.online.1' }, {}, 'm1');
    internals._handleSingleEventPayload({ id: 'stream.online.1' }, {}, 'm1');
    expect(seen).toEqual(['stream.online.1/m1', 'stream.online.1/m1']);
    expect(internals._seenEventIds.size).toBe(0); // no 10-minute timers left behind
    const changed = Object.create(null) as EventSubMiddleware;
    expect(() => routeNotifications(changed, () => {})).toThrow(/twurple\/eventsub-http changed/);
  });

  it('takes EVENTSUB_SECRET (10-100 characters), else keeps one generated secret in storage', async () => {
    const storage = await createStorage({
      dataDir: await mkdtemp(path.join(tmpdir(), 'es-secret-')),
    });
    try {
      const store = storage.core('eventsub');
      await expect(resolveEventSubSecret({ EVENTSUB_SECRET: 'short' }, store, log)).rejects.toThrow(
        /10 to 100/,
      );
      expect(await resolveEventSubSecret({ EVENTSUB_SECRET: 'x'.repeat(20) }, store, log)).toEqual({
        secret: 'x'.repeat(20),
        source: 'env',
      });
      const generated = await resolveEventSubSecret({}, store, log);
      expect(generated.source).toBe('generated');
      expect(generated.secret).toMatch(/^[0-9a-f]{64}$/);
      expect(await resolveEventSubSecret({}, store, log)).toEqual({
        secret: generated.secret,
        source: 'storage',
      });
    } finally {
      await storage.close();
    }
  });
});
