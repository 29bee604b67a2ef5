import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ReceivedRequest } from '../src/sandbox/discord/index.js';
import { defineBench, percentile, type BenchFigure } from './harness.js';
import { startChildBot } from '../test/plugins/go-live/helpers/child-bot.js';
import { freePort } from '../test/helpers/processes.js';
import { goLiveSandbox, until, type Hook } from '../test/plugins/go-live/helpers/harness.js';

/**
 * One `stream.online` fanned out to N webhook targets against the sandbox Discord with
 * Discord's real limits (50 requests/s global, 5 per 2 s per webhook, 30 per minute per
 * channel). 1,000 targets by default; `GO_LIVE_BENCH_10K=1` adds 10,000 (over 200 s).
 * 2 % of the webhooks are deleted first: each must get exactly one request (its 404).
 * Then the kill -9 figure: the same fan-out in a child process killed at half-way and
 * restarted (`GO_LIVE_BENCH_KILL=0` skips it).
 */
const GLOBAL_PER_SECOND = 50;
const PER_CHANNEL = 25; // under 30 posts per minute per channel

type Env = Awaited<ReturnType<typeof goLiveSandbox>>;

function makeTargets(env: Env, n: number): { hooks: Hook[]; deleted: Set<string> } {
  const hooks = Array.from({ length: n }, (_, i) =>
    env.webhook(`b${n}-${Math.floor(i / PER_CHANNEL)}`),
  );
  const deleted = new Set(hooks.filter((_, i) => i % 50 === 7).map((h) => h.id));
  return { hooks, deleted };
}

/** Deletes webhooks as a user would, waiting when Discord says so (deletes count globally too). */
async function deleteHooks(env: Env, hooks: Hook[], deleted: Set<string>): Promise<void> {
  for (const h of hooks.filter((x) => deleted.has(x.id)))
    for (;;) {
      const url = `${env.discord.apiUrl}/v10/webhooks/${h.id}/${h.token}`;
      const res = await fetch(url, { method: 'DELETE' });
      if (res.status !== 429) break;
      const { retry_after } = (await res.json()) as { retry_after: number };
      await new Promise((r) => setTimeout(r, retry_after * 1000 + 50));
    }
  // Let the global window these deletes used pass before the fan-out starts.
  await new Promise((r) => setTimeout(r, 1100));
}

const settings = (login: string, hooks: Hook[], extra: Record<string, unknown> = {}) => ({
  streamers: { [login]: hooks.map((h) => ({ webhook: h.url })) },
  delivery: { concurrency: 64, lease_seconds: 10 },
  ...extra,
});

async function fanOut(n: number): Promise<BenchFigure[]> {
  const env = await goLiveSandbox();
  const login = `bench${n}`;
  const { hooks, deleted } = makeTargets(env, n);
  await deleteHooks(env, hooks, deleted);
  const records: ReceivedRequest[] = [];
  const ids = new Set(hooks.map((h) => h.id));
  const hookOf = (r: ReceivedRequest) => /\/webhooks\/(\d+)\//.exec(r.path)?.[1];
  env.discord.on('record', (r: ReceivedRequest) => {
    const id = hookOf(r);
    if (id && ids.has(id)) records.push(r);
  });
  const bot = await env.startBot(settings(login, hooks));
  try {
    await env.subscribed([login]);
    const live = n - deleted.size;
    const t0 = Date.now();
    env.world.goLive(login, { title: 'Benchmark', game: 'Just Chatting' });
    await until(() => env.discord.webhookPosts().length >= live, `${live} posts`, n * 60 + 60_000);
    const seconds = (Math.max(...records.map((r) => r.at)) - t0) / 1000;
    const floor = (live + deleted.size) / GLOBAL_PER_SECOND;
    const by = (s: number) => records.filter((r) => r.status === s);
    const scopes = by(429).map((r) => `${r.scope ?? '?'}@${((r.at - t0) / 1000).toFixed(1)}s`);
    if (scopes.length > 0) console.error(`go-live.${n}: 429s: ${scopes.join(' ')}`);
    const after404 = [...deleted].reduce((sum, id) => {
      const mine = records.filter((r) => hookOf(r) === id);
      const first = mine.findIndex((r) => r.status === 404);
      return sum + (first < 0 ? 0 : mine.length - first - 1);
    }, 0);
    const perHook = new Map<string, number>();
    for (const m of env.discord.webhookPosts())
      if (m.webhookId) perHook.set(m.webhookId, (perHook.get(m.webhookId) ?? 0) + 1);
    const latencies = bot
      .logged()
      .map((l) => l.latencyMs)
      .filter((v): v is number => typeof v === 'number');
    const name = `go-live.${n}`;
    return [
      {
        name: `${name}.seconds`,
        value: seconds,
        unit: 's',
        goal: `<= ${(floor * 1.2).toFixed(0)} s (1.2x the 50/s floor of ${floor.toFixed(0)} s)`,
        pass: seconds <= floor * 1.2,
      },
      {
        name: `${name}.ratio-to-floor`,
        value: seconds / floor,
        unit: 'x',
        goal: '<= 1.2',
        pass: seconds / floor <= 1.2,
      },
      {
        name: `${name}.delivered`,
        value: perHook.size,
        unit: 'targets',
        goal: `${live} (each once)`,
        pass: perHook.size === live && [...perHook.values()].every((c) => c === 1),
      },
      {
        name: `${name}.429s`,
        value: by(429).length,
        unit: 'responses',
        goal: '0',
        pass: by(429).length === 0,
      },
      {
        name: `${name}.requests-per-second`,
        value: records.length / seconds,
        unit: 'req/s',
        goal: '<= 50',
      },
      {
        name: `${name}.requests-after-404`,
        value: after404,
        unit: 'requests',
        goal: '0',
        pass: after404 === 0,
      },
      { name: `${name}.latency.p50`, value: percentile(latencies, 50) / 1000, unit: 's' },
      { name: `${name}.latency.p95`, value: percentile(latencies, 95) / 1000, unit: 's' },
    ];
  } finally {
    await bot.stop();
    await env.close();
  }
}

