import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppConfig, BotConfig } from '../../../core/config/types.js';
import { createLogger } from '../../../core/log.js';
import { createStorage } from '../../../core/storage.js';
import { sandboxToken, TOKEN_NAMESPACE } from '../../../src/platform/connections.js';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { parseSecretKey, SecretBox } from '../../../src/twitch/auth/secret-box.js';
import { TwitchTokenStore } from '../../../src/twitch/auth/token-store.js';
import { startNginx, type NginxProcess } from '../../helpers/nginx.js';
import { freePort } from '../../helpers/processes.js';
import { startRedis, type RedisProcess } from '../../helpers/redis.js';
import { startCliApp, stopCliApp, type StartedApp } from './cli-app.js';

/** One bot of a cluster test: its name and bots.yaml block (without `cogs:` indentation rules). */
export interface ClusterBot {
  name: string;
  channels: string[];
  /** Discord guild ids: the sandbox seeds them and the bot gets a `discord:` block. */
  guilds?: string[];
}

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  /** The bots (the sandbox creates their Twitch and Discord accounts). */
  bots: ClusterBot[];
  /** bots.yaml, written once the sandbox has created the accounts (webhooks may depend on it). */
  yaml: (sandbox: Sandbox) => string;
  /** App processes behind nginx; default 2. */
  instances?: number;
  /** Extra environment of every instance. */
  env?: Record<string, string>;
  /** Store each bot's sandbox chat token in the shared storage (as `streamcogs auth` would). */
  authorise?: boolean;
  /** Runs after the sandbox started and before the instances do (streams, users). */
  prepare?: (sandbox: Sandbox) => void | Promise<void>;
}

/** Two or more `streamcogs start` processes sharing one redis-server, behind nginx. */
export interface Cluster {
  redis: RedisProcess;
  sandbox: Sandbox;
  nginx: NginxProcess;
  apps: StartedApp[];
  /** The EventSub secret every instance verifies with. */
  secret: string;
  /** Stops everything (SIGTERM to the instances still running). */
  stop(): Promise<void>;
}

function botConfig(b: ClusterBot): BotConfig {
  return {
    name: b.name,
    envPrefix: b.name.toUpperCase(),
    prefix: '!',
    channels: b.channels,
    scopes: 'all_scopes',
    cogs: [],
    secrets: { clientId: '', clientSecret: '' },
    ...(b.guilds ? { discord: { guilds: b.guilds, application: undefined } } : {}),
  } as BotConfig;
}

/**
 * Starts redis-server, the sandbox (src/sandbox: Twitch chat, Helix, OAuth; Discord REST,
 * gateway, webhooks) in this process, then `instances` app processes in production mode
 * pointed at the sandbox with the bots' credentials (`<BOT>_CLIENT_ID`, ...), all on
 * `STORAGE_URL=redis://...`, and nginx with every instance in its upstream. Twitch is told
 * to call the first instance (`PUBLIC_URL`): the sandbox rewrites `https://localhost` to
 * plain HTTP, which nginx's TLS port would refuse; the tests send their deliveries through
 * nginx themselves.
 *
 * @example
 * ```ts
 * const cluster = await startCluster({ bots: [{ name: 'alice', channels: ['alice'] }], yaml: () => 'alice: ...' });
 * await cluster.stop();
 * ```
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const count = options.instances ?? 2;
  const redis = await startRedis();
  const dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-cluster-'));
  const config: AppConfig = {
    file: path.join(dir, 'bots.yaml'),
    bots: options.bots.map(botConfig),
  };
  const log = createLogger({ level: 'silent', pretty: false });
  let sandbox: Sandbox | undefined;
  const apps: StartedApp[] = [];
  let nginx: NginxProcess | undefined;
  const stop = async (): Promise<void> => {
    await nginx?.stop();
    await Promise.allSettled(apps.map((a) => stopCliApp(a.cli)));
    await sandbox?.close();
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    sandbox = await startSandbox({ config, log });
    sandbox.applyToConfig(config);
    await options.prepare?.(sandbox);
    await writeFile(config.file, options.yaml(sandbox));
    const secretKey = randomBytes(32).toString('base64');
    if (options.authorise) await storeTokens(redis.url, secretKey, sandbox, options.bots);
    const secret = `cluster-secret-${randomBytes(8).toString('hex')}`;
    const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
    const credentials: Record<string, string> = {};
    for (const b of options.bots) {
      const acc = sandbox.accounts.get(b.name)!;
      const p = b.name.toUpperCase();
      credentials[`${p}_CLIENT_ID`] = acc.clientId;
      credentials[`${p}_CLIENT_SECRET`] = acc.clientSecret;
      if (acc.discord) credentials[`${p}_DISCORD_TOKEN`] = acc.discord.token;
    }
    // One at a time: the first reconciles the EventSub subscriptions, the next finds them.
    for (const [i, port] of ports.entries())
      apps.push(
        await startCliApp(dir, {
          ...sandbox.env,
          ...credentials,
          HOST: '127.0.0.1',
          PORT: String(port),
          PUBLIC_URL: `https://localhost:${ports[0]}`,
          STORAGE_URL: redis.url,
          DATA_DIR: path.join(dir, `data-${i}`),
          STREAMCOGS_SECRET_KEY: secretKey,
          EVENTSUB_SECRET: secret,
          WATCH_CONFIG: '0',
          ...options.env,
        }),
      );
    nginx = await startNginx({ upstreams: apps.map((a) => a.hostPort) });
    return { redis, sandbox, nginx, apps, secret, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Stores each bot's sandbox user token in the shared storage, encrypted as the app does. */
async function storeTokens(
  url: string,
  secretKey: string,
  sandbox: Sandbox,
  bots: ClusterBot[],
): Promise<void> {
  const storage = await createStorage({ url });
  try {
    const tokens = new TwitchTokenStore(
      storage.core(TOKEN_NAMESPACE),
      new SecretBox(parseSecretKey(secretKey)),
    );
    for (const b of bots) {
      await tokens.save(b.name, sandboxToken(sandbox.accounts.get(b.name)!));
      await tokens.flushed(b.name);
    }
  } finally {
    await storage.close();
  }
}

/**
 * A counter of an instance's `/metrics` (asked directly, never through nginx), e.g.
 * `streamcogs_eventsub_requests_total{outcome="duplicate"}`; 0 when absent.
 *
 * @example
 * ```ts
 * const dupes = await metric(app, 'streamcogs_eventsub_requests_total{outcome="duplicate"}');
 * ```
 */
export async function metric(app: StartedApp, series: string): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return Number(line?.slice(series.length + 1) ?? 0);
}
