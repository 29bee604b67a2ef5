import { describe, expect, it } from 'vitest';
import {
  RawChatClient,
  TwitchChatServer,
  createDefaultUserResolver,
  escapeTagValue,
  formatTags,
  normalizeChannel,
  parseIrcLine,
  unescapeTagValue,
  userIdForLogin,
} from '../../src/sandbox/twitch/chat/index.js';
import { SlidingWindowCounter } from '../../src/sandbox/twitch/chat/sliding-window-counter.js';

describe('Twitch chat simulator building blocks', () => {
  it('parses IRC lines with tags, prefix and trailing parameter', () => {
    expect(parseIrcLine('@a=1;b=x\\sy;c :nick!u@h PRIVMSG #chan :hello : there')).toEqual({
      tags: { a: '1', b: 'x y', c: '' },
      prefix: 'nick!u@h',
      command: 'PRIVMSG',
      params: ['#chan', 'hello : there'],
    });
    expect(parseIrcLine('join #a,#b')).toMatchObject({ command: 'JOIN', params: ['#a,#b'] });
    expect(parseIrcLine('PING')).toMatchObject({ command: 'PING', params: [] });
    expect(parseIrcLine('')).toBeNull();
    expect(parseIrcLine('@x=1')).toBeNull();
    expect(parseIrcLine(':only')).toBeNull();
    expect(parseIrcLine('12 x')).toBeNull();
  });

  it('escapes tag values both ways', () => {
    const value = 'a b;c\\d\r\ne';
    expect(escapeTagValue(value)).toBe('a\\sb\\:c\\\\d\\r\\ne');
    expect(unescapeTagValue(escapeTagValue(value))).toBe(value);
    expect(unescapeTagValue('trailing\\')).toBe('trailing');
    expect(formatTags({})).toBe('');
    expect(formatTags({ 'system-msg': 'hi there', id: '1' })).toBe('@system-msg=hi\\sthere;id=1 ');
  });

  it('counts events in a sliding window and does not count refusals', () => {
    const counter = new SlidingWindowCounter(1000);
    expect(counter.tryTake('a', 2, 0)).toBe(true);
    expect(counter.tryTake('a', 2, 500)).toBe(true);
    expect(counter.tryTake('a', 2, 999)).toBe(false);
    expect(counter.count('a', 999)).toBe(2);
    expect(counter.tryTake('a', 2, 1000)).toBe(true); // the event at 0 left the window
    expect(counter.count('a', 1500)).toBe(1);
    expect(counter.count('a', 2000)).toBe(0);
    expect(counter.count('b', 0)).toBe(0);
  });

  it('derives stable numeric user ids from logins', () => {
    expect(userIdForLogin('twitchdev')).toBe('148123268'); // pinned: ids must never change between runs;
    expect(userIdForLogin('TwitchDev')).toBe(userIdForLogin('#twitchdev'));
    expect(userIdForLogin('a')).not.toBe(userIdForLogin('b'));
    expect(createDefaultUserResolver().resolve('Ronni')).toEqual({
      id: userIdForLogin('ronni'),
      login: 'ronni',
      displayName: 'ronni',
    });
    expect(normalizeChannel('Streamer')).toBe('#streamer');
  });

  it('uses a shared user registry and keeps the record log bounded but the drop count exact', async () => {
    const users = {
      resolve: (login: string) => ({ id: `id-${login}`, login, displayName: login.toUpperCase() }),
    };
    const chat = await TwitchChatServer.start({
      users,
      recordLimit: 5,
      limits: { privmsgPerWindow: 2 },
    });
    const client = await RawChatClient.connect(chat.url, { login: 'mybot' });
    try {
      for (let i = 0; i < 10; i++) client.send(`PRIVMSG #streamer :m${i}`);
      client.send('PING :done');
      await client.waitForLine((l) => l.endsWith(':done'));
      expect(chat.received).toHaveLength(5);
      expect(chat.received.at(-1)?.command).toBe('PING');
      expect(chat.droppedCount('mybot', 'rate_limit')).toBe(8);
      const global = client.lines.find((l) => l.includes('GLOBALUSERSTATE')) as string;
      expect(parseIrcLine(global)?.tags).toMatchObject({
        'user-id': 'id-mybot',
        'display-name': 'MYBOT',
      });
    } finally {
      await client.close();
      await chat.close();
    }
  });
});
