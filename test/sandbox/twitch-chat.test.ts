import type { ChatUserstate, Client } from 'tmi.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  TwitchChatServer,
  tmiState,
  userIdForLogin,
  waitFor,
} from '../../src/sandbox/twitch/chat/index.js';
import type { TmiTestClientOptions } from '../../src/sandbox/twitch/chat/index.js';
import { TmiClients } from './helpers/tmi-clients.js';

type Received = { channel: string; tags: ChatUserstate; text: string };

describe('Twitch chat simulator with the real tmi.js', () => {
  let chat: TwitchChatServer;
  const clients = new TmiClients();
  const connect = (options: TmiTestClientOptions): Promise<Client> =>
    clients.connect(chat, options);

  /** Collects the chat lines a client receives from others. */
  function inbox(client: Client): Received[] {
    const got: Received[] = [];
    client.on('message', (channel, tags, text, self) => {
      if (!self) got.push({ channel, tags, text });
    });
    return got;
  }

  beforeEach(async () => {
    chat = await TwitchChatServer.start();
  });

  afterEach(async () => {
    await clients.disconnectAll();
    await chat.close();
  });

  it('connects, joins, and reports the bot as broadcaster in its own channel', async () => {
    const bot = await connect({ username: 'streamer' });
    const userstates: ChatUserstate[] = [];
    bot.on('join', (_channel, _user, self) => {
      if (self) userstates.push(tmiState(bot).userstate['#streamer'] as ChatUserstate);
    });
    await expect(bot.join('#streamer')).resolves.toEqual(['#streamer']);
    expect(bot.getUsername()).toBe('streamer');
    expect(tmiState(bot).globaluserstate['user-id']).toBe(userIdForLogin('streamer'));
    expect(userstates[0]?.badges).toEqual({ broadcaster: '1' });
    expect(chat.chatters('#streamer')).toEqual(['streamer']);
    expect(chat.received.map((r) => r.command)).toEqual(['CAP', 'PASS', 'NICK', 'JOIN']);
    expect(chat.received[1]?.text).toBe('***');
  });

  it('marks the bot moderator where the console made it one', async () => {
    chat.setModerator('#streamer', 'mybot', true);
    const bot = await connect({ username: 'mybot', channels: ['#streamer', '#other'] });
    expect(tmiState(bot).userstate['#streamer']?.badges).toEqual({ moderator: '1' });
    expect(tmiState(bot).userstate['#streamer']?.mod).toBe(true);
    expect(bot.isMod('#streamer', 'mybot')).toBe(true);
    expect(tmiState(bot).userstate['#other']?.badges).toBeNull();
    expect(chat.isModerator('#streamer', 'MyBot')).toBe(true);
  });

  it("delivers a simulated viewer's message with parsed tags", async () => {
    const bot = await connect({ username: 'mybot', channels: ['#streamer'] });
    const got = inbox(bot);
    const id = chat.viewerSays(
      'streamer',
      { login: 'Ronni', displayName: 'Ronni', badges: { moderator: true, subscriber: 6 } },
      'hello bot; how are you?',
    );
    await waitFor(() => got.length === 1);
    const { channel, tags, text } = got[0] as Received;
    expect(channel).toBe('#streamer');
    expect(text).toBe('hello bot; how are you?');
    expect(tags.badges).toEqual({ moderator: '1', subscriber: '6' });
    expect(tags['badge-info']).toEqual({ subscriber: '6' });
    expect(tags.mod).toBe(true);
    expect(tags.subscriber).toBe(true);
    expect(tags['user-id']).toBe(userIdForLogin('ronni'));
    expect(tags['display-name']).toBe('Ronni');
    expect(tags.username).toBe('ronni');
    expect(tags.id).toBe(id);
    expect(tags['room-id']).toBe(userIdForLogin('streamer'));
    expect(tags['user-type']).toBe('mod');
    expect(tags['first-msg']).toBe(true);
    expect(tags['message-type']).toBe('chat');
  });

  it('marks VIPs and keeps user ids stable for the same login', async () => {
    chat.setVip('#streamer', 'vippy');
    const bot = await connect({ username: 'mybot', channels: ['#streamer'] });
    const got = inbox(bot);
    chat.viewerSays('#streamer', 'vippy', 'one');
    chat.viewerSays('#streamer', 'vippy', 'two');
    await waitFor(() => got.length === 2);
    expect(got[0]?.tags.badges).toEqual({ vip: '1' });
    expect(got[0]?.tags.vip).toBe(true);
    expect(got[1]?.tags['first-msg']).toBe(false);
    expect(got[0]?.tags['user-id']).toBe(got[1]?.tags['user-id']);
  });

  it("brings a client's say() to the other clients and the received log", async () => {
    const bot = await connect({ username: 'mybot', channels: ['#streamer'] });
    const viewer = await connect({ username: 'viewer1', channels: ['#streamer'] });
    const botGot = inbox(bot);
    const viewerGot = inbox(viewer);
    const records: string[] = [];
    chat.on('record', (r) => records.push(r.command));
    const messages: string[] = [];
    chat.on('message', (m) => messages.push(`${m.source}:${m.login}:${m.text}`));
    await bot.say('#streamer', 'hello chat');
    await waitFor(() => viewerGot.length === 1);
    const { tags, text } = viewerGot[0] as Received;
    expect(text).toBe('hello chat');
    expect(tags.username).toBe('mybot');
    expect(tags['user-id']).toBe(userIdForLogin('mybot'));
    expect(tags.badges).toBeNull();
    expect(tags.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(botGot).toEqual([]); // Twitch does not echo your own PRIVMSG
    expect(chat.messagesFrom('mybot', '#streamer')).toMatchObject([
      { login: 'mybot', channel: '#streamer', command: 'PRIVMSG', text: 'hello chat' },
    ]);
    expect(records).toEqual(['PRIVMSG']);
    expect(messages).toEqual(['client:mybot:hello chat']);
  });

  it('carries reply-parent tags on a reply (tmi.js 1.8.5 has no reply(); raw tags)', async () => {
    const bot = await connect({ username: 'mybot', channels: ['#streamer'] });
    const viewer = await connect({ username: 'viewer1', channels: ['#streamer'] });
    const viewerGot = inbox(viewer);
    const parentId = chat.viewerSays(
      '#streamer',
      { login: 'ronni', displayName: 'Ronni' },
      '!dice',
    );
    await bot.raw(`@reply-parent-msg-id=${parentId} PRIVMSG #streamer :you rolled 4`);
    await waitFor(() => viewerGot.some((m) => m.text === 'you rolled 4'));
    const reply = viewerGot.find((m) => m.text === 'you rolled 4') as Received;
    expect(reply.tags['reply-parent-msg-id']).toBe(parentId);
    expect(reply.tags['reply-parent-user-login']).toBe('ronni');
    expect(reply.tags['reply-parent-display-name']).toBe('Ronni');
    expect(reply.tags['reply-parent-msg-body']).toBe('!dice');
    expect(reply.tags['reply-parent-user-id']).toBe(userIdForLogin('ronni'));
    expect(reply.tags['reply-thread-parent-msg-id']).toBe(parentId);
    expect(chat.messagesFrom('mybot')[0]?.tags).toEqual({ 'reply-parent-msg-id': parentId });
  });

  it('answers PING from tmi.js, and tmi.js answers the server PING', async () => {
    const bot = await connect({ username: 'mybot' });
    const [latency] = await bot.ping();
    expect(latency).toBeGreaterThanOrEqual(0);
    expect(chat.pingClients()).toBe(1);
    await waitFor(() => chat.received.some((r) => r.command === 'PONG' && r.login === 'mybot'));
  });

  it('lets an anonymous justinfan read but never delivers its PRIVMSG', async () => {
    const anon = await connect({ channels: ['#streamer'] });
    const viewer = await connect({ username: 'viewer1', channels: ['#streamer'] });
    const anonGot = inbox(anon);
    const viewerGot = inbox(viewer);
    chat.viewerSays('#streamer', 'ronni', 'visible to all');
    await waitFor(() => anonGot.length === 1);
    await expect(anon.say('#streamer', 'hi')).rejects.toBe('Cannot send anonymous messages.');
    await anon.raw('PRIVMSG #streamer :sneaky');
    await waitFor(() => chat.messagesFrom('justinfan12345').length === 1);
    chat.viewerSays('#streamer', 'ronni', 'fence');
    await waitFor(() => viewerGot.some((m) => m.text === 'fence'));
    expect(viewerGot.map((m) => m.text)).toEqual(['visible to all', 'fence']);
    expect(chat.droppedCount('justinfan12345', 'anonymous')).toBe(1);
    expect(tmiState(anon).globaluserstate).toEqual({});
  });

  it('closes every connection on close()', async () => {
    const bot = await connect({ username: 'mybot', channels: ['#streamer'] });
    const disconnected = new Promise<string>((resolve) => bot.once('disconnected', resolve));
    expect(chat.connectionCount).toBe(1);
    await chat.close();
    await expect(disconnected).resolves.toBeTypeOf('string');
    expect(chat.connectionCount).toBe(0);
    expect(bot.readyState()).toBe('CLOSED');
  });
});
