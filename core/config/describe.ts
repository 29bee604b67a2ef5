import type { NodeInfo } from './issue-sink.js';

const MAX_SHOWN = 40;

/**
 * How a value is shown after "got" in a message. A value that came from `${VAR}` is
 * shown as written in the file, never expanded (it may be a secret).
 *
 * @example
 * ```ts
 * describeValue('alice'); // '"alice"'
 * describeValue(42, { raw: '42' } as NodeInfo); // 'the number 42'
 * describeValue(['a']); // 'a list'
 * ```
 */
export function describeValue(
  value: unknown,
  info?: Pick<NodeInfo, 'raw' | 'interpolated'>,
): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (info?.interpolated) return `${info.raw.trim()} (text from the environment)`;
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return `the number ${info?.raw.trim() || String(value)}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a map';
  return typeof value;
}

/**
 * A string in double quotes, shortened when long, for messages.
 *
 * @example
 * ```ts
 * quote('go-live'); // '"go-live"'
 * ```
 */
export function quote(text: string): string {
  const short = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
  return JSON.stringify(short);
}

/**
 * A short name of a value's kind: `a string`, `a number`, `a list`, `a map`...
 *
 * @example
 * ```ts
 * kindOf([1]); // 'a list'
 * ```
 */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'boolean') return 'true/false';
  return `a ${typeof value}`;
}

/**
 * True for a plain object read from YAML (a map), false for lists, null and scalars.
 *
 * @example
 * ```ts
 * isRecord({ a: 1 }); // true
 * isRecord([1]); // false
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
