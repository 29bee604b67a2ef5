import { EventSubError } from './errors.js';
import { HelixCallError } from './helix-subscriptions.js';
import type { ReconcileReport, SubscriptionState } from './reconcile-types.js';
import type { Wanted } from './registry.js';
import { EVENTSUB_TYPES } from './twurple-routes.js';

/**
 * Statuses of a subscription that delivers (or is about to).
 *
 * @example
 * ```ts
 * ACTIVE.has('enabled'); // true
 * ```
 */
export const ACTIVE: ReadonlySet<string> = new Set([
  'enabled',
  'webhook_callback_verification_pending',
]);

/**
 * Revocations we answer by creating the subscription again.
 *
 * @example
 * ```ts
 * RECREATE.has('notification_failures_exceeded'); // true
 * ```
 */
export const RECREATE: ReadonlySet<string> = new Set([
  'notification_failures_exceeded',
  'webhook_callback_verification_failed',
]);

/**
 * What an operator does about a subscription Twitch will not deliver, in one sentence.
 *
 * @example
 * ```ts
 * fixFor('channel.cheer@1?broadcaster_user_id=42', 'authorization_revoked', 'cid');
 * // 'user 42 must authorize Twitch app cid again with scope bits:read (...)'
 * ```
 */
export function fixFor(
  key: string,
  status: string,
  clientId: string | undefined,
  bots: readonly string[] = [],
): string {
  const type = key.split('@')[0] ?? key;
  const scopes = EVENTSUB_TYPES[type]?.scopes ?? [];
  const user =
    /[?&](?:broadcaster_user_id|to_broadcaster_user_id|from_broadcaster_user_id|user_id)=(\d+)/.exec(
      key,
    );
  const who = user?.[1] ?? 'the broadcaster';
  const grant = scopes.length ? ` with scope ${scopes.join(' or ')}` : '';
  if (status === 'version_removed')
    return `Twitch removed this version of ${type}; update streamcogs`;
  if (status === 'moderator_removed')
    return `the moderator in the condition is no longer a moderator of ${who}; make them one again or change the condition`;
  if (status === 'user_removed') return `user ${who} no longer exists; remove them from bots.yaml`;
  const how = bots.length
    ? `npx streamcogs auth ${bots[0]} if that is the account of bot "${bots[0]}", else the broadcaster authorizes the app`
    : 'the broadcaster authorizes the app';
  return `user ${who} must authorize Twitch app ${clientId ?? '(unknown)'} again${grant} (${how}); it is re-created at the next restart or bots.yaml change`;
}

/**
 * One {@link EventSubError} (`EVENTSUB_MAX_COST`) per app whose missing subscriptions would
 * not fit in its `max_total_cost`, assuming each costs 1 (the worst case).
 *
 * @example
 * ```ts
 * for (const err of budgetErrors(missing, budgets)) log.error(err.message);
 * ```
 */
export function budgetErrors(
  missing: readonly Wanted[],
  budgets: ReadonlyMap<string, { totalCost: number; maxTotalCost: number }>,
): EventSubError[] {
  const perApp = new Map<string, number>();
  for (const w of missing) {
    const app = w.apps[0];
    if (app) perApp.set(app, (perApp.get(app) ?? 0) + 1);
  }
  const errors: EventSubError[] = [];
  for (const [clientId, count] of perApp) {
    const budget = budgets.get(clientId);
    if (!budget || budget.totalCost + count <= budget.maxTotalCost) continue;
    errors.push(
      new EventSubError(
        'EVENTSUB_MAX_COST',
        `creating ${count} EventSub subscription(s) for app ${clientId} would exceed max_total_cost (${budget.totalCost} of ${budget.maxTotalCost} used); Twitch refuses the ones over`,
        'subscribe to fewer channels or event types, or have the broadcasters authorize the app (subscriptions to authorized channels cost 0)',
      ),
    );
  }
  return errors;
}

/**
 * How long a subscription whose creation failed waits before the next try.
 *
 * @example
 * ```ts
 * state.retryAt = Date.now() + RETRY_MS;
 * ```
 */
export const RETRY_MS = 60_000;

/**
 * What a failed subscription creation means: 409, it exists (adopted at the next
 * reconciliation); 403, the broadcaster has not authorized the app (blocked, with the fix);
 * anything else (429 over `max_total_cost` included) an error, retried after {@link RETRY_MS}.
 *
 * @example
 * ```ts
 * const { state, blocked, error } = createFailure(key, 'cid', new HelixCallError(403, 'missing authorization'));
 * state.status; // 'authorization_missing'
 * ```
 */
export function createFailure(
  key: string,
  clientId: string,
  err: unknown,
  bots: readonly string[] = [],
): {
  state: SubscriptionState;
  blocked?: ReconcileReport['blocked'][number];
  error?: ReconcileReport['errors'][number];
} {
  const status = err instanceof HelixCallError ? err.status : 0;
  const message = err instanceof Error ? err.message : String(err);
  if (status === 409)
    return { state: { key, status: 'webhook_callback_verification_pending', clientId } };
  if (status === 403) {
    const fix = fixFor(key, 'authorization_missing', clientId, bots);
    const state = { key, status: 'authorization_missing', clientId, error: message, fix };
    return { state, blocked: { key, status: state.status, fix } };
  }
  const code =
    status === 429 && /cost/i.test(message) ? 'EVENTSUB_MAX_COST' : 'EVENTSUB_CREATE_FAILED';
  const state = { key, status: 'failed', clientId, error: message, retryAt: Date.now() + RETRY_MS };
  return { state, error: { key, code, message } };
}
