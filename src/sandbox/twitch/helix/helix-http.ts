import { STATUS_CODES } from 'node:http';
import type { Context } from 'koa';

/**
 * Answers with a Helix-style error body: `{ error, status, message }`.
 *
 * @example
 * ```ts
 * helixError(ctx, 401, 'Invalid OAuth token');
 * ```
 */
export function helixError(ctx: Context, status: number, message: string): void {
  ctx.status = status;
  ctx.body = { error: STATUS_CODES[status] ?? 'Error', status, message };
}

/**
 * Answers with an OAuth (id.twitch.tv) error body: `{ status, message }`.
 *
 * @example
 * ```ts
 * oauthError(ctx, 400, 'Invalid refresh token');
 * ```
 */
export function oauthError(ctx: Context, status: number, message: string): void {
  ctx.status = status;
  ctx.body = { status, message };
}

/**
 * All values of a query parameter (Twitch repeats keys: `?id=1&id=2`).
 *
 * @example
 * ```ts
 * queryList(ctx, 'user_id'); // ['1', '2']
 * ```
 */
export function queryList(ctx: Context, key: string): string[] {
  const value = ctx.query[key];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
}

/**
 * The single value of a query parameter (the first when repeated), or undefined.
 *
 * @example
 * ```ts
 * queryOne(ctx, 'broadcaster_id');
 * ```
 */
export function queryOne(ctx: Context, key: string): string | undefined {
  return queryList(ctx, key)[0];
}

/**
 * A parameter from the query string or, for form/JSON bodies, the body (OAuth endpoints accept both).
 *
 * @example
 * ```ts
 * param(ctx, 'client_id');
 * ```
 */
export function param(ctx: Context, key: string): string | undefined {
  const fromQuery = queryOne(ctx, key);
  if (fromQuery !== undefined) return fromQuery;
  const body = ctx.request.body;
  if (body && typeof body === 'object' && key in body) {
    const value = (body as Record<string, unknown>)[key];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

/**
 * Twitch's timestamp format for Helix (`2021-03-10T15:04:21Z`, no fraction).
 *
 * @example
 * ```ts
 * helixTime(0); // '1970-01-01T00:00:00Z'
 * ```
 */
export function helixTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
