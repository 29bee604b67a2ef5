import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { followJsonLog, type JsonLogProcess } from '../../../helpers/json-log-process.js';

const INSTANCE = fileURLToPath(new URL('./instance.ts', import.meta.url));

/** An EventSub instance process (helpers/instance.ts) with its JSON lines. */
export interface Instance extends JsonLogProcess {
  /** The instance's base URL. */
  url: string;
  /** Message ids whose handler call began / ended in this process, so far. */
  started(): string[];
  handled(): string[];
}

/** Options of {@link startInstance}. */
export interface InstanceOptions {
  /** The sandbox Helix (`sandbox.api.port`), with the app `app-a` created. */
  twurplePort: number;
  secret: string;
  broadcasterId: string;
  /** `redis://...`; else SQLite in `dataDir`. */
  storageUrl?: string;
  /** Reuse it to restart an instance on the same SQLite file. */
  dataDir?: string;
  /** The handler sleeps this long first (a huge value: it never finishes). */
  delayMs?: number;
  inboxLeaseMs?: number;
}

/**
 * Starts an instance and resolves once it has reconciled and listens.
 *
 * @example
 * ```ts
 * const a = await startInstance({ twurplePort: sandbox.api.port, secret, broadcasterId });
 * await post(`${a.url}/eventsub/event/stream.online.${broadcasterId}`, delivery);
 * a.child.kill('SIGKILL');
 * ```
 */
export async function startInstance(o: InstanceOptions): Promise<Instance> {
  const optional = {
    STORAGE_URL: o.storageUrl,
    DATA_DIR: o.dataDir,
    DELAY_MS: o.delayMs === undefined ? undefined : String(o.delayMs),
    INBOX_LEASE_MS: o.inboxLeaseMs === undefined ? undefined : String(o.inboxLeaseMs),
  };
  const child = spawn(process.execPath, ['--import', 'tsx', INSTANCE], {
    env: {
      PATH: process.env.PATH ?? '',
      TWURPLE_MOCK_API_PORT: String(o.twurplePort),
      EVENTSUB_SECRET: o.secret,
      BROADCASTER_ID: o.broadcasterId,
      CLIENT_ID: 'app-a',
      CLIENT_SECRET: 'app-a-secret',
      ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const p = followJsonLog(child);
  const ids = (field: string) => () =>
    p.lines.flatMap((l) => (typeof l[field] === 'string' ? [l[field]] : []));
  const ready = await p
    .waitForLog((l) => typeof l.ready === 'string', 20_000)
    .catch((err: Error) => {
      child.kill('SIGKILL');
      throw new Error(`instance did not start (${err.message}): ${p.stderr.join('')}`);
    });
  return { ...p, url: ready.ready as string, started: ids('started'), handled: ids('handled') };
}

/**
 * Stops an instance with SIGTERM (SIGKILL after 5 s); nothing when it already exited.
 *
 * @example
 * ```ts
 * await stopInstance(a);
 * ```
 */
export async function stopInstance(i: Instance): Promise<void> {
  if (i.child.exitCode !== null || i.child.signalCode !== null) return;
  i.child.kill('SIGTERM');
  const timer = setTimeout(() => i.child.kill('SIGKILL'), 5000);
  await i.exited;
  clearTimeout(timer);
}
