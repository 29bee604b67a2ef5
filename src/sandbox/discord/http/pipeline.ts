import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BucketRef } from '../limits/rate-limiter.js';
import type { AuthKind, ReceivedRequest } from '../recorder.js';
import type { DiscordSandbox } from '../sandbox.js';
import { readBody } from './body.js';
import { ApiError, Errors } from './errors.js';
import type { Router, RouteMatch } from './router.js';
import type { HttpMethod, RouteContext, RouteLimits, RouteReply } from './types.js';

const API_PREFIX = /^\/api\/v\d+(?=\/|$)/;
const MAX_BODY = 25 * 1024 * 1024;

/**
 * The HTTP side of the simulator: route, authenticate, rate-limit, run the handler,
 * write the reply with rate-limit headers, record the exchange.
 *
 * @example
 * ```ts
 * http.createServer(createRequestHandler(sandbox, new Router(allRoutes)));
 * ```
 */
export function createRequestHandler(
  sb: DiscordSandbox,
  router: Router,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(sb, router, req, res).catch((error: unknown) => {
      console.error('[discord sandbox] unexpected error', error);
      if (!res.headersSent) send(res, 500, { message: '500: Internal Server Error', code: 0 }, {});
    });
  };
}

async function handle(
  sb: DiscordSandbox,
  router: Router,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q + 1);
  const method = (req.method ?? 'GET') as HttpMethod;
  const prefix = API_PREFIX.exec(rawPath);
  let segments: string[] = [];
  let path = rawPath;
  const rest = prefix ? rawPath.slice(prefix[0].length) : rawPath;
  try {
    const encoded = rest.includes('%');
    path = encoded ? decodeURIComponent(rest) : rest;
    segments = prefix ? rest.split('/').filter(Boolean) : [];
    if (encoded) segments = segments.map(decodeURIComponent);
  } catch {
    segments = [];
  }
  const match = prefix ? router.match(method, segments) : null;
  const record: ReceivedRequest = {
    at: sb.now(),
    kind: 'http',
    method,
    path,
    query,
    route: match ? match.template : `${method} (unknown)`,
    bucket: null,
    status: 0,
    auth: 'none',
  };
  const headers: Record<string, string> = {};
  let reply: RouteReply;
  try {
    const parsed = await readBody(req, MAX_BODY);
    record.body = parsed.recorded;
    if (!match) throw Errors.notFound();
    const reason = header(req, 'x-audit-log-reason');
    const ctx: RouteContext = {
      sb,
      method,
      path,
      params: match.params,
      query: new URLSearchParams(query),
      body: parsed.body,
      files: parsed.files,
      bot: null,
      reason: reason === undefined ? null : safeDecode(reason),
      clientAddress: req.socket.remoteAddress ?? 'unknown',
    };
    if (ctx.reason !== null) record.reason = ctx.reason;
    record.auth = authenticate(sb, req, match, ctx);
    if (ctx.bot) record.botUserId = ctx.bot.userId;
    const limits = match.def.limits ? match.def.limits(ctx) : defaultLimits(sb, match, ctx);
    const taken = sb.limiter.take(limits.exemptGlobal ? null : globalRef(sb, ctx), limits.refs);
    Object.assign(headers, taken.headers);
    record.bucket = headers['x-ratelimit-bucket'] ?? null;
    if (!taken.ok) {
      record.scope = taken.scope;
      reply = {
        status: 429,
        body: {
          message: 'You are being rate limited.',
          retry_after: Number((taken.retryAfterMs / 1000).toFixed(3)),
          global: taken.global,
        },
      };
    } else {
      reply = await match.def.handler(ctx);
    }
  } catch (error) {
    if (error instanceof ApiError) {
      reply = { status: error.status, body: error.toJSON() };
    } else {
      console.error('[discord sandbox] handler failed', record.route, error);
      reply = { status: 500, body: { message: '500: Internal Server Error', code: 0 } };
    }
  }
  record.status = reply.status;
  sb.invalid.record(reply.status, record.scope ?? null);
  send(res, reply.status, reply.body, headers);
  sb.recorder.add(record);
}

function authenticate(
  sb: DiscordSandbox,
  req: IncomingMessage,
  match: RouteMatch,
  ctx: RouteContext,
): AuthKind {
  const authorization = header(req, 'authorization');
  if (authorization !== undefined) {
    const token = authorization.startsWith('Bot ') ? authorization.slice(4) : null;
    const bot = token ? sb.store.botsByToken.get(token) : undefined;
    if (!bot) throw Errors.unauthorized();
    ctx.bot = bot;
    return 'bot';
  }
  if (match.def.auth === 'bot') throw Errors.unauthorized();
  return match.def.auth === 'path' ? 'webhook' : 'none';
}

function callerKey(ctx: RouteContext): string {
  return ctx.bot ? `bot:${ctx.bot.userId}` : `ip:${ctx.clientAddress}`;
}

function globalRef(sb: DiscordSandbox, ctx: RouteContext): BucketRef {
  return { name: 'global', key: callerKey(ctx), spec: sb.limits.global, scope: 'global' };
}

/** One bucket per route template, major parameter and caller. */
function defaultLimits(sb: DiscordSandbox, match: RouteMatch, ctx: RouteContext): RouteLimits {
  const p = match.params;
  const major =
    p.channelId ?? p.guildId ?? (p.webhookId ? `${p.webhookId}/${p.token ?? ''}` : 'global');
  return {
    refs: [
      {
        name: match.template,
        key: `${callerKey(ctx)}|${major}`,
        spec: sb.limits.defaultRoute,
        scope: 'user',
      },
    ],
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  if (body === undefined || status === 204) {
    res.writeHead(status === 200 ? 204 : status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(status, headers);
  res.end(text);
}
