import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type * as Jose from 'jose';
import type { Middleware } from 'koa';

/** Who is calling, from an API key or a JWT's claims. */
export interface ApiClientIdentity {
  name: string;
  shard?: number;
  via: 'api_key' | 'jwt' | 'open';
}

/** Options of {@link ApiAuth}: normally read from `API_KEY`, `API_JWT_SECRET`, `API_JWT_TTL`. */
export interface ApiAuthOptions {
  apiKey?: string;
  jwtSecret?: string;
  /** Token lifetime in seconds (default 86,400). */
  jwtTtlSeconds?: number;
}

const ISSUER = 'streamcogs';
const AUDIENCE = 'streamcogs-api';

/** jose (66 modules, ~8 MB of RSS), imported by the first JWT issued or checked. */
function loadJose(): Promise<typeof Jose> {
  return import('jose');
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The `/api` protection: an `API_KEY` bearer token, or per-client JWTs issued by
 * `POST /api/token` (`{ name, shard, secret }` with `secret` = `API_JWT_SECRET`, as the
 * Tatsumaki twitch service issued them; claims `name` and `shard`). With neither set the API
 * is open.
 *
 * @example
 * ```ts
 * const auth = new ApiAuth({ apiKey: env.API_KEY, jwtSecret: env.API_JWT_SECRET });
 * router.use(auth.middleware());
 * const { token } = await auth.issue({ name: 'shard-bot', shard: 3, secret });
 * ```
 */
export class ApiAuth {
  readonly #key: Uint8Array | undefined;
  readonly #ttl: number;

  constructor(private readonly options: ApiAuthOptions) {
    // Sign with a key derived from the shared secret, never with the secret itself.
    this.#key = options.jwtSecret
      ? new Uint8Array(
          createHmac('sha256', options.jwtSecret).update('streamcogs api jwt').digest(),
        )
      : undefined;
    this.#ttl = options.jwtTtlSeconds ?? 86_400;
  }

  /** True when neither `API_KEY` nor `API_JWT_SECRET` is set. */
  get open(): boolean {
    return !this.options.apiKey && !this.#key;
  }

  /** True when `POST /api/token` issues tokens. */
  get issuesTokens(): boolean {
    return this.#key !== undefined;
  }

  /** Issues a JWT for a client; undefined when the secret is wrong or tokens are off. */
  async issue(request: {
    name: string;
    shard: number;
    secret: string;
  }): Promise<{ token: string; expires_at: string } | undefined> {
    const jwtSecret = this.options.jwtSecret;
    if (!this.#key || !jwtSecret || !sameSecret(request.secret, jwtSecret)) return undefined;
    const exp = Math.ceil(Date.now() / 1000) + this.#ttl; // at least ttl seconds
    const { SignJWT } = await loadJose();
    const token = await new SignJWT({ name: request.name, shard: request.shard })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(request.name)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(this.#key);
    return { token, expires_at: new Date(exp * 1000).toISOString() };
  }

  /** Who a bearer token belongs to; undefined when it is not valid. */
  async identify(bearer: string): Promise<ApiClientIdentity | undefined> {
    if (this.options.apiKey && sameSecret(bearer, this.options.apiKey))
      return { name: 'api-key', via: 'api_key' };
    if (!this.#key || bearer.split('.').length !== 3) return undefined;
    const { jwtVerify } = await loadJose();
    try {
      const { payload } = await jwtVerify(bearer, this.#key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      const name = typeof payload.name === 'string' ? payload.name : String(payload.sub ?? '');
      const shard = typeof payload.shard === 'number' ? payload.shard : undefined;
      return { name, shard, via: 'jwt' };
    } catch {
      return undefined;
    }
  }

  /** Koa middleware: 401 without a valid bearer token (unless the API is open). */
  middleware(): Middleware {
    return async (ctx, next) => {
      if (this.open) {
        ctx.state.client = { name: 'anonymous', via: 'open' } satisfies ApiClientIdentity;
        return next();
      }
      const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
      const client = match?.[1] ? await this.identify(match[1]) : undefined;
      if (!client) {
        ctx.set('WWW-Authenticate', 'Bearer realm="streamcogs"');
        ctx.status = 401;
        ctx.body = {
          error: 'unauthorized',
          message: match
            ? 'invalid or expired token'
            : 'send Authorization: Bearer <API_KEY or JWT>',
        };
        return;
      }
      ctx.state.client = client;
      await next();
    };
  }
}
