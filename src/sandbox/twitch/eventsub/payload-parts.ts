/** Types and field helpers shared by the EventSub payload builders. */

/** The parts of a user an EventSub payload mentions. */
export interface UserRef {
  id: string;
  login: string;
  displayName: string;
}

/**
 * A domain event the world raised, ready to be delivered to matching EventSub subscriptions.
 *
 * @example
 * ```ts
 * world.on('notification', (n: WorldNotification) => console.log(n.type, n.event));
 * ```
 */
export interface WorldNotification {
  type: string;
  version: string;
  /** Values matched against a subscription's condition (keys absent here are not filters). */
  match: Record<string, string>;
  event: Record<string, unknown>;
}

/** A channel points reward as it appears in redemption events. */
export interface RewardRef {
  id: string;
  title: string;
  cost: number;
  prompt: string;
}

/**
 * `{prefix}_id`, `{prefix}_login`, `{prefix}_name` fields of a user.
 *
 * @example
 * ```ts
 * broadcaster(user); // { broadcaster_user_id, broadcaster_user_login, broadcaster_user_name }
 * ```
 */
export function broadcaster(user: UserRef, prefix = 'broadcaster_user'): Record<string, string> {
  return {
    [`${prefix}_id`]: user.id,
    [`${prefix}_login`]: user.login,
    [`${prefix}_name`]: user.displayName,
  };
}

/**
 * `user_id`, `user_login`, `user_name` (all null for anonymous).
 *
 * @example
 * ```ts
 * viewer(null); // { user_id: null, user_login: null, user_name: null }
 * ```
 */
export function viewer(user: UserRef | null): Record<string, string | null> {
  return {
    user_id: user?.id ?? null,
    user_login: user?.login ?? null,
    user_name: user?.displayName ?? null,
  };
}

/**
 * Bundles a notification.
 *
 * @example
 * ```ts
 * note('stream.offline', '1', { broadcaster_user_id: '1' }, {});
 * ```
 */
export function note(
  type: string,
  version: string,
  match: Record<string, string>,
  event: Record<string, unknown>,
): WorldNotification {
  return { type, version, match, event };
}
