import type { Context } from 'koa';
import { helixError, queryOne } from './helix-http.js';

/**
 * Encodes an offset as an opaque Twitch-like cursor (base64 of `{"b":null,"a":{"Offset":n}}`).
 *
 * @example
 * ```ts
 * decodeCursor(encodeCursor(20)); // 20
 * ```
 */
export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ b: null, a: { Offset: offset } })).toString('base64url');
}

/** The offset in a cursor, or null when malformed. @example `decodeCursor('bad')` */
export function decodeCursor(cursor: string): number | null {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      a?: { Offset?: unknown };
    };
    const offset = parsed.a?.Offset;
    return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? offset : null;
  } catch {
    return null;
  }
}

/** A page of items plus the Helix `pagination` object. */
export interface Page<T> {
  data: T[];
  pagination: { cursor?: string };
}

/**
 * Slices `items` by the request's `first` (1..max, default `defaultFirst`) and `after` cursor;
 * answers 400 and returns null on bad parameters.
 *
 * @example
 * ```ts
 * const page = paginate(ctx, subs, 20, 100);
 * if (!page) return;
 * ctx.body = { ...page, total: subs.length };
 * ```
 */
export function paginate<T>(
  ctx: Context,
  items: T[],
  defaultFirst = 20,
  max = 100,
): Page<T> | null {
  const firstRaw = queryOne(ctx, 'first');
  const first = firstRaw === undefined ? defaultFirst : Number(firstRaw);
  if (!Number.isInteger(first) || first < 1 || first > max) {
    helixError(
      ctx,
      400,
      `The parameter "first" was malformed: the value must be between 1 and ${max}`,
    );
    return null;
  }
  const after = queryOne(ctx, 'after');
  const offset = after === undefined ? 0 : decodeCursor(after);
  if (offset === null) {
    helixError(ctx, 400, 'The parameter "after" was malformed');
    return null;
  }
  const data = items.slice(offset, offset + first);
  const next = offset + data.length;
  return { data, pagination: next < items.length ? { cursor: encodeCursor(next) } : {} };
}
