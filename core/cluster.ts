import type { Storage } from './storage.js';

/**
 * Says whether this process is the first of the cluster to take `key` (for `ttlMs`).
 *
 * @example
 * ```ts
 * if (await claim(`chat:${message.id}`, 600_000)) dispatch(message);
 * ```
 */
export type ClusterClaim = (key: string, ttlMs: number) => Promise<boolean>;

/**
 * Claims shared by every process on the same storage, for work each of them sees but only
 * one may do: a chat line every instance receives, a timer every instance runs, a Discord
 * interaction every gateway session gets. Undefined on SQLite: one process owns the file,
 * so there is nothing to share and no write is spent.
 *
 * @example
 * ```ts
 * const claim = clusterClaim(runtime.storage);
 * if (!claim || (await claim(`interaction:${id}`, 900_000))) await answer();
 * ```
 */
export function clusterClaim(storage: Storage): ClusterClaim | undefined {
  if (storage.kind !== 'redis') return undefined;
  const store = storage.core('cluster');
  return (key, ttlMs) => store.claim(key, ttlMs);
}
