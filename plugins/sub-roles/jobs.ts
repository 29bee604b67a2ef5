import { DurableQueue, RetryJobLater, isFinal, type Job } from '../../core/queue/index.js';
import type { DmPayload, Queues, SubRolesCog, SyncPayload } from './cog.js';
import { RoleFault } from './discord-roles.js';
import { sendDm } from './dm.js';
import { desiredRoles, managedRoles, syncKey } from './model.js';
import { keyedSerial } from './serial.js';

/** Role jobs run at once (Discord.js still sends one request per rate-limit bucket at a time). */
const SYNC_CONCURRENCY = 4;
/** How long a job waits while a role cannot be assigned (an admin must fix it). */
const FAULT_RETRY_MS = 60_000;

/** How long the marker of a started role job is kept (the queue's idempotency window). */
const STARTED_TTL_MS = 7 * 86_400_000;

async function runSync(cog: SubRolesCog, job: Job<SyncPayload>): Promise<unknown> {
  const { discordId, reason, clear = [] } = job.payload;
  const ids = cog.roleIds();
  if (!ids) throw new RetryJobLater(2000, 'the Discord guild is not available yet');
  const wait = cog.roles.waitMs();
  if (wait > 0) throw new RetryJobLater(wait, 'Discord asked to wait (rate limit)');
  const link = await cog.links.get(discordId);
  if (link?.left) return { outcome: 'left' };
  const now = Date.now();
  const desired = link ? desiredRoles(link, ids, now) : [];
  const managed = [...new Set([...managedRoles(ids), ...(link?.roles ?? []), ...clear])];
  // The applied roles are trusted (events keep them true) unless this job ran before (it
  // may have been cut off after a call), or the link was never applied: then read Discord.
  const firstRun = await cog.ctx.storage.claim(`started:${job.key}`, STARTED_TTL_MS);
  const have = firstRun && link?.appliedAt !== undefined ? link.roles : undefined;
  cog.noteApplied(discordId, desired); // so the gateway's echo of these calls costs no read
  let result;
  try {
    result = await cog.roles.apply(discordId, desired, managed, {
      reason: `sub-roles: ${reason}`,
      signal: job.signal,
      have,
    });
  } catch (err) {
    if (!(err instanceof RoleFault)) throw err;
    cog.report(err.message); // /status shows the guild's role problems as they are now
    throw new RetryJobLater(FAULT_RETRY_MS, err.message);
  }
  if (result.outcome === 'left') {
    await cog.links.update(discordId, (l) => l && { ...l, left: true, roles: [] });
    return { outcome: 'left' };
  }
  cog.noteApplied(discordId, desired);
  if (link)
    await cog.links.update(discordId, (l) =>
      l?.twitchId === link.twitchId ? { ...l, roles: desired, appliedAt: now } : undefined,
    );
  return { outcome: 'done', added: result.added.length, removed: result.removed.length };
}

/**
 * The cog's two durable queues, in its storage: role changes (`q-sync`, keyed by link
 * version and target roles, so events, reconciliations and restarts asking for the same
 * change run it once) and DMs (`q-dm`, slower, never in the way of roles).
 *
 * @example
 * ```ts
 * cog.queues = await startQueues(cog);
 * await cog.queues.sync(link, { discordId: link.discordId, reason: 'subscribed' });
 * ```
 */
export async function startQueues(cog: SubRolesCog): Promise<Queues> {
  const { ctx } = cog;
  const lock = keyedSerial();
  const syncQueue = new DurableQueue<{ sync: SyncPayload }>({
    store: ctx.storage.namespace('q-sync'),
    name: `${ctx.bot.name}:sub-roles:roles`,
    log: ctx.log,
    concurrency: SYNC_CONCURRENCY,
    handlers: { sync: (job) => lock(job.payload.discordId, () => runSync(cog, job)) },
  });
  const dmQueue = new DurableQueue<{ dm: DmPayload }>({
    store: ctx.storage.namespace('q-dm'),
    name: `${ctx.bot.name}:sub-roles:dm`,
    log: ctx.log,
    concurrency: 2,
    handlers: { dm: (job) => sendDm(cog, job.payload) },
  });
  await Promise.all([syncQueue.start(), dmQueue.start()]);
  ctx.onDispose(async () => {
    await Promise.all([syncQueue.stop(5000), dmQueue.stop(5000)]);
  });

  const keyOf = (link: Parameters<Queues['sync']>[0]): string => {
    const ids = cog.roleIds();
    const full = 'roles' in link;
    return syncKey(link, ids && full ? desiredRoles(link, ids, Date.now()) : ['?']);
  };
  /** A key whose job failed for good gets a fresh one (the next reconciliation retries it). */
  const freshKey = async (key: string): Promise<string> => {
    const state = await syncQueue.state(key);
    return state?.status === 'failed' ? `${key}:retry-${Date.now()}` : key;
  };

  return {
    async sync(link, payload) {
      const key = await freshKey(keyOf(link));
      await syncQueue.enqueue({ key, type: 'sync', payload });
      return key;
    },
    async syncMany(items, batchKey) {
      let created = 0;
      for (let i = 0; i < items.length; i += 500) {
        const specs = await Promise.all(
          items.slice(i, i + 500).map(async ({ link, payload }) => ({
            key: await freshKey(keyOf(link)),
            type: 'sync' as const,
            payload,
          })),
        );
        const done = await syncQueue.enqueueMany(specs, { key: `${batchKey}:${i}` });
        if (done.created) created += specs.length;
      }
      return created;
    },
    async dm(payload, key) {
      await dmQueue.enqueue({ key, type: 'dm', payload });
    },
    async settled(key, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (isFinal(await syncQueue.state(key))) return true;
        await new Promise((r) => setTimeout(r, 25));
      }
      return false;
    },
  };
}
