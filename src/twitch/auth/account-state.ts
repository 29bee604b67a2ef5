import { randomBytes } from 'node:crypto';
import type { Store } from '../../../core/index.js';
import { AuthError } from './errors.js';
import type { SecretBox } from './secret-box.js';

/**
 * Default life of an account authorize link.
 *
 * @example
 * ```ts
 * createAccountState(box, { bot, cog, data, ttlMs: ACCOUNT_STATE_TTL_MS });
 * ```
 */
export const ACCOUNT_STATE_TTL_MS = 10 * 60_000;

/**
 * Signed with this prefix, so a bot-authorisation callback never accepts an account
 * state (and the other way round): the two flows share `/oauth/twitch/callback`.
 */
const DOMAIN = 'streamcogs:account-state:';

/**
 * What an account state carries.
 *
 * @example
 * ```ts
 * const { b: bot, c: cog, d: data } = await consumeAccountState(box, store, state);
 * ```
 */
export interface AccountStatePayload {
  /** Bot name. */
  b: string;
  /** The cog that made the link and handles its return. */
  c: string;
  /** The cog's data (who asked, for what). */
  d: Record<string, string>;
  /** Nonce, claimed once. */
  n: string;
  /** Expiry, ms since epoch. */
  e: number;
}

function decode(body: string): AccountStatePayload | undefined {
  try {
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as AccountStatePayload;
    return typeof p.b === 'string' && typeof p.c === 'string' && typeof p.e === 'number'
      ? p
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes the `state` of an account authorize link: bot, cog, the cog's data, a nonce and an
 * expiry, signed with the server's key.
 *
 * @example
 * ```ts
 * const state = createAccountState(box, { bot: 'alice', cog: 'sub-roles', data: { user: '42' } });
 * ```
 */
export function createAccountState(
  box: SecretBox,
  input: { bot: string; cog: string; data: Readonly<Record<string, string>>; ttlMs?: number },
  now = Date.now(),
): string {
  const payload: AccountStatePayload = {
    b: input.bot,
    c: input.cog,
    d: { ...input.data },
    n: randomBytes(16).toString('base64url'),
    e: now + (input.ttlMs ?? ACCOUNT_STATE_TTL_MS),
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${box.sign(DOMAIN + body)}`;
}

/**
 * Whether a callback's `state` claims to be an account state (unverified): such a state is
 * answered by the account flow, valid or not, and never reaches the bot flow.
 *
 * @example
 * ```ts
 * if (looksLikeAccountState(String(ctx.query.state ?? ''))) return accounts.handle(ctx);
 * ```
 */
export function looksLikeAccountState(state: string): boolean {
  const body = state.split('.')[0] ?? '';
  return body !== '' && decode(body) !== undefined;
}

/**
 * Checks an account state (signature, expiry) and claims its nonce so the link completes
 * at most once. Nothing is written unless the signature and expiry hold.
 *
 * @example
 * ```ts
 * const { b: bot, c: cog, d: data } = await consumeAccountState(box, store, state);
 * ```
 */
export async function consumeAccountState(
  box: SecretBox,
  store: Store,
  state: string,
  now = Date.now(),
): Promise<AccountStatePayload> {
  const [body = '', signature = ''] = state.split('.');
  const payload = decode(body);
  if (!payload || !box.verify(DOMAIN + body, signature))
    throw new AuthError('SC_AUTH_STATE', 'this link was not made by this server (bad state)', {
      fix: 'ask the bot for a new link',
    });
  if (payload.e <= now)
    throw new AuthError('SC_AUTH_STATE', 'this link has expired', {
      fix: 'ask the bot for a new link and use it within a few minutes',
    });
  if (!(await store.claim(`account-state:${payload.n}`, Math.max(1000, payload.e - now))))
    throw new AuthError('SC_AUTH_STATE', 'this link was already used', {
      fix: 'ask the bot for a new link',
    });
  return payload;
}
