import { pino, stdSerializers, type Logger as PinoLogger, type DestinationStream } from 'pino';
import { createRequire } from 'node:module';
import type { PrettyOptions, PrettyStream } from 'pino-pretty';

/**
 * The logger every part of streamcogs uses: pino, bound to bot and cog where relevant.
 *
 * @example
 * ```ts
 * ctx.log.warn({ target: 'discord' }, 'webhook deleted, target disabled'); // with bot and cog
 * ```
 */
export type Logger = PinoLogger;

/** Field names whose values are never written to a log. */
const REDACTED_KEYS = [
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'secret',
  'password',
  'authorization',
  'Authorization',
  'apiKey',
  'webhookToken',
];

const REDACT_PATHS = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]).concat([
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
]);

/** Values that look like credentials wherever they appear in a message. */
const SECRET_PATTERNS: RegExp[] = [
  /oauth:[a-z0-9]{10,}/gi,
  /\b((?:Bearer|Bot|OAuth)\s+)[A-Za-z0-9._~+/-]{16,}=*/g,
  /(discord(?:app)?\.com\/api\/(?:v\d+\/)?webhooks\/\d+\/)[A-Za-z0-9_-]+/g,
  /(\/webhooks\/\d+\/)[A-Za-z0-9_-]{30,}/g,
];

/**
 * Options of {@link createLogger}.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * createLogger({ level: 'debug', pretty: false, destination: { write: (l) => lines.push(l) } });
 * ```
 */
export interface LoggerOptions {
  /** pino level; defaults to `LOG_LEVEL` or `info`. */
  level?: string;
  /** Human-readable output; defaults to true on a terminal outside production. */
  pretty?: boolean;
  /** Known secret values (from the environment) to scrub from every message. */
  secrets?: Iterable<string>;
  /** Where to write; defaults to stdout. */
  destination?: DestinationStream;
}

/**
 * Replaces known secret values and credential-shaped strings with `[REDACTED]`.
 *
 * @example
 * ```ts
 * scrubSecrets('PASS oauth:abcdefghijkl', []); // 'PASS [REDACTED]'
 * ```
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 6) out = out.split(s).join('[REDACTED]');
  for (const re of SECRET_PATTERNS) {
    out = out.replace(re, (match, keep: unknown) =>
      typeof keep === 'string' && match.startsWith(keep) ? `${keep}[REDACTED]` : '[REDACTED]',
    );
  }
  return out;
}

function scrubObject(
  obj: Record<string, unknown>,
  secrets: readonly string[],
  depth: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string') out[k] = scrubSecrets(v, secrets);
    // An Error's message and stack are not own enumerable fields: serialize it first, or
    // it would be logged as {} (and its text never scrubbed).
    else if (v instanceof Error)
      out[k] = scrubObject(
        stdSerializers.err(v) as unknown as Record<string, unknown>,
        secrets,
        depth + 1,
      );
    else if (v && typeof v === 'object' && !Array.isArray(v) && depth < 2)
      out[k] = scrubObject(v as Record<string, unknown>, secrets, depth + 1);
    else out[k] = v;
  }
  return out;
}

/**
 * Collects the values of secret-looking environment variables (`*_SECRET`, `*_TOKEN`, `*_KEY`, ...).
 *
 * @example
 * ```ts
 * secretValuesFromEnv({ ALICE_CLIENT_SECRET: 's3cr3t-value', PORT: '8000' }); // ['s3cr3t-value']
 * ```
 */
export function secretValuesFromEnv(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([k, v]) => v && /(SECRET|TOKEN|PASSWORD|_KEY|API_KEY|STORAGE_URL)$/i.test(k))
    .map(([, v]) => v as string);
}

/**
 * pino-pretty, loaded only when a terminal wants it: a production process (JSON logs) never
 * pays for it (~3 MB of RSS with its dependencies). `createLogger` is synchronous, and
 * pino-pretty is CommonJS, so it is required rather than imported.
 */
function prettyStream(options: PrettyOptions): PrettyStream {
  const load = createRequire(import.meta.url)('pino-pretty') as {
    default: (o: PrettyOptions) => PrettyStream;
  };
  return load.default(options);
}

/**
 * Creates the root logger: JSON in production, readable on a terminal, secrets redacted.
 *
 * @example
 * ```ts
 * const log = createLogger({ secrets: secretValuesFromEnv(process.env) });
 * log.child({ bot: 'alice', cog: 'go-live' }).info('posted');
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = [...(options.secrets ?? [])];
  const usePretty =
    options.pretty ?? (process.stdout.isTTY === true && process.env.NODE_ENV !== 'production');
  const destination =
    options.destination ??
    (usePretty ? prettyStream({ colorize: true, translateTime: 'SYS:HH:MM:ss.l' }) : undefined);
  const opts = {
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    hooks: {
      logMethod(this: PinoLogger, args: unknown[], method: (...a: unknown[]) => void) {
        const [first, ...rest] = args;
        // log.error(err) takes its message from err.message: scrub that too.
        const withError =
          first instanceof Error
            ? [{ err: first }, ...(rest.length ? rest : [first.message])]
            : args;
        method.apply(
          this,
          withError.map((a) => (typeof a === 'string' ? scrubSecrets(a, secrets) : a)),
        );
      },
    },
    // formatters.log below has serialized (and scrubbed) Errors already; keep its result.
    serializers: { err: (e: unknown) => (e instanceof Error ? stdSerializers.err(e) : e) },
    formatters: {
      log: (obj: Record<string, unknown>) => scrubObject(obj, secrets, 0),
    },
  };
  return destination ? pino(opts, destination) : pino(opts);
}
