/**
 * Freezes plain objects and arrays all the way down (class instances such as Date or
 * URL are left as they are). Returns the same value, typed as read-only.
 *
 * @example
 * ```ts
 * const settings = deepFreeze({ channels: ['alice'] });
 * settings.channels.push('bob'); // TypeError in strict mode
 * ```
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  const prototype = Object.getPrototypeOf(value) as unknown;
  const plain = Array.isArray(value) || prototype === Object.prototype || prototype === null;
  if (!plain) return value;
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) {
    deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}
