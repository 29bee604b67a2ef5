/** A Twitch EventSub condition: field name -> value (all strings, as Twitch sends them). */
export type Condition = Readonly<Record<string, string>>;

/** What one Twitch subscription is about: type, version and condition. */
export interface SubscriptionSpec {
  type: string;
  version: string;
  condition: Condition;
}

/**
 * The canonical identity of a subscription: `type@version?k=v&k=v` with the condition
 * fields sorted and empty ones dropped. Two requests with the same key share one Twitch
 * subscription.
 *
 * @example
 * ```ts
 * subscriptionKey({ type: 'stream.online', version: '1', condition: { broadcaster_user_id: '42' } });
 * // 'stream.online@1?broadcaster_user_id=42'
 * ```
 */
export function subscriptionKey(spec: SubscriptionSpec): string {
  const fields = Object.entries(spec.condition)
    .filter(([, v]) => v !== '' && v !== undefined && v !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  // join, not a template literal: one flat string instead of a chain of concatenations (the
  // key is kept for as long as its subscription is, tens of thousands of them).
  return [spec.type, '@', spec.version, '?', fields.join('&')].join('');
}

/**
 * Keeps only the string fields of a condition Twitch returned (it may contain empty
 * strings for fields that do not apply, e.g. `reward_id: ''`).
 *
 * @example
 * ```ts
 * normalizeCondition({ broadcaster_user_id: '42', reward_id: '' }); // { broadcaster_user_id: '42' }
 * ```
 */
export function normalizeCondition(condition: Readonly<Record<string, unknown>>): Condition {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(condition)) {
    if (typeof v === 'string' && v !== '') out[k] = v;
    else if (typeof v === 'number') out[k] = String(v);
  }
  return out;
}
