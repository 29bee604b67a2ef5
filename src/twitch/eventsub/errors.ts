/** Stable codes of EventSub errors, for users to search and tests to assert. */
export type EventSubErrorCode =
  | 'EVENTSUB_UNKNOWN_TYPE'
  | 'EVENTSUB_BAD_CONDITION'
  | 'EVENTSUB_BAD_SECRET'
  | 'EVENTSUB_BAD_PUBLIC_URL'
  | 'EVENTSUB_NO_APP'
  | 'EVENTSUB_MAX_COST'
  | 'EVENTSUB_CREATE_FAILED'
  | 'EVENTSUB_AUTHORIZATION_REVOKED';

/**
 * An EventSub problem with a stable code and the fix in one sentence.
 *
 * @example
 * ```ts
 * throw new EventSubError('EVENTSUB_BAD_SECRET', 'EVENTSUB_SECRET is 5 characters long',
 *   'use 10 to 100 characters, e.g. `openssl rand -hex 32`');
 * ```
 */
export class EventSubError extends Error {
  constructor(
    readonly code: EventSubErrorCode,
    message: string,
    readonly fix?: string,
  ) {
    super(fix ? `${message} (fix: ${fix})` : message);
    this.name = 'EventSubError';
  }
}
