import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { findNginx, httpsAgent, httpsRequest, type TestResponse } from '../helpers/nginx.js';
import { waitFor } from '../helpers/processes.js';
import { findRedisServer } from '../helpers/redis.js';
import { stopCliApp, type StartedApp } from './lib/cli-app.js';
import { metric, startCluster, type Cluster } from './lib/cluster.js';
import {
  retried,
  streamOfflineDelivery,
  streamOnlineDelivery,
  type SignedDelivery,
} from './lib/deliveries.js';
import { requireTool } from './lib/require-tool.js';

// Three `streamcogs start` processes share one redis-server (STORAGE_URL=redis://...) behind
// nginx's upstream; the sandbox (Twitch Helix and Discord with its real webhook limits) runs
// in this process. The go-live cog posts to one webhook per tracked streamer.
//
// Wall time: Discord allows ~50 webhook requests/s per caller and 5 per 2 s per webhook, so
// 1,000 posts would take 20 s or more of pure waiting. Of the 1,000 deliveries, only
// LIVE.length are `stream.online` of go-live's streamers (one post each, every streamer its
// own webhook and channel); the rest are `stream.offline` of streamers only the eventsub cog
// follows (status, no post, and no Helix call: Twitch's 800 Helix calls a minute per app
// would otherwise pace the test). Every delivery still goes through nginx, the signature check,
// the shared dedupe and the cogs.
const NGINX = requireTool('nginx', findNginx());
const REDIS = requireTool('redis-server', findRedisServer());
const LIVE = Array.from({ length: 24 }, (_, i) => `golive${i}`);
const KILL = Array.from({ length: 24 }, (_, i) => `takeover${i}`);
const DRAIN = Array.from({ length: 12 }, (_, i) => `drain${i}`);
const QUIET = Array.from({ length: 8 }, (_, i) => `quiet${i}`);
/** go-live's `delivery.concurrency`: at most this many posts are in flight in one instance. */
const CONCURRENCY = 4;
const NOTIFICATIONS = 'streamcogs_eventsub_requests_total{outcome="notification"}';
const DUPLICATES = 'streamcogs_eventsub_requests_total{outcome="duplicate"}';

let cluster: Cluster | undefined;
/** Streamer login -> the channel its webhook posts in. */
const channelOf = new Map<string, string>();

