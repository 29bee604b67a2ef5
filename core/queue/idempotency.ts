import type { Store, StoreEntry } from '../storage.js';
import type { JobSpec } from './types.js';

/**
 * How {@link claimIdempotencyKey} decided.
 *
 * @example
 * ```ts
 * if ((await claimIdempotencyKey(store, key, ttl)).kind === 'duplicate') return;
 * ```
 */
export type IdempotencyVerdict =
  | { kind: 'new' }
  | { kind: 'duplicate'; position: number }
  /** Claimed earlier by a writer that never recorded a position (it died in between). */
  | { kind: 'orphan' };

/**
 * Claims an idempotency key before anything is written. The winner writes its entry and
 * then {@link recordIdempotencyKey}. A loser reads where the entry went; when nothing is
 * recorded after `graceMs` the claimer died between the claim and the write, and the key
 * is an orphan: the caller writes the entry itself (so a crash never loses a job).
 *
 * Keys: `idem:<key>` (claim) and `idem-at:<key>` (the position).
 *
 * @example
 * ```ts
 * const verdict = await claimIdempotencyKey(store, 'fanout:41', 7 * 86_400_000);
 * if (verdict.kind !== 'duplicate') await recordIdempotencyKey(store, 'fanout:41', await write(), ttl);
 * ```
 */
export async function claimIdempotencyKey(
  store: Store,
  key: string,
  ttlMs: number,
  graceMs = 2000,
): Promise<IdempotencyVerdict> {
  if (await store.claim(`idem:${key}`, ttlMs)) return { kind: 'new' };
  const deadline = Date.now() + graceMs;
  for (;;) {
    const position = await store.get<number>(`idem-at:${key}`);
    if (position !== undefined) return { kind: 'duplicate', position };
    if (Date.now() >= deadline) return { kind: 'orphan' };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Records where the entry of an idempotency key was written.
 *
 * @example
 * ```ts
 * await recordIdempotencyKey(store, 'fanout:41', 12, 7 * 86_400_000);
 * ```
 */
export async function recordIdempotencyKey(
  store: Store,
  key: string,
  position: number,
  ttlMs: number,
): Promise<void> {
  await store.set(`idem-at:${key}`, position, ttlMs);
}

/**
 * Writes a batch of jobs once per idempotency key: claims the key, reserves a log position,
 * then writes the entry and the key's position together (one `setMany`: a key never points
 * at an entry that was not written). Returns the position, or undefined when the key was
 * seen before (nothing written). An orphaned key (its writer died) is written now.
 *
 * @example
 * ```ts
 * const position = await appendOnce(store, log, 'fanout:41', specs, ttl, (m) => log.warn(m));
 * ```
 */
export async function appendOnce(
  store: Store,
  log: { reserve(): Promise<number>; entry(n: number, jobs: JobSpec[]): StoreEntry },
  key: string,
  jobs: JobSpec[],
  ttlMs: number,
  warn: (message: string) => void,
): Promise<number | undefined> {
  const verdict = await claimIdempotencyKey(store, key, ttlMs);
  if (verdict.kind === 'duplicate') return undefined;
  if (verdict.kind === 'orphan')
    warn(`queue: the enqueue of "${key}" was interrupted before it was written; writing it now`);
  if (jobs.length === 0) {
    await recordIdempotencyKey(store, key, -1, ttlMs);
    return -1;
  }
  const position = await log.reserve();
  await store.setMany([
    log.entry(position, jobs),
    { key: `idem-at:${key}`, value: position, ttlMs },
  ]);
  return position;
}
