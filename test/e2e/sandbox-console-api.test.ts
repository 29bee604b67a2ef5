import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleFeed } from '../../src/sandbox/console/index.js';
import { startTestBot, waitUntil, type TestBot } from '../../src/testing/index.js';
import { FIXTURE_PLUGINS } from '../helpers/runtime.js';
import { SseReader } from '../helpers/sse-reader.js';

const GUILD = '111111111111111111';

/** The status of a GET, without reading (or keeping) the body. */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.once('error', reject);
  });
}

let t: TestBot;
let feed: SseReader;
const post = (action: string, body: unknown): Promise<Response> =>
  fetch(`${t.url}/sandbox/api/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  t = await startTestBot({
    cogs: ['echo_console', 'ping'],
    pluginDirs: [FIXTURE_PLUGINS],
    discord: { guilds: [GUILD] },
  });
  feed = await SseReader.open(`${t.url}/sandbox/events`);
});
afterAll(async () => {
  feed?.close();
  await t?.stop();
});

describe('sandbox console API', () => {
  it('serves the page, its assets and the state', async () => {
    const page = await fetch(`${t.url}/sandbox`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self';");
    expect(page.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(await page.text()).toContain('<script type="module" src="/sandbox/static/console.js">');
    const js = await fetch(`${t.url}/sandbox/static/console.js`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(`${t.url}/sandbox/static/../routes.ts`)).status).toBe(404);
    const state = (await (await fetch(`${t.url}/sandbox/api/state`)).json()) as {
      bots: { name: string; login: string; channels: string[]; guilds: { name: string }[] }[];
    };
    expect(state.bots).toEqual([
      expect.objectContaining({ name: 'test_bot', login: t.login, channels: ['streamer'] }),
    ]);
    expect(state.bots[0]?.guilds[0]?.name).toBe('test_bot sandbox guild');
  });

  it('a viewer with badges says !ping: the line and the bot answer arrive on the feed', async () => {
    const res = await post('chat', {
      channel: '#streamer',
      viewer: 'Alice',
      text: '!ping',
      badges: { moderator: true, subscriber: 3 },
    });
    expect(res.status).toBe(200);
    const line = await feed.next('chat', (e) => e.login === 'alice');
    expect(line).toMatchObject({ channel: '#streamer', text: '!ping', bot: false });
    expect(line.badges).toEqual(['moderator', 'subscriber']);
    const answer = await feed.next('chat', (e) => e.bot);
    expect(answer).toMatchObject({ login: t.login, text: 'pong' });
  });

  it('answers bad input with 400 and a message that says what is wrong', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['chat', { channel: 'streamer', viewer: 'bob', text: '' }, /^text: type something/],
      ['chat', { channel: 'streamer', viewer: 'no spaces', text: 'hi' }, /^viewer: a Twitch login/],
      [
        'chat',
        { channel: 'elsewhere', viewer: 'bob', text: 'hi' },
        /no bot is in #elsewhere.*#streamer/,
      ],
      ['raid', { channel: 'streamer', from: 'x', viewers: -1 }, /^viewers: /],
      ['cheer', { channel: 'streamer', bits: 'lots' }, /^bits: /],
    ];
    for (const [action, body, message] of cases) {
      const res = await post(action, body);
      expect(res.status, `${action} ${JSON.stringify(body)}`).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(message);
    }
    const wrongType = await fetch(`${t.url}/sandbox/api/chat`, { method: 'POST', body: 'hi' });
    expect(wrongType.status).toBe(415);
    expect((await post('dance', {})).status).toBe(404);
  });

  it('go live, sub, gift, cheer, raid, follow, redeem, offline: stream state and Twitch events', async () => {
    expect(
      (await post('live', { channel: 'streamer', title: 'Speedrun', viewers: 7 })).status,
    ).toBe(200);
    expect(await feed.next('stream', (e) => e.live)).toMatchObject({
      title: 'Speedrun',
      viewers: 7,
    });
    await post('subscribe', { channel: 'streamer', user: 'carol', tier: '2000' });
    await post('gift', { channel: 'streamer', gifter: 'dave', recipient: 'erin' });
    await post('cheer', { channel: 'streamer', user: 'frank', bits: 250 });
    await post('raid', { channel: 'streamer', from: 'grace', viewers: 31 });
    await post('follow', { channel: 'streamer', user: 'heidi' });
    await post('redeem', { channel: 'streamer', user: 'ivan', reward: 'Hydrate', cost: 100 });
    await post('offline', { channel: 'streamer' });
    await feed.next('twitch-event', (e) => e.type === 'stream.offline');
    expect(feed.events.filter((e) => e.kind === 'stream').at(-1)).toMatchObject({ live: false });
    const types = feed.events.filter((e) => e.kind === 'twitch-event').map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'stream.online',
        'channel.subscribe',
        'channel.subscription.gift',
        'channel.cheer',
        'channel.raid',
        'channel.follow',
        'channel.channel_points_custom_reward_redemption.add',
        'stream.offline',
      ]),
    );
    expect((await feed.next('twitch-event', (e) => e.type === 'channel.cheer')).summary).toBe(
      'frank → streamer · 250 bits · “Cheer250”',
    );
    await feed.next('chat-notice', (e) => e.text === '31 raiders from grace have joined!');
    // The raid also reached chat as a USERNOTICE, as on Twitch.
    expect(t.sandbox.world.streams.size).toBe(0);
  });

  it('shows Discord channel messages, webhook posts, DMs and role changes', async () => {
    const api = `${t.sandbox.discord.apiUrl}/v10`;
    const token = t.sandbox.accounts.get('test_bot')?.discord?.token ?? '';
    const bot = (path: string, method = 'GET', body?: unknown) =>
      fetch(`${api}${path}`, {
        method,
        headers: { authorization: `Bot ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const channels = (await (await bot(`/guilds/${GUILD}/channels`)).json()) as {
      id: string;
      name: string;
    }[];
    const general = channels.find((c) => c.name === 'general')?.id ?? '';
    expect(
      (await bot(`/channels/${general}/messages`, 'POST', { content: 'hi <b>all</b>' })).status,
    ).toBe(200);
    const msg = await feed.next('discord-message', (e) => e.content === 'hi <b>all</b>');
    expect(msg).toMatchObject({
      where: '#general · test_bot sandbox guild',
      authorBot: true,
      dm: false,
    });

    const edited = await bot(`/channels/${general}/messages/${msg.messageId}`, 'PATCH', {
      content: 'hi everyone',
    });
    expect(edited.status).toBe(200);
    expect(await feed.next('discord-message', (e) => e.content === 'hi everyone')).toMatchObject({
      messageId: msg.messageId,
      edited: true,
    });
    await bot(`/channels/${general}/messages/${msg.messageId}`, 'DELETE');
    await feed.next('discord-delete', (e) => e.messageId === msg.messageId);

    const hook = t.sandbox.discord.createWebhook({ channelId: general });
    const exec = await fetch(`${api}/webhooks/${hook.id}/${hook.token}?wait=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'Live Alerts', embeds: [{ title: 'streamer is live' }] }),
    });
    expect(exec.status).toBe(200);
    const post = await feed.next('discord-message', (e) => e.webhook === 'Live Alerts');
    expect(post.embeds).toEqual([{ title: 'streamer is live' }]);

    // A guild where the bot's role is above the one it hands out (Discord's role hierarchy).
    const extra = t.sandbox.discord.createGuild({
      name: 'Roles',
      roles: [{ name: 'Member' }, { name: 'Boss', permissions: ['Administrator'] }],
      botRoles: ['Boss'],
    });
    const member = t.sandbox.discord.addMember(extra.id, { username: 'judy' });
    const roleUrl = `/guilds/${extra.id}/members/${member.id}/roles/${extra.roles.Member}`;
    expect((await bot(roleUrl, 'PUT')).status).toBe(204);
    expect(await feed.next('discord-role')).toMatchObject({ role: 'Member', added: true });
    expect((await bot(roleUrl, 'DELETE')).status).toBe(204);
    await feed.next('discord-role', (e) => !e.added);

    const dm = (await (
      await bot('/users/@me/channels', 'POST', { recipient_id: member.id })
    ).json()) as {
      id: string;
    };
    await bot(`/channels/${dm.id}/messages`, 'POST', { content: 'thanks for the sub' });
    const sent = await feed.next('discord-message', (e) => e.dm);
    expect(sent).toMatchObject({ content: 'thanks for the sub', where: `DM to user ${member.id}` });
  });

  it('replays only what came after Last-Event-ID, then streams live', async () => {
    const last = feed.events.at(-1)?.id ?? 0;
    const again = await SseReader.open(`${t.url}/sandbox/events`, {
      'last-event-id': String(last),
    });
    await post('chat', { channel: 'streamer', viewer: 'ken', text: 'hello again' });
    const line = await again.next('chat', (e) => e.login === 'ken');
    expect(again.events[0]?.id).toBe(line.id);
    expect(line.id).toBeGreaterThan(last);
    again.close();
  });
});

describe('bounds', () => {
  it('keeps the last 1000 records, and at most 16 open streams', async () => {
    const ring = new ConsoleFeed(1000);
    for (let i = 0; i < 1500; i++) ring.push({ kind: 'chat-notice', channel: '#c', text: `${i}` });
    expect(ring.size).toBe(1000);
    expect(ring.since(0)[0]).toMatchObject({ id: 501, text: '500' });
    expect(ring.since(1499).map((e) => e.id)).toEqual([1500]);

    const own = await startTestBot({ cogs: ['echo_console'] });
    const streams = await Promise.all(
      Array.from({ length: 16 }, () => SseReader.open(`${own.url}/sandbox/events`)),
    );
    const res = await fetch(`${own.url}/sandbox/events`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { message: string }).message).toMatch(/too many console streams/);
    streams[0]?.close(); // frees a place
    await waitUntil(
      async () => (await statusOf(`${own.url}/sandbox/events`)) === 200,
      'a free place',
    );
    await own.stop();
    await Promise.all(streams.map((s) => s.ended));
  });
});

describe('shutdown', () => {
  it('ends open event streams, so a graceful stop does not wait on them', async () => {
    const own = await startTestBot({ cogs: ['echo_console'] });
    const stream = await SseReader.open(`${own.url}/sandbox/events`);
    const started = Date.now();
    await own.stop();
    await stream.ended;
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
