import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/log.js';
import { WebhookError, type WebhookRef } from '../../../core/webhooks.js';
import { WebhookSender } from '../../../src/discord/webhooks/index.js';
import { DiscordServer, type DiscordServerOptions } from '../../../src/sandbox/discord/index.js';

const log = createLogger({ level: 'silent', pretty: false });
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function setup(options: DiscordServerOptions = {}, channels = ['live']) {
  const server = await DiscordServer.start(options);
  closers.push(() => server.close());
  const guild = server.createGuild({ name: 'G', channels });
  const sender = new WebhookSender({ apiUrl: server.apiUrl, log });
  closers.push(() => sender.close());
  const webhooks = sender.forCog({ bot: 'alice', cog: 'go-live', log });
  const hook = (channel = channels[0] as string): WebhookRef & { channelId: string } => {
    const h = server.createWebhook({ channelId: guild.channels[channel] as string });
    return { id: h.id, token: h.token, channelId: h.channelId };
  };
  const received429 = () => server.received.filter((r) => r.status === 429).length;
  return { server, guild, sender, webhooks, hook, received429 };
}

describe('WebhookSender against the sandbox Discord (real @discordjs/rest)', () => {
  it('posts, edits and deletes; always sends allowed_mentions', async () => {
    const { server, webhooks, hook } = await setup();
    const h = hook();
    const msg = await webhooks.execute(h, {
      content: '@everyone <@&123> alice is live',
      embeds: [{ title: 'Speedrun', url: 'https://twitch.tv/alice' }],
    });
    expect(msg).toMatchObject({ channelId: h.channelId, webhookId: h.id });
    const [post] = server.webhookPosts(h.channelId);
    expect(post?.content).toBe('@everyone <@&123> alice is live');
    expect(post?.embeds[0]).toMatchObject({ title: 'Speedrun' });
    // No pings: allowed_mentions { parse: [] } went with it.
    expect(post?.mentions).toEqual({ users: [], roles: [], everyone: false });
    await webhooks.edit(h, msg.id, { content: 'alice was live' });
    expect(server.webhookPosts(h.channelId)[0]?.content).toBe('alice was live');
    await webhooks.delete(h, msg.id);
    expect(server.webhookPosts(h.channelId)).toHaveLength(0);
    expect(await webhooks.get(h)).toMatchObject({ id: h.id, channelId: h.channelId });
  });

  it("waits for a webhook's bucket from its headers: 12 quick posts, no 429", async () => {
    const { server, webhooks, hook, received429 } = await setup({
      rateLimits: { webhookExecute: { limit: 5, windowMs: 400 } },
    });
    const h = hook();
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        webhooks.execute(h, { content: `post ${i}` }, { channelId: h.channelId }),
      ),
    );
    expect(server.webhookPosts(h.channelId).map((m) => m.content)).toEqual(
      Array.from({ length: 12 }, (_, i) => `post ${i}`),
    );
    expect(received429()).toBe(0);
    // Three windows of 5: the third opens at least two windows after the first.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(750);
  });

  it('keeps under the global limit of 50/s across webhooks without a 429', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `c${i}`);
    const { server, webhooks, hook, received429 } = await setup({}, names);
    const hooks = Array.from({ length: 120 }, (_, i) => hook(names[i % 12]));
    const t0 = Date.now();
    await Promise.all(hooks.map((h, i) => webhooks.execute(h, { content: `n${i}` })));
    const ms = Date.now() - t0;
    expect(server.webhookPosts()).toHaveLength(120);
    expect(received429()).toBe(0);
    // 120 posts at 50/s need three global windows: at least two seconds.
    expect(ms).toBeGreaterThanOrEqual(2000);
    expect(ms).toBeLessThan(5000);
  });

  it("paces a channel's posts (no header announces it) instead of earning a shared 429", async () => {
    const { server, webhooks, hook, received429 } = await setup({
      rateLimits: { webhookChannel: { limit: 30, windowMs: 60_000 } },
    });
    const hooks = Array.from({ length: 8 }, () => hook());
    const results = await Promise.allSettled(
      Array.from({ length: 32 }, (_, i) =>
        webhooks.execute(
          hooks[i % 8] as WebhookRef,
          { content: `p${i}` },
          {
            channelId: hooks[0]?.channelId,
          },
        ),
      ),
    );
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(2);
    const err = (refused[0] as PromiseRejectedResult).reason as WebhookError;
    expect(err).toBeInstanceOf(WebhookError);
    expect(err.kind).toBe('rate_limited');
    expect(err.retryAfterMs).toBeGreaterThan(0);
    expect(server.webhookPosts()).toHaveLength(30);
    expect(received429()).toBe(0);
  });

  it('a deleted webhook fails as gone once, then is never called again', async () => {
    const { server, webhooks, hook, sender } = await setup();
    const h = hook();
    await fetch(`${server.apiUrl}/v10/webhooks/${h.id}/${h.token}`, { method: 'DELETE' });
    const err = await webhooks.execute(h, { content: 'x' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'gone', status: 404, code: 10015 });
    expect((err as WebhookError).message).toMatch(/was deleted.*create a new webhook/);
    expect((err as WebhookError).message).not.toContain(h.token);
    const calls = () => server.received.filter((r) => r.path.includes(h.id)).length;
    const before = calls();
    await expect(webhooks.execute(h, { content: 'y' })).rejects.toMatchObject({ kind: 'gone' });
    await expect(webhooks.edit(h, '1', { content: 'z' })).rejects.toMatchObject({ kind: 'gone' });
    expect(calls()).toBe(before);
    expect(webhooks.isGone(h.id)).toBe(true);
    expect(sender.stats()).toMatchObject({ gone: 1, refusedGone: 2 });
  });

  it('classifies refusals, server errors and timeouts', async () => {
    const { server, webhooks, hook } = await setup();
    const h = hook();
    await expect(webhooks.execute(h, { content: 'x'.repeat(2001) })).rejects.toMatchObject({
      kind: 'invalid',
      status: 400,
      retryable: false,
    });
    server.stall(2000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(
      webhooks.execute(h, { content: 'slow' }, { signal: controller.signal }),
    ).rejects.toMatchObject({ kind: 'network', retryable: true });
    server.stall(0);

    let hits = 0;
    const failing = createServer((_req, res) => {
      hits++;
      res.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"bad gateway"}');
    });
    await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise<void>((r) => failing.close(() => r())));
    const port = (failing.address() as AddressInfo).port;
    const other = new WebhookSender({ apiUrl: `http://127.0.0.1:${port}/api`, log });
    closers.push(() => other.close());
    await expect(
      other.forCog({ bot: 'a', cog: 'b', log }).execute(h, { content: 'x' }),
    ).rejects.toMatchObject({ kind: 'server', status: 502, retryable: true });
    // One request: backing off is the queue's job, not an immediate retry.
    expect(hits).toBe(1);
  });
});