function yaml(sandbox: Sandbox): string {
  const guild = sandbox.discord.createGuild({ name: 'Streams', channels: [] });
  const lines = [
    'alice:',
    '  channels: [alice]',
    '  cogs:',
    '    - eventsub:',
    `        streamers: [${QUIET.join(', ')}]`,
    '    - go-live:',
    '        catch_up: false',
    // A short lease: a SIGKILLed instance's jobs are taken over 2 s later.
    `        delivery: { concurrency: ${CONCURRENCY}, lease_seconds: 2, retry_base_seconds: 0.2 }`,
    '        streamers:',
  ];
  for (const login of [...LIVE, ...KILL, ...DRAIN]) {
    const channelId = sandbox.discord.createChannel(guild.id, login);
    const hook = sandbox.discord.createWebhook({ channelId, name: 'Live' });
    channelOf.set(login, channelId);
    lines.push(
      `          ${login}: { webhook: '${sandbox.discord.apiUrl}/v10/webhooks/${hook.id}/${hook.token}', channel_id: '${channelId}' }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Webhook posts per streamer, as the sandbox's Discord recorded them. */
function postsPerStreamer(logins: string[]): Map<string, number> {
  const discord = cluster!.sandbox.discord;
  return new Map(logins.map((l) => [l, discord.webhookPosts(channelOf.get(l)).length]));
}

function userId(login: string): string {
  return cluster!.sandbox.world.ensureUser(login).id;
}

/** Sends `deliveries` through nginx in order, `concurrency` at a time. */
async function sendAll(
  deliveries: SignedDelivery[],
  concurrency: number,
  onSent?: (done: number) => void,
): Promise<TestResponse[]> {
  const nginx = cluster!.nginx;
  const agent = httpsAgent(nginx, concurrency);
  const results: TestResponse[] = new Array(deliveries.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < deliveries.length) {
      const i = next++;
      const d = deliveries[i]!;
      results[i] = await httpsRequest(nginx, {
        method: 'POST',
        path: d.path,
        headers: d.headers,
        body: d.body,
        agent,
      });
      onSent?.(++done);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return results;
}

/** Which upstream served each POST to /eventsub, from nginx's access log (from line `from`). */
async function upstreamCounts(from = 0): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const line of (await cluster!.nginx.accessLog()).slice(from)) {
    if (!line.includes('"POST /eventsub/')) continue;
    // `$remote_addr $status $upstream_addr "$request"`; `$upstream_addr` lists every
    // instance tried ("a:1, b:2" after a failover): the last one answered.
    const upstreams = line.slice(0, line.indexOf('"')).trim().split(' ').slice(2).join(' ');
    const served = upstreams.split(', ').at(-1) ?? '';
    counts.set(served, (counts.get(served) ?? 0) + 1);
  }
  return counts;
}

/** A counter summed over the instances still running. */
async function sum(series: string): Promise<number> {
  const running = cluster!.apps.filter((a) => a.cli.child.exitCode === null);
  const values = await Promise.all(running.map((a) => metric(a, series)));
  return values.reduce((a, b) => a + b, 0);
}

function online(login: string, eventId: string): SignedDelivery {
  return streamOnlineDelivery(cluster!.secret, userId(login), eventId, { login });
}

function offline(login: string): SignedDelivery {
  return streamOfflineDelivery(cluster!.secret, userId(login), login);
}

/** Log lines of one instance with this message prefix. */
function logged(app: StartedApp, prefix: string): Record<string, unknown>[] {
  return app.cli.lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith(prefix));
}

describe.skipIf(!NGINX || !REDIS)('streamcogs processes sharing Redis behind nginx', () => {
  beforeAll(async () => {
    cluster = await startCluster({
      bots: [{ name: 'alice', channels: ['alice'] }],
      // Helix lists their streams, so a post never waits for Helix to catch up.
      prepare: (sandbox) => {
        for (const login of [...LIVE, ...KILL, ...DRAIN])
          sandbox.world.goLive(login, { title: login });
        for (const login of QUIET) sandbox.world.ensureUser(login);
      },
      yaml,
      // Three: one is stopped gracefully, one SIGKILLed, the last finishes the work.
      instances: 3,
      // Each instance paces its webhook calls to 4/s (Discord's limit is per caller; two
      // processes on one address share it): the kill below lands while posts are queued.
      env: { DISCORD_WEBHOOK_GLOBAL_LIMIT: '4', LOG_LEVEL: 'info' },
    });
    // go-live subscribes its streamers just after setup (Helix lookups first): until then an
    // instance answers their deliveries 410. A `stream.offline` of a streamer who is not
    // live changes nothing; once each instance takes one for the first and the last, all are routed.
    for (const app of cluster.apps)
      for (const login of [LIVE[0]!, DRAIN.at(-1)!])
        await waitFor(
          async () => {
            const d = offline(login);
            const res = await fetch(`${app.url}${d.path}`, {
              method: 'POST',
              headers: d.headers,
              body: d.body,
            });
            return res.status === 202;
          },
          20_000,
          `${app.hostPort} never routed ${login}'s events`,
        );
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 30_000);

  it('1,000 signed deliveries round-robin with 10% repeats: each handled once, each post made once', async () => {
    const unique: SignedDelivery[] = [];
    const sequence: SignedDelivery[] = [];
    let live = 0;
    for (let i = 0; i < 1000; i++) {
      // Exactly 10 in every 100, at odd and even positions alike (round-robin alternates
      // instances, so every 10th would always reach the same one).
      if ((i * 37 + 11) % 100 < 10 && unique.length > 0) {
        // Twitch retrying a message it already sent (maybe still in flight on the other instance).
        sequence.push(retried(unique[(i * 7) % unique.length]!, 1));
        continue;
      }
      const d =
        i % 37 === 5 && live < LIVE.length
          ? online(LIVE[live++]!, `live-${i}`)
          : offline(QUIET[i % QUIET.length]!);
      unique.push(d);
      sequence.push(d);
    }
    expect(live).toBe(LIVE.length);
    expect(sequence).toHaveLength(1000);
    const repeats = 1000 - unique.length;
    const before = { handled: await sum(NOTIFICATIONS), dupes: await sum(DUPLICATES) };

    const responses = await sendAll(sequence, 16);
    expect(responses.filter((r) => r.status < 200 || r.status >= 300)).toEqual([]);
    // Each message handled once across the cluster; every repeat recognised as one.
    await waitFor(
      async () => (await sum(NOTIFICATIONS)) - before.handled >= unique.length,
      20_000,
      'not every delivery was handled',
    );
    expect((await sum(NOTIFICATIONS)) - before.handled).toBe(unique.length);
    expect((await sum(DUPLICATES)) - before.dupes).toBe(repeats);
    const counts = await upstreamCounts();
    for (const a of cluster!.apps) expect(counts.get(a.hostPort) ?? 0).toBeGreaterThan(250);

    // One post per streamer, whichever instance got the delivery (and its repeat).
    await waitFor(
      () => [...postsPerStreamer(LIVE).values()].every((n) => n >= 1),
      30_000,
      'not every go-live post was made',
    );
    await new Promise((r) => setTimeout(r, 1500)); // a second post would come within the poll
    expect([...postsPerStreamer(LIVE).entries()].filter(([, n]) => n !== 1)).toEqual([]);
    // Both instances made some of them.
    for (const a of cluster!.apps) expect(logged(a, 'go-live: posted').length).toBeGreaterThan(0);
  }, 90_000);

  it('an instance stopped gracefully midway (SIGTERM): nginx passes its deliveries on, each post made once', async () => {
    const c = cluster!.apps[2]!;
    // 200 deliveries; every 16th a go-live of a DRAIN streamer (12), the rest status only.
    const deliveries = Array.from({ length: 200 }, (_, i) =>
      i % 16 === 3 && i < 16 * DRAIN.length
        ? online(DRAIN[(i - 3) / 16]!, `drain-${i}`)
        : offline(QUIET[i % QUIET.length]!),
    );
    const logFrom = (await cluster!.nginx.accessLog()).length;
    let stopping: Promise<number | null> | undefined;
    const responses = await sendAll(deliveries, 8, (done) => {
      if (done === 80) stopping = stopCliApp(c.cli);
    });
    expect(await stopping).toBe(0); // drained and exited cleanly
    // None lost: every delivery was answered 2xx by someone (a refused connection or a 503
    // from the stopping instance sends nginx to the next one).
    expect(responses.filter((r) => r.status < 200 || r.status >= 300)).toEqual([]);
    const counts = await upstreamCounts(logFrom);
    expect(counts.get(c.hostPort) ?? 0).toBeGreaterThan(0);
    expect(counts.get(c.hostPort) ?? 0).toBeLessThan(100);
    await waitFor(
      () => [...postsPerStreamer(DRAIN).values()].every((n) => n >= 1),
      20_000,
      'not every go-live post was made after the graceful stop',
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect([...postsPerStreamer(DRAIN).entries()].filter(([, n]) => n !== 1)).toEqual([]);
  }, 60_000);

  it('an instance SIGKILLed while it holds queued posts: the other finishes them, one post per target', async () => {
    const [a, b] = cluster!.apps as [StartedApp, StartedApp];
    const responses = await sendAll(
      KILL.map((login, i) => online(login, `kill-${i}`)),
      4,
    );
    expect(responses.filter((r) => r.status < 200 || r.status >= 300)).toEqual([]);
    // Kill a once every go-live event became durable jobs (the EventSub ingress acknowledges
    // before its handlers run: an event acknowledged but not yet queued dies with its
    // process) and a is posting, with most posts still to make.
    const fannedOut = () =>
      cluster!.apps
        .flatMap((x) => logged(x, 'go-live: '))
        .filter((l) => typeof l.targets === 'number' && KILL.includes(String(l.streamer)));
    await waitFor(
      () =>
        fannedOut().length === KILL.length &&
        logged(a, 'go-live: posted').some((l) => KILL.includes(String(l.streamer))),
      20_000,
      'the go-live events did not all become jobs, or instance a made no post',
    );
    a.cli.child.kill('SIGKILL');
    await a.cli.exited;
    const postedAtKill = postsPerStreamer(KILL);
    const fannedOutByA = logged(a, 'go-live: ')
      .filter((l) => typeof l.targets === 'number' && KILL.includes(String(l.streamer)))
      .map((l) => String(l.streamer));
    const pendingOfA = fannedOutByA.filter((login) => postedAtKill.get(login) === 0);
    // a had enqueued posts nobody had made yet.
    expect(pendingOfA.length).toBeGreaterThan(0);

    await waitFor(
      () => [...postsPerStreamer(KILL).values()].every((n) => n >= 1),
      30_000,
      'the surviving instance did not finish the posts',
    ).catch((err: Error) => {
      const missing = [...postsPerStreamer(KILL).entries()].filter(([, n]) => n === 0);
      const problems = b.cli.lines.filter((l) => Number(l.level) >= 40).slice(-10);
      throw new Error(
        `${err.message}; no post for ${JSON.stringify(missing)}; b logged ${JSON.stringify(problems)}`,
      );
    });
    await new Promise((r) => setTimeout(r, 3000)); // past a lease: a late repeat would show
    const posts = postsPerStreamer(KILL);
    // A repeat is only possible for a request a had in flight when it died (at most its
    // concurrency); the rest exactly once.
    const repeated = [...posts.entries()].filter(([, n]) => n > 1);
    console.info(
      `scale-out kill: ${pendingOfA.length} of a's posts were pending at the kill; ${repeated.length} target(s) got a repeated post`,
    );
    expect(repeated.length).toBeLessThanOrEqual(CONCURRENCY);
    expect(repeated.every(([, n]) => n === 2)).toBe(true);
    expect([...posts.values()].every((n) => n >= 1)).toBe(true);
    // b made the posts a had left.
    const byB = new Set(logged(b, 'go-live: posted').map((l) => String(l.streamer)));
    expect(pendingOfA.filter((login) => !byB.has(login))).toEqual([]);

    // The survivor still takes deliveries through nginx.
    const last = offline(QUIET[0]!);
    const res = await httpsRequest(cluster!.nginx, {
      method: 'POST',
      path: last.path,
      headers: last.headers,
      body: last.body,
    });
    expect(res.status).toBeLessThan(300);
  }, 90_000);
});
