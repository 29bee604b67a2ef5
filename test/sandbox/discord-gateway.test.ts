import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { GuildMember, PartialGuildMember } from 'discord.js';
import { DiscordServer } from '../../src/sandbox/discord/index.js';

interface Frame {
  op: number;
  t?: string | null;
  s?: number | null;
  d?: unknown;
}

/** A raw gateway connection that queues frames so tests can await them in order. */
async function connect(url: string) {
  const ws = new WebSocket(`${url}/?v=10&encoding=json`);
  const frames: Frame[] = [];
  const waiters: ((f: Frame) => void)[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Frame;
    const waiter = waiters.shift();
    if (waiter) waiter(frame);
    else frames.push(frame);
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return {
    ws,
    closed,
    send: (payload: unknown) => ws.send(JSON.stringify(payload)),
    next: () =>
      new Promise<Frame>((resolve, reject) => {
        const f = frames.shift();
        if (f) return resolve(f);
        const timer = setTimeout(() => reject(new Error('no frame within 2 s')), 2000);
        waiters.push((frame) => {
          clearTimeout(timer);
          resolve(frame);
        });
      }),
  };
}

let server: DiscordServer | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await server?.close();
  server = undefined;
});

describe('Discord sandbox gateway', () => {
  it('speaks the protocol: HELLO, heartbeat ACK, READY then GUILD_CREATE with sequence numbers', async () => {
    server = await DiscordServer.start({ heartbeatIntervalMs: 45_000 });
    const bot = server.createBot({ username: 'raw' });
    const guild = server.createGuild({
      name: 'Raw',
      channels: ['general'],
      members: [{ username: 'alice' }],
    });
    const gw = await connect(server.gatewayUrl);
    expect(await gw.next()).toEqual({ op: 10, d: { heartbeat_interval: 45_000 } });
    gw.send({ op: 1, d: null });
    expect(await gw.next()).toEqual({ op: 11 });
    gw.send({ op: 2, d: { token: bot.token, intents: (1 << 0) | (1 << 8), properties: {} } });
    const ready = await gw.next();
    expect(ready).toMatchObject({ op: 0, t: 'READY', s: 1 });
    expect(ready.d).toMatchObject({
      v: 10,
      user: { id: bot.userId, username: 'raw', bot: true },
      guilds: [{ id: guild.id, unavailable: true }],
      resume_gateway_url: `${server.gatewayUrl}/resume`,
      application: { id: bot.appId, flags: 0 },
    });
    const create = await gw.next();
    expect(create).toMatchObject({
      op: 0,
      t: 'GUILD_CREATE',
      s: 2,
      d: { id: guild.id, member_count: 3 },
    });
    // With GUILD_PRESENCES every member is included.
    expect((create.d as { members: unknown[] }).members).toHaveLength(3);
    server.addMember(guild.id, { username: 'late' }); // no GUILD_MEMBERS intent: not delivered
    server.updateMember(guild.id, guild.members.alice as string, { nick: 'Al' });
    gw.send({ op: 2, d: { token: bot.token, intents: 1 } });
    expect(await gw.closed).toBe(4005); // already authenticated
    expect(server.gatewaySessions()[0]?.seq).toBe(2);
  });

  it('filters MESSAGE_CREATE by intents and hides content without MESSAGE_CONTENT', async () => {
    server = await DiscordServer.start();
    const bot = server.createBot({ username: 'reader' });
    const guild = server.createGuild({ name: 'Msgs', channels: ['general'] });
    const hook = server.createWebhook({ channelId: guild.channels.general as string });
    const post = (content: string) =>
      fetch(`${server?.apiUrl}/v10/webhooks/${hook.id}/${hook.token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ content }),
      });
    const sessions = [];
    for (const intents of [1 | (1 << 9), 1 | (1 << 9) | (1 << 15)]) {
      const gw = await connect(server.gatewayUrl);
      await gw.next(); // HELLO
      gw.send({ op: 2, d: { token: bot.token, intents } });
      await gw.next(); // READY
      await gw.next(); // GUILD_CREATE
      sessions.push(gw);
    }
    await post('secret plans');
    const [blind, seeing] = await Promise.all(sessions.map((gw) => gw.next()));
    expect(blind).toMatchObject({
      t: 'MESSAGE_CREATE',
      s: 3,
      d: { content: '', webhook_id: hook.id },
    });
    expect(seeing).toMatchObject({ t: 'MESSAGE_CREATE', s: 3, d: { content: 'secret plans' } });
    const alice = server.addMember(guild.id, { username: 'alice' });
    server.postMessage({
      channelId: guild.channels.general as string,
      userId: alice.id,
      content: `<@${bot.userId}> hi`,
    });
    const [mentioned] = await Promise.all(sessions.map((gw) => gw.next()));
    expect(mentioned).toMatchObject({
      t: 'MESSAGE_CREATE',
      d: { content: `<@${bot.userId}> hi`, author: { id: alice.id } },
    });
    expect((mentioned?.d as { member?: unknown }).member).toBeDefined();
    for (const gw of sessions) gw.ws.close();
    await Promise.all(sessions.map((gw) => gw.closed));
  });

  it('close() leaves no listening server, socket or timer behind', async () => {
    const count = (kind: string) =>
      process.getActiveResourcesInfo().filter((r) => r === kind).length;
    const before = { servers: count('TCPServerWrap'), timers: count('Timeout') };
    server = await DiscordServer.start();
    const bot = server.createBot({ username: 'leak-check' });
    const guild = server.createGuild({ name: 'Leak', channels: ['general'] });
    const gw = await connect(server.gatewayUrl);
    await gw.next();
    gw.send({ op: 2, d: { token: bot.token, intents: 1 } });
    await gw.next();
    server.stall(10_000);
    const hook = server.createWebhook({ channelId: guild.channels.general as string });
    void fetch(`${server.apiUrl}/v10/webhooks/${hook.id}/${hook.token}`, { method: 'POST' }).catch(
      () => undefined,
    );
    await expect.poll(() => server?.stalledRequests).toBe(1);
    void server.waitForInteractionReply('1', { timeoutMs: 60_000 }).catch(() => undefined);
    await server.close();
    server = undefined;
    expect(await gw.closed).toBe(1006);
    expect(count('TCPServerWrap')).toBeLessThanOrEqual(before.servers);
    // Other tests' client-side timers may expire meanwhile: nothing of ours may remain.
    expect(count('Timeout')).toBeLessThanOrEqual(before.timers);
  });

  it('closes 4004 on a bad token and answers a stale RESUME with op 9', async () => {
    server = await DiscordServer.start();
    const bot = server.createBot({ username: 'raw' });
    const bad = await connect(server.gatewayUrl);
    await bad.next();
    bad.send({ op: 2, d: { token: 'nope', intents: 1 } });
    expect(await bad.closed).toBe(4004);
    const stale = await connect(server.gatewayUrl);
    await stale.next();
    stale.send({ op: 6, d: { token: bot.token, session_id: 'unknown', seq: 3 } });
    expect(await stale.next()).toEqual({ op: 9, d: false });
    stale.ws.close();
    await stale.closed;
  });

  it('discord.js resumes after op 7 RECONNECT and after a dropped socket, replaying missed events', async () => {
    server = await DiscordServer.start();
    const bot = server.createBot({ username: 'resumer' });
    const guild = server.createGuild({ name: 'Resume', channels: ['general'] });
    client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers],
      rest: { api: server.apiUrl },
    });
    const ready = new Promise<void>((resolve) => client?.once(Events.ClientReady, () => resolve()));
    await client.login(bot.token);
    await ready;
    const sessionId = server.gatewaySessions()[0]?.id;

    const resumed = new Promise<void>((resolve) =>
      client?.once(Events.ShardResume, () => resolve()),
    );
    server.requestReconnect();
    await resumed;
    const connects = server.received.filter((r) => r.kind === 'gateway' && r.route === 'CONNECT');
    expect(connects.map((c) => c.path)).toEqual([
      '/?v=10&encoding=json',
      '/resume?v=10&encoding=json',
    ]);
    expect(server.received.filter((r) => r.route === 'RESUME')).toHaveLength(1);

    // Drop the socket and add a member while the client is away: RESUME replays it.
    const joined = new Promise<GuildMember>((resolve) =>
      client?.once(Events.GuildMemberAdd, resolve),
    );
    const resumedAgain = new Promise<void>((resolve) =>
      client?.once(Events.ShardResume, () => resolve()),
    );
    const dropped = new Promise<void>((resolve) =>
      server?.on('record', (r) => r.route === 'DISCONNECT' && resolve()),
    );
    server.disconnectGateway(4000);
    await dropped;
    expect(server.gatewaySessions()[0]?.connected).toBe(false);
    server.addMember(guild.id, { username: 'while-away' });
    await resumedAgain;
    expect((await joined).user.username).toBe('while-away');
    expect(server.gatewaySessions()).toMatchObject([{ id: sessionId, connected: true }]);

    const left = new Promise<GuildMember | PartialGuildMember>((resolve) =>
      client?.once(Events.GuildMemberRemove, resolve),
    );
    server.removeMember(guild.id, (await joined).id);
    expect((await left).id).toBe((await joined).id);
  });

  it('rejects a discord.js login with an unknown token', async () => {
    server = await DiscordServer.start();
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: server.apiUrl } });
    await expect(client.login('not-a-real-token')).rejects.toThrow(/token/i);
    expect(server.received[0]).toMatchObject({ path: '/gateway/bot', status: 401 });
  });
});
