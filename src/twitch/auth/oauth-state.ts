import { randomBytes } from 'node:crypto';
import type { Store } from '../../../core/index.js';
import { AuthError, authCommand } from './errors.js';
import type { SecretBox } from './secret-box.js';

/**
 * How long an authorize link stays valid.
 *
 * @example
 * ```ts
 * createState(box, 'alice', Date.now() - STATE_TTL_MS); // already expired
 * ```
 */
export const STATE_TTL_MS = 15 * 60_000;

interface StatePayload {
  /** Bot name. */
  b: string;
  /** Nonce, claimed once. */
  n: string;
  /** Expiry, ms since epoch. */
  e: number;
}

/**
 * Makes the `state` of an authorize link: the bot name, a nonce and an expiry, signed
 * with the server's key, so a callback can only complete a flow this server started.
 *
 * @example
 * ```ts
 * const state = createState(box, 'alice');
 * ```
 */
export function createState(box: SecretBox, bot: string, now = Date.now()): string {
  const payload: StatePayload = {
    b: bot,
    n: randomBytes(16).toString('base64url'),
    e: now + STATE_TTL_MS,
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${box.sign(body)}`;
}

/**
 * Checks a callback's `state` (signature and expiry) and claims its nonce, so each link
 * completes at most once. Returns the bot it was made for.
 *
 * @example
 * ```ts
 * const bot = await consumeState(box, store, ctx.query.state);
 * ```
 */
export async function consumeState(
  box: SecretBox,
  store: Store,
  state: string,
  now = Date.now(),
): Promise<string> {
  const [body = '', signature = ''] = state.split('.');
  if (!body || !box.verify(body, signature))
    throw new AuthError(
      'SC_AUTH_STATE',
      'this authorisation link was not made by this server (bad state)',
      {
        fix: 'start again with npx streamcogs auth <bot>, with the same STREAMCOGS_SECRET_KEY as the server',
      },
    );
  let payload: StatePayload;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as StatePayload;
  } catch {
    throw new AuthError('SC_AUTH_STATE', 'the state of this authorisation link is unreadable');
  }
  if (payload.e <= now)
    throw new AuthError('SC_AUTH_STATE', 'this authorisation link has expired', {
      fix: `start again: ${authCommand(payload.b)}`,
    });
  if (!(await store.claim(`oauth-state:${payload.n}`, STATE_TTL_MS)))
    throw new AuthError('SC_AUTH_STATE', 'this authorisation link was already used', {
      fix: `start again: ${authCommand(payload.b)}`,
    });
  return payload.b;
}
