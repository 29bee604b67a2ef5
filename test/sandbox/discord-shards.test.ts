import { afterEach, describe, expect, it } from 'vitest';
import { Client, Events, GatewayIntentBits, type Interaction, type Message } from 'discord.js';
import { DiscordServer, type SandboxBot } from '../../src/sandbox/discord/index.js';

// Discord's rule, written out here rather than imported: a guild belongs to shard
// (guild_id >> 22) % num_shards.
const shardOf = (guildId: string, count: number): number =>
  Number((BigInt(guildId) >> 22n) % BigInt(count));

/** The `n`-th snowflake-shaped guild id (18 digits) that lands on `shard` of `count`. */
function guildIdOn(shard: number, count: number, n: number): string {
  const ms = 300_000_000_000n + BigInt(n * count + shard);
  return (ms << 22n).toString();
}

const clients: Client[] = [];
let server: DiscordServer | undefined;

afterEach(async () => {
  for (const c of clients.splice(0)) await c.destroy();
  await server?.close();
  server = undefined;
});

/** A discord.js client for `shards` of `shardCount` (what SHARDS/SHARD_COUNT set in a shard). */
function shardClient(
  sandbox: DiscordServer,
  shards: number[] | undefined,
  shardCount?: number,
): Client {
  const client = new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.DirectMessages,
    ],
    rest: { api: sandbox.apiUrl },
    ...(shards ? { shards, shardCount } : {}),
  });
  clients.push(client);
  return client;
}

/** Logs in and resolves on ClientReady, or with the gateway's error (10 s at most). */
async function login(client: Client, bot: SandboxBot): Promise<'ready' | Error> {
  return await new Promise<'ready' | Error>((resolve) => {
    const timer = setTimeout(() => resolve(new Error('not ready within 10 s')), 10_000);
    const done = (v: 'ready' | Error): void => {
      clearTimeout(timer);
      resolve(v);
    };
    client.once(Events.ClientReady, () => done('ready'));
    client.once(Events.Error, (err) => done(err));
    client.login(bot.token).catch((err: unknown) => done(err as Error));
  });
}

/** The next event `name` on `client` matching `match` (5 s at most). */
function next<T>(client: Client, name: string, match: (v: T) => boolean): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(name, on);
      reject(new Error(`no ${name} within 5 s`));
    }, 5000);
    const on = (...args: unknown[]): void => {
      const v = args[0] as T;
      if (!match(v)) return;
      clearTimeout(timer);
      client.off(name, on);
      resolve(v);
    };
    client.on(name, on);
  });
}

/** Close codes of the gateway sockets the sandbox saw end. */
const closeCodes = (sandbox: DiscordServer): number[] =>
  sandbox.received
    .filter((r) => r.route === 'DISCONNECT')
    .map((r) => (r.body as { code: number }).code);

/** Records every MESSAGE_CREATE / INTERACTION_CREATE a client receives. */
function recordEvents(client: Client): { messages: string[]; interactions: string[] } {
  const seen = { messages: [] as string[], interactions: [] as string[] };
  client.on(Events.MessageCreate, (m: Message) => seen.messages.push(m.id));
  client.on(Events.InteractionCreate, (i: Interaction) => seen.interactions.push(i.id));
  return seen;
}

