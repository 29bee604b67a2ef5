/** The channels a registration answers in; undefined means every channel of the bot. */
export type Scope = ReadonlySet<string> | undefined;

/**
 * Normalises a channel list (`#Alice` -> `alice`); undefined or empty means every channel.
 *
 * @example
 * ```ts
 * toScope(['#Alice']); // Set { 'alice' }
 * toScope(undefined); // undefined
 * ```
 */
export function toScope(channels: readonly string[] | undefined): Scope {
  if (!channels || channels.length === 0) return undefined;
  return new Set(channels.map((c) => c.replace(/^#/, '').toLowerCase()));
}

/**
 * Whether a registration with `scope` answers in `channel` (any channel when undefined).
 *
 * @example
 * ```ts
 * covers(new Set(['alice']), 'bob'); // false
 * ```
 */
export function covers(scope: Scope, channel: string | undefined): boolean {
  return !scope || channel === undefined || scope.has(channel);
}

/**
 * Whether two registrations would answer in a common channel.
 *
 * @example
 * ```ts
 * overlaps(undefined, new Set(['alice'])); // true
 * ```
 */
export function overlaps(a: Scope, b: Scope): boolean {
  if (!a || !b) return true;
  for (const c of a) if (b.has(c)) return true;
  return false;
}

/**
 * ` in #alice, #bob` for error messages; empty for every channel.
 *
 * @example
 * ```ts
 * describeScope(new Set(['alice'])); // ' in #alice'
 * ```
 */
export function describeScope(scope: Scope): string {
  return scope ? ` in ${[...scope].map((c) => `#${c}`).join(', ')}` : '';
}
