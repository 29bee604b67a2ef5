import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { defineBench } from './harness.js';
import type { BenchFigure } from './harness.js';
import { DiscordServer, UNLIMITED_RATE_LIMITS } from '../src/sandbox/discord/index.js';

/** Seconds per measured side (simulator, baseline): the whole bench stays near 10 s. */
const SECONDS = 5;
const CONNECTIONS = 32;
const CHANNELS = 10;
const WEBHOOKS_PER_CHANNEL = 10;

interface Load {
  rps: number;
  p99: number;
  failures: number;
  total: number;
}

/**
 * Fires the request list (cycled per connection) for {@link SECONDS} with keep-alive
 * autocannon in a worker thread, so the server under test keeps the main thread.
 * Bounded by time: autocannon's `stop()` never calls back in worker mode, so `amount`
 * (which could run long on a loaded machine) is not used.
 */
async function hammer(origin: string, requests: autocannon.Request[]): Promise<Load> {
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url: origin,
        connections: CONNECTIONS,
        duration: SECONDS,
        requests,
        workers: 1,
        timeout: 5,
      },
      (err: unknown, res: autocannon.Result) => (err ? reject(err) : resolve(res)),
    );
  });
  return {
    rps: result['2xx'] / result.duration,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors,
    total: result['2xx'],
  };
}

/**
 * The baseline: a bare node:http server answering the same route with the same shape of
 * response (a Discord message object of the same size, the same rate-limit headers), so
 * the ratio isolates the simulator's own work (routing, auth, limits, state, recording).
 */
async function startBaseline(): Promise<{ origin: string; close: () => Promise<void> }> {
  let n = 0;
  const server = createServer({ keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { content?: string };
      const webhookId = (req.url ?? '').split('/')[4] ?? '';
      const text = JSON.stringify({
        id: String(1_300_000_000_000_000_000n + BigInt(++n)),
        type: 0,
        channel_id: '1300000000000000001',
        author: {
          id: webhookId,
          username: 'Captain Hook',
          global_name: null,
          discriminator: '0000',
          avatar: null,
          bot: true,
          public_flags: 0,
          flags: 0,
        },
        content: body.content ?? '',
        timestamp: new Date().toISOString(),
        edited_timestamp: null,
        tts: false,
        mention_everyone: false,
        mentions: [],
        mention_roles: [],
        attachments: [],
        embeds: [],
        components: [],
        pinned: false,
        flags: 0,
        guild_id: '1300000000000000002',
        webhook_id: webhookId,
      });
      res.writeHead(200, {
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '4',
        'x-ratelimit-reset': (Date.now() / 1000 + 2).toFixed(3),
        'x-ratelimit-reset-after': '2.000',
        'x-ratelimit-bucket': 'e3b0c44298fc1c149afbf4c8996fb924',
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(text)),
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export default defineBench({
  name: 'sandbox-discord',
  async run(): Promise<BenchFigure[]> {
    // Limits loosened so the figure is the simulator's own cost, not Discord's 5 / 2 s.
    const sandbox = await DiscordServer.start({
      rateLimits: UNLIMITED_RATE_LIMITS,
      maxMessagesPerChannel: 1000,
      maxRecords: 10_000,
    });
    const baseline = await startBaseline();
    try {
      sandbox.createBot({ username: 'bench' });
      const guild = sandbox.createGuild({
        name: 'Bench',
        channels: Array.from({ length: CHANNELS }, (_, i) => `c${i}`),
      });
      const hooks = Object.values(guild.channels).flatMap((channelId) =>
        Array.from({ length: WEBHOOKS_PER_CHANNEL }, () => sandbox.createWebhook({ channelId })),
      );
      const requests: autocannon.Request[] = hooks.map((h, i) => ({
        method: 'POST',
        path: `/api/v10/webhooks/${h.id}/${h.token}?wait=true`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ content: `bench message ${i}`, allowed_mentions: { parse: [] } }),
      }));
      const base = await hammer(baseline.origin, requests);
      const sim = await hammer(`http://127.0.0.1:${sandbox.port}`, requests);
      const posted = sandbox.webhookPosts().length;
      return [
        {
          name: 'sandbox-discord.webhook-execute',
          value: sim.rps,
          unit: 'req/s',
          baseline: base.rps,
          goal: '>= 5000 req/s',
          pass: sim.rps >= 5000 && sim.failures === 0,
        },
        {
          name: 'sandbox-discord.webhook-execute.p99',
          value: sim.p99,
          unit: 'ms',
          baseline: base.p99,
        },
        {
          name: 'sandbox-discord.webhook-execute.requests',
          value: sim.total,
          unit: 'requests',
          baseline: base.total,
        },
        {
          name: 'sandbox-discord.webhook-execute.failures',
          value: sim.failures,
          unit: 'responses',
          goal: '= 0',
          pass: sim.failures === 0 && posted > 0,
        },
      ];
    } finally {
      await baseline.close();
      await sandbox.close();
    }
  },
});