/** The fan-out in a child process, killed with SIGKILL at half-way and restarted. */
async function killAtHalf(n: number): Promise<BenchFigure[]> {
  const env = await goLiveSandbox();
  const login = `kill${n}`;
  env.world.ensureUser(login);
  const { hooks } = makeTargets(env, n);
  const port = await freePort();
  env.setCallbackTarget(`http://127.0.0.1:${port}`);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'streamcogs-bench-kill-'));
  const start = () =>
    startChildBot({
      discordApi: env.discord.apiUrl,
      twurplePort: env.twitchApi.port,
      dataDir,
      port,
      settings: settings(login, hooks, { delivery: { concurrency: 64, lease_seconds: 5 } }),
    });
  const posted = () => new Set(env.discord.webhookPosts().map((m) => m.webhookId)).size;
  const first = start();
  try {
    await first.waitForLog((l) => l.ready === true);
    await env.subscribed([login]);
    const t0 = Date.now();
    env.world.goLive(login, { title: 'Benchmark' });
    await until(() => posted() >= n / 2, 'half the posts', n * 60 + 60_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = posted();
    const second = start();
    try {
      await until(() => posted() >= n, 'every target after the restart', n * 60 + 120_000);
      const seconds = (Date.now() - t0) / 1000;
      second.child.kill('SIGTERM');
      await second.exited;
      const per = new Map<string, number>();
      for (const m of env.discord.webhookPosts())
        if (m.webhookId) per.set(m.webhookId, (per.get(m.webhookId) ?? 0) + 1);
      const repeated = [...per.values()].filter((c) => c > 1).length;
      return [
        {
          name: `go-live.kill9.${n}.delivered`,
          value: per.size,
          unit: 'targets',
          goal: `${n}`,
          pass: per.size === n,
        },
        { name: `go-live.kill9.${n}.posted-before-kill`, value: atKill, unit: 'targets' },
        {
          name: `go-live.kill9.${n}.repeated`,
          value: repeated,
          unit: 'targets',
          goal: '<= 64 (in flight at the kill)',
          pass: repeated <= 64,
        },
        { name: `go-live.kill9.${n}.seconds`, value: seconds, unit: 's' },
      ];
    } finally {
      if (second.child.exitCode === null) second.child.kill('SIGKILL');
    }
  } finally {
    if (first.child.exitCode === null) first.child.kill('SIGKILL');
    await env.close();
  }
}

export default defineBench({
  name: 'go-live',
  async run() {
    const figures = await fanOut(1000);
    if (process.env.GO_LIVE_BENCH_10K === '1') figures.push(...(await fanOut(10_000)));
    if (process.env.GO_LIVE_BENCH_KILL !== '0')
      figures.push(...(await killAtHalf(process.env.GO_LIVE_BENCH_10K === '1' ? 10_000 : 1000)));
    return figures;
  },
});