describe('Discord sandbox gateway sharding', () => {
  it('two discord.js clients on shards [0,2] and [1,2] each see exactly their guilds and events', async () => {
    server = await DiscordServer.start();
    const bot = server.createBot({ username: 'sharded' });
    const guilds = [0, 1, 2].flatMap((n) =>
      [0, 1].map((shard) =>
        server!.createGuild({
          id: guildIdOn(shard, 2, n),
          name: `g${n}-s${shard}`,
          channels: ['general'],
          members: [{ username: `member-${n}-${shard}` }],
        }),
      ),
    );
    const onShard = (s: number) => guilds.filter((g) => shardOf(g.id, 2) === s);
    expect(onShard(0)).toHaveLength(3);
    expect(onShard(1)).toHaveLength(3);

    const [zero, one] = [shardClient(server, [0], 2), shardClient(server, [1], 2)];
    expect(await login(zero, bot)).toBe('ready');
    expect(await login(one, bot)).toBe('ready');
    expect([...zero.guilds.cache.keys()].sort()).toEqual(
      onShard(0)
        .map((g) => g.id)
        .sort(),
    );
    expect([...one.guilds.cache.keys()].sort()).toEqual(
      onShard(1)
        .map((g) => g.id)
        .sort(),
    );
    expect(
      server
        .gatewaySessions()
        .map((s) => s.shard)
        .sort(),
    ).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const identifies = server.received.filter((r) => r.route === 'IDENTIFY');
    expect(identifies.map((r) => (r.body as { shard: number[] }).shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);

    // A message in a shard-1 guild reaches only shard 1; shard 0 then gets one in its own
    // guild: each socket is ordered, so had shard 0 received the first, it would have come first.
    const seenByZero = recordEvents(zero);
    const seenByOne = recordEvents(one);
    const [g0, g1] = [onShard(0)[0]!, onShard(1)[0]!];
    const toOne = next<Message>(one, Events.MessageCreate, () => true);
    const m1 = server.postMessage({
      channelId: g1.channels.general!,
      userId: Object.values(g1.members)[0]!,
      content: 'for shard one',
    });
    expect((await toOne).id).toBe(m1);
    const toZero = next<Message>(zero, Events.MessageCreate, () => true);
    const m0 = server.postMessage({
      channelId: g0.channels.general!,
      userId: Object.values(g0.members)[0]!,
      content: 'for shard zero',
    });
    expect((await toZero).id).toBe(m0);
    expect(seenByZero.messages).toEqual([m0]);
    expect(seenByOne.messages).toEqual([m1]);

    // Interactions too (a modal submit): a guild one on its guild's shard, a DM one on shard 0 only.
    const submit = (channelId: string, userId: string): string =>
      server!.emitInteraction({
        appId: bot.appId,
        type: 5,
        channelId,
        userId,
        data: { custom_id: 'form', components: [] },
      });
    const inGuild = next<Interaction>(one, Events.InteractionCreate, () => true);
    const i1 = submit(g1.channels.general!, Object.values(g1.members)[0]!);
    expect((await inGuild).id).toBe(i1);
    const stranger = server.createUser({ username: 'dm-user' });
    const dmChannel = await zero.users.createDM(stranger.id);
    const inDm = next<Interaction>(zero, Events.InteractionCreate, () => true);
    const iDm = submit(dmChannel.id, stranger.id);
    expect((await inDm).id).toBe(iDm);
    // Shard 1 hears a last interaction in its own guild after the DM one: it never saw the DM.
    const last = next<Interaction>(one, Events.InteractionCreate, (i) => i.id !== i1);
    const i2 = submit(g1.channels.general!, Object.values(g1.members)[0]!);
    expect((await last).id).toBe(i2);
    expect(seenByZero.interactions).toEqual([iDm]);
    expect(seenByOne.interactions).toEqual([i1, i2]);
  });

  it('recommends one shard per 1,000 guilds and refuses an unsharded bot above 2,500 with 4011', async () => {
    server = await DiscordServer.start();
    const small = server.createBot({ username: 'small' });
    const big = server.createBot({ username: 'big' });
    server.createGuild({ name: 'both', bots: [small.userId, big.userId] });
    for (let n = 0; n < 2500; n++)
      server.createGuild({ name: `big-${n}`, ownerId: big.userId, bots: [big.userId] });

    const gatewayBot = async (token: string) =>
      (await (
        await fetch(`${server!.apiUrl}/v10/gateway/bot`, {
          headers: { authorization: `Bot ${token}` },
        })
      ).json()) as { shards: number; session_start_limit: { max_concurrency: number } };
    expect((await gatewayBot(small.token)).shards).toBe(1);
    const recommended = await gatewayBot(big.token);
    expect(recommended.shards).toBe(3); // 2,501 guilds
    expect(recommended.session_start_limit.max_concurrency).toBe(1);

    const unsharded = await login(shardClient(server, undefined), big);
    expect(unsharded).toBeInstanceOf(Error);
    expect((unsharded as Error).message).toMatch(/Sharding is required/);
    await expect.poll(() => closeCodes(server!), { timeout: 2000 }).toContain(4011);
    expect(server.gatewaySessions().filter((s) => s.connected)).toEqual([]);

    // The same bot on two shards: each holds about half, under the limit.
    const halves = [shardClient(server, [0], 2), shardClient(server, [1], 2)];
    for (const c of halves) expect(await login(c, big)).toBe('ready');
    const sizes = halves.map((c) => c.guilds.cache.size);
    expect(sizes[0]! + sizes[1]!).toBe(2501);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2500);
  });

  it('closes an IDENTIFY with an invalid shard with 4010', async () => {
    server = await DiscordServer.start();
    const bot = server.createBot({ username: 'confused' });
    server.createGuild({ name: 'one' });
    const result = await login(shardClient(server, [2], 2), bot);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(/Invalid shard/);
    await expect.poll(() => closeCodes(server!), { timeout: 2000 }).toContain(4010);
  });
});
