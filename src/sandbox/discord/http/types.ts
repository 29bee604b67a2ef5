import type { BucketRef } from '../limits/rate-limiter.js';
import type { SandboxBot } from '../state/model.js';
import type { DiscordSandbox } from '../sandbox.js';

/** HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A file part of a multipart body (content is not kept). */
export interface UploadedFile {
  field: string;
  filename: string;
  size: number;
}

/** Everything a route handler gets. */
export interface RouteContext {
  sb: DiscordSandbox;
  method: HttpMethod;
  /** Decoded path after `/api/v10`. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body (or `payload_json` of a multipart body); `{}` when absent. */
  body: Record<string, unknown>;
  files: UploadedFile[];
  /** The authenticated bot, when `Authorization: Bot <token>` was valid. */
  bot: SandboxBot | null;
  /** Decoded `X-Audit-Log-Reason`. */
  reason: string | null;
  clientAddress: string;
}

/** What a handler returns; `body` undefined means 204. */
export interface RouteReply {
  status: number;
  body?: unknown;
}

/** The buckets a request counts against; `exemptGlobal` skips the global limit. */
export interface RouteLimits {
  refs: BucketRef[];
  exemptGlobal?: boolean;
}

/**
 * A route: `auth: 'bot'` needs `Authorization: Bot <token>`; `'path'` carries its
 * credential in the path (webhook or interaction token); `'none'` needs nothing.
 *
 * @example
 * ```ts
 * const route: RouteDef = {
 *   method: 'GET', path: '/users/@me', auth: 'bot',
 *   handler: (ctx) => ({ status: 200, body: { id: ctx.bot!.userId } }),
 * };
 * ```
 */
export interface RouteDef {
  method: HttpMethod;
  path: string;
  auth: 'bot' | 'path' | 'none';
  /** Custom buckets; default: one per route + major parameter + caller. */
  limits?: (ctx: RouteContext) => RouteLimits;
  handler: (ctx: RouteContext) => RouteReply | Promise<RouteReply>;
}

/**
 * A 200 JSON reply.
 *
 * @example
 * ```ts
 * return json({ id: '1' });
 * ```
 */
export function json(body: unknown, status = 200): RouteReply {
  return { status, body };
}

/**
 * A 204 reply.
 *
 * @example
 * ```ts
 * return noContent();
 * ```
 */
export function noContent(): RouteReply {
  return { status: 204 };
}

/**
 * The authenticated bot of a `'bot'` route (the pipeline guarantees it).
 *
 * @example
 * ```ts
 * const bot = requireBot(ctx);
 * ```
 */
export function requireBot(ctx: RouteContext): SandboxBot {
  if (!ctx.bot) throw new Error(`route ${ctx.method} ${ctx.path} used without bot auth`);
  return ctx.bot;
}
