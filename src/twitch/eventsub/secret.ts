import { randomBytes } from 'node:crypto';
import type { Logger, Store } from '../../../core/index.js';
import { EventSubError } from './errors.js';

/** Where the EventSub secret came from. */
export type SecretSource = 'env' | 'storage' | 'generated';

/**
 * The EventSub webhook secret: `EVENTSUB_SECRET` when set (10-100 characters), else the one
 * kept in storage, else a new random one saved there. Every instance sharing the storage ends
 * up with the same secret (the first to start writes it; the others wait for it).
 *
 * @example
 * ```ts
 * const { secret, source } = await resolveEventSubSecret(process.env, runtime.storage.core('eventsub'), log);
 * ```
 */
export async function resolveEventSubSecret(
  env: Record<string, string | undefined>,
  store: Store,
  log: Logger,
): Promise<{ secret: string; source: SecretSource }> {
  const fromEnv = env.EVENTSUB_SECRET;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.length < 10 || fromEnv.length > 100)
      throw new EventSubError(
        'EVENTSUB_BAD_SECRET',
        `EVENTSUB_SECRET is ${fromEnv.length} characters long; Twitch accepts 10 to 100`,
        'generate one with `openssl rand -hex 32`',
      );
    return { secret: fromEnv, source: 'env' };
  }
  const stored = await store.get<string>('secret');
  if (stored) return { secret: stored, source: 'storage' };
  if (await store.claim('secret.writer', 60_000)) {
    const secret = randomBytes(32).toString('hex');
    await store.set('secret', secret);
    log.info(
      'eventsub: generated a webhook secret and kept it in storage (set EVENTSUB_SECRET to choose one)',
    );
    return { secret, source: 'generated' };
  }
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const written = await store.get<string>('secret');
    if (written) return { secret: written, source: 'storage' };
  }
  throw new EventSubError(
    'EVENTSUB_BAD_SECRET',
    'another instance is writing the EventSub secret and did not finish within 5 s',
    'set EVENTSUB_SECRET in the environment of every instance',
  );
}
