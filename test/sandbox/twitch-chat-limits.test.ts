import type { Client } from 'tmi.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TwitchChatServer, waitFor } from '../../src/sandbox/twitch/chat/index.js';
import type { TmiTestClientOptions } from '../../src/sandbox/twitch/chat/index.js';
import { TmiClients } from './helpers/tmi-clients.js';

describe("Twitch chat simulator: Twitch's limits", () => {
  let clock: number;
  let chat: TwitchChatServer;
  const clients = new TmiClients();
  const connect = (options: TmiTestClientOptions): Promise<Client> =>
    clients.connect(chat, options);

  /** Lines other clients sent that `client` received, as text. */
  function inbox(client: Client): string[] {
    const got: string[] = [];
    client.on('message', (_channel, _tags, text, self) => {
      if (!self) got.push(text);
    });
    return got;
  }

  /** Sends `count` distinct lines at once, then waits until the server has handled all of them. */
  async function burst(
    bot: Client,
    channel: string,
    count: number,
    prefix = 'line',
  ): Promise<void> {
    const login = bot.getUsername();
    const before = chat.messagesFrom(login).length;
    const lines = Array.from({ length: count }, (_, i) => `${prefix} ${i}`);
    await Promise.all(lines.map((line) => bot.say(channel, line)));
    await waitFor(() => chat.messagesFrom(login).length === before + count, { what: 'the burst' });
  }

  /** Everything delivered before this fence has reached `got` once the fence has. */
  async function fence(channel: string, got: string[]): Promise<void> {
    const marker = `fence ${Math.random()}`;
    chat.viewerSays(channel, 'fencer', marker);
    await waitFor(() => got.includes(marker), { what: 'the fence line' });
    got.splice(got.indexOf(marker), 1);
  }

  beforeEach(async () => {
    clock = 1_700_000_000_000;
    chat = await TwitchChatServer.start({ now: () => clock });
  });

  afterEach(async () => {
    await clients.disconnectAll();
    await chat.close();
  });

  it('acceptance: 30 lines from a non-moderator bot -> 20 delivered, 10 dropped', async () => {
    const bot = await connect({ username: 'alice_bot', channels: ['#streamer'] });
    const viewer = await connect({ username: 'viewer1', channels: ['#streamer'] });
    const got = inbox(viewer);
    await burst(bot, '#streamer', 30);
    await fence('#streamer', got);
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i}`));
    expect(chat.droppedCount('alice_bot')).toBe(10);
    expect(chat.droppedCount('alice_bot', 'rate_limit')).toBe(10);
    const records = chat.messagesFrom('alice_bot', '#streamer');
    expect(records.filter((r) => r.dropped === 'rate_limit').map((r) => r.text)).toEqual(
      Array.from({ length: 10 }, (_, i) => `line ${i + 20}`),
    );
    expect(chat.usage('alice_bot').privmsg).toBe(20);
  });

  it('acceptance: the same burst as moderator -> all 30 delivered', async () => {
    chat.setModerator('#streamer', 'alice_bot', true);
    const bot = await connect({ username: 'alice_bot', channels: ['#streamer'] });
    const viewer = await connect({ username: 'viewer1', channels: ['#streamer'] });
    const got = inbox(viewer);
    await burst(bot, '#streamer', 30);
    await fence('#streamer', got);
    expect(got).toHaveLength(30);
    expect(chat.droppedCount('alice_bot')).toBe(0);
  });

  it('allows 100 per 30 s to a moderator or broadcaster, and not one more', async () => {
    const bot = await connect({ username: 'streamer', channels: ['#streamer'] });
    const viewer = await connect({ username: 'viewer1', channels: ['#streamer'] });
    const got = inbox(viewer);
    await burst(bot, '#streamer', 105);
    await fence('#streamer', got);
    expect(got).toHaveLength(100);
    expect(chat.droppedCount('streamer', 'rate_limit')).toBe(5);
  });

  it('slides the 30 s window with the injected clock', async () => {
    const bot = await connect({ username: 'alice_bot', channels: ['#streamer'] });
    const viewer = await connect({ username: 'viewer1', channels: ['#streamer'] });
    const got = inbox(viewer);
    await burst(bot, '#streamer', 10, 'early');
    clock += 15_000;
    await burst(bot, '#streamer', 15, 'late'); // 10 + 10 fit, 5 dropped
    clock += 14_999; // the early ten still count
    await burst(bot, '#streamer', 1, 'still-full');
    clock += 1; // the early ten leave the window: room for ten
    await burst(bot, '#streamer', 11, 'after');
    await fence('#streamer', got);
    expect(got.filter((t) => t.startsWith('early'))).toHaveLength(10);
    expect(got.filter((t) => t.startsWith('late'))).toHaveLength(10);
    expect(got.filter((t) => t.startsWith('still-full'))).toHaveLength(0);
    expect(got.filter((t) => t.startsWith('after'))).toHaveLength(10);
    expect(chat.droppedCount('alice_bot')).toBe(5 + 1 + 1);
  });

  it('counts one window per account across channels (a mod burst leaves no room elsewhere)', async () => {
    chat.setModerator('#modded', 'alice_bot');
    const bot = await connect({ username: 'alice_bot', channels: ['#modded', '#plain'] });
    const viewer = await connect({ username: 'viewer1', channels: ['#plain'] });
    const got = inbox(viewer);
    await burst(bot, '#modded', 20, 'modded');
    await burst(bot, '#plain', 1, 'plain');
    await fence('#plain', got);
    expect(got).toEqual([]);
    expect(chat.messagesFrom('alice_bot', '#plain')[0]?.dropped).toBe('rate_limit');
  });

  it('optionally answers a dropped line with NOTICE msg_ratelimit', async () => {
    await chat.close();
    chat = await TwitchChatServer.start({
      now: () => clock,
      rateLimitNotice: true,
      limits: { privmsgPerWindow: 1 },
    });
    const bot = await connect({ username: 'alice_bot', channels: ['#streamer'] });
    const notices: string[] = [];
    bot.on('notice', (_channel, msgId) => notices.push(msgId));
    await burst(bot, '#streamer', 2);
    await waitFor(() => notices.length === 1);
    expect(notices).toEqual(['msg_ratelimit']);
  });

  it('JOIN limit: 25 channels at once -> 20 joined in the first 10 s, the rest after', async () => {
    const bot = await connect({ username: 'alice_bot' });
    const channels = Array.from({ length: 25 }, (_, i) => `#chan${i}`);
    const results = await Promise.allSettled(channels.map((c) => bot.join(c)));
    const joined = results.filter((r) => r.status === 'fulfilled').length;
    expect(joined).toBe(20);
    expect(results.slice(20).every((r) => r.status === 'rejected')).toBe(true);
    expect(chat.droppedCount('alice_bot', 'rate_limit')).toBe(5);
    expect(chat.chatters('#chan19')).toEqual(['alice_bot']);
    expect(chat.chatters('#chan20')).toEqual([]);
    expect(chat.usage('alice_bot').joins).toBe(20);

    clock += 9_999;
    await expect(bot.join('#chan20')).rejects.toBe('No response from Twitch.');
    clock += 1;
    const rest = await Promise.allSettled(channels.slice(20).map((c) => bot.join(c)));
    expect(rest.map((r) => r.status)).toEqual(Array(5).fill('fulfilled'));
    expect(bot.getChannels()).toHaveLength(25);
  });

  it('answers retired IRC chat commands with unrecognized_cmd and delivers /me as an action', async () => {
    const bot = await connect({ username: 'alice_bot', channels: ['#streamer'] });
    const viewer = await connect({ username: 'viewer1', channels: ['#streamer'] });
    const actions: string[] = [];
    viewer.on('action', (_channel, _tags, text) => actions.push(text));
    const notices: string[] = [];
    bot.on('notice', (_channel, msgId, text) => notices.push(`${msgId}: ${text}`));
    await bot.say('#streamer', '/ban someone');
    await waitFor(() => notices.length === 1);
    expect(notices).toEqual(['unrecognized_cmd: Unrecognized command: /ban']);
    await bot.say('#streamer', '/me waves');
    await waitFor(() => actions.length === 1);
    expect(actions).toEqual(['waves']);
    expect(chat.droppedCount('alice_bot', 'unrecognized_command')).toBe(1);
  });
});
