/**
 * The bot of the sub-roles benchmark, in its own process (so its peak RSS is its own).
 * SUBROLES_MODE=seed writes the links, the broadcaster's token (encrypted) and the cog's
 * meta into the data folder, then exits; otherwise it starts streamcogs with the cog (its
 * startup reconciliation is the one measured) and answers `rss` and `stop` on stdin.
 * Env: SUBROLES_DIR, SUBROLES_PLAN, SUBROLES_MODE.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../../core/config/types.js';
import { createStorage } from '../../core/storage.js';
import { LinkStore } from '../../plugins/sub-roles/links.js';
import type { Link } from '../../plugins/sub-roles/model.js';
import type { SandboxBotAccounts } from '../../src/sandbox/index.js';
import { TOKEN_NAMESPACE } from '../../src/platform/connections.js';
import { accountTokenName } from '../../src/twitch/auth/account-tokens.js';
import { loadSecretKey, SecretBox } from '../../src/twitch/auth/secret-box.js';
import { TwitchTokenStore } from '../../src/twitch/auth/token-store.js';
import { BOT, BROADCASTER, startBot } from '../../test/plugins/sub-roles/helpers/bot.js';
import { serveJsonLines } from './json-child.js';
import { discordIdOf, kindOf, loginOf, type BenchPlan } from './sub-roles-plan.js';

interface Seed {
  env: Record<string, string>;
  accounts: [string, SandboxBotAccounts][];
  guildId: string;
  roles: Record<string, string>;
  broadcasterId: string;
  token: { access_token: string; refresh_token?: string; expires_in: number; scope: string[] };
  twitchIds: string[];
}

const dir = process.env.SUBROLES_DIR as string;
const plan = JSON.parse(process.env.SUBROLES_PLAN as string) as BenchPlan;
const seed = JSON.parse(readFileSync(path.join(dir, 'seed.json'), 'utf8')) as Seed;
const dataDir = path.join(dir, 'data');
const accounts = new Map(seed.accounts);
const acc = accounts.get(BOT)!;

async function writeSeed(): Promise<void> {
  const storage = await createStorage({ dataDir });
  const store = storage.forCog(BOT, 'sub-roles');
  const links = new LinkStore(store);
  const tier1 = seed.roles['Tier 1'] as string; // what the 'same' and 'tier' members have now
  const updates = new Map<string, () => Link>();
  for (let i = 0; i < plan.subs + plan.idle; i++) {
    const k = kindOf(plan, i);
    const subscribed = k === 'same' || k === 'tier';
    const discordId = discordIdOf(i);
    updates.set(discordId, () => ({
      discordId,
      twitchId: seed.twitchIds[i] as string,
      login: loginOf(plan, i),
      linkedAt: 1,
      sub: subscribed ? { tier: '1000', gift: false } : null,
      subAt: 1,
      linkTier: subscribed ? '1000' : null,
      roles: subscribed ? [tier1] : [],
      appliedAt: 1,
      version: 1,
    }));
  }
  await links.updateMany(updates);
  const { key } = await loadSecretKey({ env: {}, sandbox: true, dataDir });
  const tokens = new TwitchTokenStore(storage.core(TOKEN_NAMESPACE), new SecretBox(key));
  await tokens.save(accountTokenName(BOT, 'sub-roles', 'broadcaster'), {
    accessToken: seed.token.access_token,
    refreshToken: seed.token.refresh_token ?? '',
    scope: seed.token.scope,
    expiresIn: seed.token.expires_in,
    obtainmentTimestamp: Date.now(),
    userId: seed.broadcasterId,
    login: BROADCASTER,
    clientId: acc.clientId,
  });
  await store.set('meta', { broadcaster: { id: seed.broadcasterId, login: BROADCASTER } });
  await storage.close();
}

if (process.env.SUBROLES_MODE === 'seed') {
  await writeSeed();
  process.exit(0);
}

Object.assign(process.env, seed.env);
const bot = await startBot(
  {
    dir,
    guildId: seed.guildId,
    env: seed.env,
    accounts,
    applyToConfig: (config: AppConfig) => ({
      ...config,
      bots: config.bots.map((b) => ({
        ...b,
        secrets: {
          clientId: acc.clientId,
          clientSecret: acc.clientSecret,
          discordToken: acc.discord?.token,
        },
      })),
    }),
  },
  {
    dataDir,
    logLevel: 'warn',
    settings: { monthly_relink: false, remind_unlinked: false },
  },
);
const readyRss = process.memoryUsage().rss;
let peakHeap = 0;
const series: [number, number, number, number][] = [];
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed);
  if (process.env.SUBROLES_BENCH_DEBUG)
    series.push([
      Date.now(),
      Math.round(m.rss / 1e6),
      Math.round(m.heapUsed / 1e6),
      Math.round(m.external / 1e6),
    ]);
}, 500);
sampler.unref();
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);

serveJsonLines(async (cmd) => {
  if (cmd.cmd === 'rss')
    return {
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      readyRssBytes: readyRss,
      peakHeapBytes: peakHeap,
      afterGc: (() => {
        (globalThis as { gc?: () => void }).gc?.();
        return Math.round(process.memoryUsage().heapUsed / 1e6);
      })(),
      series: series.map(([t, ...rest]) => [t % 100000, ...rest].join(' ')),
      warnings: bot.logs.slice(-5),
    };
  if (cmd.cmd === 'stop') {
    await bot.stop();
    setImmediate(() => process.exit(0));
    return { stopped: true };
  }
  return { error: `unknown command ${String(cmd.cmd)}` };
});
