import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStorage, type Storage } from '../../../core/storage.js';

/** A fresh SQLite storage in a temp folder (the real backend: durability is the point). */
export async function tempStorage(dir?: string): Promise<{ storage: Storage; dir: string }> {
  const dataDir = dir ?? (await mkdtemp(path.join(tmpdir(), 'streamcogs-queue-')));
  return { storage: await createStorage({ dataDir }), dir: dataDir };
}

/** A promise with its resolve function, to hold a handler open. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Polls until `check` holds (real time), or throws after `ms`. */
export async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
