import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  RawChatClient,
  TwitchChatServer,
  connectTmiClient,
  disconnectTmiClient,
  tmiState,
  parseIrcLine,
  waitFor,
} from '../../src/sandbox/twitch/chat/index.js';

describe('Twitch chat simulator on the wire (raw WebSocket)', () => {
  let chat: TwitchChatServer;
  const raws: RawChatClient[] = [];

  async function raw(login?: string): Promise<RawChatClient> {
    const client = await RawChatClient.connect(chat.url, login ? { login } : {});
    raws.push(client);
    return client;
  }

  beforeEach(async () => {
    chat = await TwitchChatServer.start();
  });

  afterEach(async () => {
    await Promise.all(raws.splice(0).map((c) => c.close()));
    await chat.close();
  });

  it('speaks subprotocol irc on ws://127.0.0.1:PORT and refuses plain HTTP', async () => {
    expect(chat.url).toBe(`ws://127.0.0.1:${chat.port}`);
    const client = await raw();
    expect(client.ws.protocol).toBe('irc');
    const res = await fetch(`http://127.0.0.1:${chat.port}/`);
    expect(res.status).toBe(426);
  });

  it('sends the welcome burst, GLOBALUSERSTATE and the JOIN sequence in order', async () => {
    const client = await raw('mybot');
    client.send('JOIN #streamer');
    await client.waitForLine((l) => l.includes('ROOMSTATE #streamer'));
    const commands = client.lines.map((l) => parseIrcLine(l)?.command);
    expect(commands).toEqual([
      'CAP', '001', '002', '003', '004', '375', '372', '376', 'GLOBALUSERSTATE',
      'JOIN', '353', '366', 'USERSTATE', 'ROOMSTATE',
    ]); // prettier-ignore
    expect(client.lines[0]).toBe(
      ':tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands twitch.tv/membership',
    );
    expect(client.lines[9]).toBe(':mybot!mybot@mybot.tmi.twitch.tv JOIN #streamer');
    expect(parseIrcLine(client.lines[13] as string)?.tags).toMatchObject({
      'followers-only': '-1',
      'subs-only': '0',
      slow: '0',
    });
  });

  it('answers PING like Twitch: bare PING -> PONG :tmi.twitch.tv, PING x -> PONG with x', async () => {
    const client = await raw();
    client.send('PING');
    await client.waitForLine((l) => l === 'PONG :tmi.twitch.tv');
    client.send('PING :hello there');
    await client.waitForLine((l) => l === ':tmi.twitch.tv PONG tmi.twitch.tv :hello there');
  });

  it('refuses unknown CAPs, and sends no tags or Twitch commands to a client without CAPs', async () => {
    const client = await raw();
    client.send('CAP REQ :twitch.tv/tags example.com/nope');
    await client.waitForLine(
      (l) => l === ':tmi.twitch.tv CAP * NAK :twitch.tv/tags example.com/nope',
    );
    client.send('PASS oauth:x');
    client.send('NICK plainclient');
    client.send('JOIN #streamer');
    await client.waitForLine((l) => l.includes(' 366 '));
    chat.viewerSays('#streamer', 'ronni', 'no tags for you');
    const line = await client.waitForLine((l) => l.includes('PRIVMSG'));
    expect(line).toBe(':ronni!ronni@ronni.tmi.twitch.tv PRIVMSG #streamer :no tags for you');
    expect(client.lines.some((l) => /GLOBALUSERSTATE|USERSTATE|ROOMSTATE/.test(l))).toBe(false);
  });

  it('shows JOIN/PART of others to membership clients, echoes client-nonce, turns /me into ACTION', async () => {
    const watcher = await raw('watcher');
    watcher.send('JOIN #streamer');
    await watcher.waitForLine((l) => l.includes('ROOMSTATE'));
    const talker = await raw('talker');
    talker.send('JOIN #streamer');
    await watcher.waitForLine((l) => l === ':talker!talker@talker.tmi.twitch.tv JOIN #streamer');
    talker.send('@client-nonce=n123 PRIVMSG #streamer :/me dances');
    const action = await watcher.waitForLine((l) => l.includes('PRIVMSG'));
    expect(parseIrcLine(action)?.params[1]).toBe('\u0001ACTION dances\u0001');
    expect(parseIrcLine(action)?.tags['client-nonce']).toBe('n123');
    const state = await talker.waitForLine(
      (l) => l.includes('USERSTATE #streamer') && l.includes(';id='),
    );
    expect(parseIrcLine(state)?.tags.id).toBe(parseIrcLine(action)?.tags.id);
    talker.send('PART #streamer');
    await talker.waitForLine((l) => l === ':talker!talker@talker.tmi.twitch.tv PART #streamer');
    await watcher.waitForLine((l) => l === ':talker!talker@talker.tmi.twitch.tv PART #streamer');
    expect(chat.chatters('#streamer')).toEqual(['watcher']);
  });

  it('ignores malformed input, counts it, and keeps the connection working', async () => {
    const client = await raw('mybot');
    const before = chat.malformedLines;
    client.send('@only-tags');
    client.send(':prefix-only');
    client.send('@a=b :prefix');
    client.send('\u0000\u0001 garbage');
    client.send('PRIVMSG');
    client.send('PRIVMSG #streamer');
    client.send('JOIN');
    client.send('JOIN #bad-name!');
    client.ws.send(Buffer.from([0xff, 0x00, 0x13]), { binary: true });
    client.send('WHATEVER x y');
    client.send('PING :still-alive');
    await client.waitForLine((l) => l.endsWith(':still-alive'));
    expect(chat.malformedLines - before).toBe(9);
    expect(client.lines).toContain(':tmi.twitch.tv 421 mybot WHATEVER :Unknown command');
    expect(chat.connectionCount).toBe(1);
  });

  it('ignores JOIN before login and closes on a missing PASS', async () => {
    const client = await raw();
    client.send('JOIN #streamer');
    client.send('NICK nopass');
    await client.waitForLine((l) => l === ':tmi.twitch.tv NOTICE * :Improperly formatted auth');
    await waitFor(() => client.ws.readyState === client.ws.CLOSED);
    expect(chat.chatters('#streamer')).toEqual([]);
    expect(chat.received.map((r) => r.command)).toEqual(['JOIN', 'NICK']);
  });

  it('checks tokens with validateToken: failure closes with tmi.js reason, success names the user', async () => {
    await chat.close();
    const seen: string[] = [];
    chat = await TwitchChatServer.start({
      validateToken: async (token) => {
        seen.push(token);
        return token === 'good-token' ? { login: 'RealBot', userId: '4242' } : null;
      },
    });
    await expect(
      connectTmiClient(chat, { username: 'mybot', password: 'oauth:wrong' }),
    ).rejects.toBe('Login authentication failed');
    const anon = await connectTmiClient(chat, {});
    const bot = await connectTmiClient(chat, { username: 'mybot', password: 'oauth:GOOD-TOKEN' });
    try {
      expect(seen).toEqual(['wrong', 'good-token']); // tmi.js lower-cases tokens; anonymous skips
      expect(bot.getUsername()).toBe('realbot');
      expect(tmiState(bot).globaluserstate['user-id']).toBe('4242');
    } finally {
      await disconnectTmiClient(bot);
      await disconnectTmiClient(anon);
    }
  });
});
