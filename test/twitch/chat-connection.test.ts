import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/log.js';
import { readEndpoints } from '../../src/endpoints.js';
import { TwitchChatServer } from '../../src/sandbox/twitch/chat/index.js';
import { waitUntil } from '../../src/testing/index.js';
import { ChatConnection } from '../../src/twitch/chat-connection.js';
import { ChatLimiter } from '../../src/twitch/chat-limiter.js';

let chat: TwitchChatServer;
const open: ChatConnection[] = [];
const log = createLogger({ level: 'silent', pretty: false });
beforeAll(async () => {
  chat = await TwitchChatServer.start();
});
afterEach(async () => {
  for (const c of open.splice(0)) await c.disconnect();
});
afterAll(async () => {
  await chat.close();
});

async function connect(login: string, limiter?: ChatLimiter): Promise<ChatConnection> {
  const c = new ChatConnection({
    endpoints: readEndpoints({ TWITCH_CHAT_URL: chat.url }),
    channels: ['room'],
    log,
    identity: { login, token: async () => 'token' },
    limiter,
  });
  open.push(c);
  await c.connect();
  return c;
}

const privmsgs = (login: string) =>
  chat.received.filter((r) => r.login === login && r.command === 'PRIVMSG');

describe('ChatConnection (real tmi.js against the sandbox)', () => {
  it('splits long text into chat lines, each paced by the limiter, none dropped', async () => {
    const c = await connect('splitter');
    const text = Array.from({ length: 240 }, (_, i) => `w${i}`).join(' ');
    await c.say('room', text);
    await waitUntil(
      () =>
        privmsgs('splitter')
          .map((r) => r.text)
          .join(' ') === text,
      'every part of the text',
    );
    const sent = privmsgs('splitter');
    expect(sent.length).toBe(3);
    expect(sent.every((r) => (r.text ?? '').length <= 499 && !r.dropped)).toBe(true);
  });

  it('cannot be made to send a second IRC command through a line break', async () => {
    const c = await connect('injector');
    await c.say('room', 'hi\r\nJOIN #elsewhere');
    await c.reply('room', 'abc\r\nJOIN #x', 'there\nPART #room');
    await waitUntil(() => privmsgs('injector').length === 2, 'both lines');
    expect(privmsgs('injector').map((r) => r.text)).toEqual([
      'hi JOIN #elsewhere',
      'there PART #room',
    ]);
    expect(chat.chatters('elsewhere')).toEqual([]);
    expect(chat.chatters('room')).toContain('injector');
  });

  it('shares one limiter with the connection replacing it: the rate history survives', async () => {
    const limiter = new ChatLimiter();
    const first = await connect('swapper', limiter);
    await Promise.all(Array.from({ length: 20 }, (_, i) => first.say('room', `m${i}`)));
    await waitUntil(() => privmsgs('swapper').length === 20, '20 lines');
    await first.disconnect();
    const second = await connect('swapper', limiter);
    void second.say('room', 'one too many');
    await waitUntil(() => limiter.queued === 1, 'the 21st message to wait for a slot');
    expect(privmsgs('swapper')).toHaveLength(20);
    expect(chat.droppedCount('swapper')).toBe(0);
    await second.disconnect();
    limiter.close();
  });
});
