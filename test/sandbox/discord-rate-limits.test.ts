import { afterEach, describe, expect, it } from 'vitest';
import { WebhookClient } from 'discord.js';
import { DiscordServer } from '../../src/sandbox/discord/index.js';
import type { DiscordServerOptions, SandboxWebhook } from '../../src/sandbox/discord/index.js';

/** A clock that only moves when told to, for exact rate-limit math. */
function manualClock(start = Date.UTC(2025, 0, 1)) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

let server: DiscordServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function startWithGuild(options: DiscordServerOptions) {
  server = await DiscordServer.start(options);
  const bot = server.createBot({ username: 'limits-bot' });
  const guild = server.createGuild({ name: 'Limits', channels: ['alerts', 'other'] });
  return { server, bot, guild };
}

function execute(
  s: DiscordServer,
  hook: SandboxWebhook,
  content: string,
  wait = false,
): Promise<Response> {
  return fetch(`${s.apiUrl}/v10/webhooks/${hook.id}/${hook.token}${wait ? '?wait=true' : ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ content }),
  });
}

describe('Discord sandbox rate limits (raw fetch, no client queueing)', () => {
  it('ten executes in one second to one webhook: 5 pass counting down, the rest get 429', async () => {
    const clock = manualClock();
    const { server: s, guild } = await startWithGuild({ now: clock.now });
    const hook = s.createWebhook({ channelId: guild.channels.alerts as string });
    const results: Response[] = [];
    for (let i = 0; i < 10; i++) {
      results.push(await execute(s, hook, `message ${i}`, true));
      clock.advance(100); // ten requests spread over one second
    }
    expect(results.map((r) => r.status)).toEqual([
      200, 200, 200, 200, 200, 429, 429, 429, 429, 429,
    ]);
    expect(results.map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual([
      '4',
      '3',
      '2',
      '1',
      '0',
      '0',
      '0',
      '0',
      '0',
      '0',
    ]);
    const buckets = new Set(results.map((r) => r.headers.get('x-ratelimit-bucket')));
    expect(buckets.size).toBe(1);
    expect([...buckets][0]).toMatch(/^[0-9a-f]{32}$/);
    for (const r of results) expect(r.headers.get('x-ratelimit-limit')).toBe('5');
    expect(results[0]?.headers.get('x-ratelimit-reset-after')).toBe('2.000');
    expect(results[0]?.headers.get('x-ratelimit-reset')).toBe(
      ((clock.now() - 1000 + 2000) / 1000).toFixed(3),
    );

    const sixth = results[5] as Response;
    expect(sixth.headers.get('x-ratelimit-scope')).toBe('user');
    expect(sixth.headers.get('x-ratelimit-global')).toBeNull();
    expect(sixth.headers.get('retry-after')).toBe('2'); // 1.5 s left, rounded up
    expect(sixth.headers.get('x-ratelimit-reset-after')).toBe('1.500');
    expect(await sixth.json()).toEqual({
      message: 'You are being rate limited.',
      retry_after: 1.5,
      global: false,
    });
    expect(await (results[9] as Response).json()).toMatchObject({ retry_after: 1.1 });
    expect(s.webhookPosts()).toHaveLength(5);
    expect(s.invalidRequests()).toBe(5);

    clock.advance(1100); // the window opened at t0 closes at t0 + 2 s
    const after = await execute(s, hook, 'after reset');
    expect(after.status).toBe(204);
    expect(after.headers.get('x-ratelimit-remaining')).toBe('4');
  });

  it('limits a channel to 30 executes per minute across its webhooks (shared scope)', async () => {
    const clock = manualClock();
    const { server: s, guild } = await startWithGuild({ now: clock.now });
    const hooks = Array.from({ length: 7 }, (_, i) =>
      s.createWebhook({ channelId: guild.channels.alerts as string, name: `hook ${i}` }),
    );
    const other = s.createWebhook({ channelId: guild.channels.other as string });
    const statuses: number[] = [];
    for (const hook of hooks.slice(0, 6)) {
      for (let i = 0; i < 5; i++) statuses.push((await execute(s, hook, 'x')).status);
    }
    expect(statuses.every((st) => st === 204)).toBe(true);
    const blocked = await execute(s, hooks[6] as SandboxWebhook, 'one too many');
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('x-ratelimit-scope')).toBe('shared');
    expect(blocked.headers.get('x-ratelimit-remaining')).toBe('5'); // its own webhook bucket is untouched
    expect((await blocked.json()) as unknown).toEqual({
      message: 'You are being rate limited.',
      retry_after: 60,
      global: false,
    });
    expect(s.invalidRequests()).toBe(0); // shared 429s don't count as invalid
    expect((await execute(s, other, 'other channel')).status).toBe(204);
    clock.advance(60_000);
    expect((await execute(s, hooks[6] as SandboxWebhook, 'next minute')).status).toBe(204);
  });

  it('applies the global limit per bot token and per client address for tokenless calls', async () => {
    const clock = manualClock();
    const {
      server: s,
      bot,
      guild,
    } = await startWithGuild({
      now: clock.now,
      rateLimits: {
        global: { limit: 3, windowMs: 1000 },
        defaultRoute: { limit: 100, windowMs: 1000 },
      },
    });
    const get = (path: string) =>
      fetch(`${s.apiUrl}/v10${path}`, { headers: { authorization: `Bot ${bot.token}` } });
    const statuses = [];
    for (const path of [
      '/users/@me',
      '/gateway/bot',
      `/guilds/${guild.id}`,
      `/guilds/${guild.id}/roles`,
    ]) {
      statuses.push(await get(path));
    }
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    const limited = statuses[3] as Response;
    expect(limited.headers.get('x-ratelimit-global')).toBe('true');
    expect(limited.headers.get('x-ratelimit-scope')).toBe('global');
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toEqual({
      message: 'You are being rate limited.',
      retry_after: 1,
      global: true,
    });
    // Webhook executes without a token count per client address, separately from the bot.
    const hook = s.createWebhook({ channelId: guild.channels.alerts as string });
    const hookStatuses = [];
    for (let i = 0; i < 4; i++) hookStatuses.push((await execute(s, hook, `${i}`)).status);
    expect(hookStatuses).toEqual([204, 204, 204, 429]);
  });

  it('shares one bucket per guild between role add and remove', async () => {
    const { server: s, bot } = await startWithGuild({
      rateLimits: { memberRoles: { limit: 2, windowMs: 60_000 } },
    });
    const g = s.createGuild({
      name: 'Roles',
      roles: [{ name: 'Member' }, { name: 'Bot', permissions: ['ManageRoles'] }],
      members: [{ username: 'alice' }],
      botRoles: ['Bot'],
    });
    const url = `${s.apiUrl}/v10/guilds/${g.id}/members/${g.members.alice}/roles/${g.roles.Member}`;
    const call = (method: string) =>
      fetch(url, { method, headers: { authorization: `Bot ${bot.token}` } });
    const a = await call('PUT');
    const b = await call('DELETE');
    const c = await call('PUT');
    expect([a.status, b.status, c.status]).toEqual([204, 204, 429]);
    expect(a.headers.get('x-ratelimit-bucket')).toBe(b.headers.get('x-ratelimit-bucket'));
    expect(b.headers.get('x-ratelimit-remaining')).toBe('0');
  });

  it("discord.js's REST queue follows the headers: 12 WebhookClient sends, no 429", async () => {
    const { server: s, guild } = await startWithGuild({
      rateLimits: { webhookExecute: { limit: 5, windowMs: 400 } },
    });
    const hook = s.createWebhook({ channelId: guild.channels.alerts as string });
    const client = new WebhookClient(
      { id: hook.id, token: hook.token },
      { rest: { api: s.apiUrl } },
    );
    try {
      const sent = await Promise.all(
        Array.from({ length: 12 }, (_, i) => client.send(`queued ${i}`)),
      );
      expect(sent.map((m) => m.content)).toEqual(
        Array.from({ length: 12 }, (_, i) => `queued ${i}`),
      );
    } finally {
      client.destroy();
    }
    const executes = s.received.filter(
      (r) => r.method === 'POST' && r.path.startsWith('/webhooks/'),
    );
    expect(executes).toHaveLength(12);
    expect(executes.filter((r) => r.status === 429)).toHaveLength(0);
    // It had to wait twice for the 400 ms window: the 6th and 11th went out in new windows.
    const t = executes.map((r) => r.at);
    expect((t[5] as number) - (t[0] as number)).toBeGreaterThanOrEqual(400);
    expect((t[10] as number) - (t[5] as number)).toBeGreaterThanOrEqual(400);
  });
});
