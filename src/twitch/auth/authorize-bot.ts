import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createStorage } from '../../../core/storage.js';
import { createLogger } from '../../../core/log.js';
import { readEndpoints } from '../../endpoints.js';
import { loadEverything, renderIssues } from '../../load.js';
import { resolveNeeds } from '../../platform/needs.js';
import { TOKEN_NAMESPACE } from '../../platform/connections.js';
import { TwitchAuthorizer, twitchRedirectUri } from './authorizer.js';
import { twitchCallbackRouter } from './callback-route.js';
import { AuthError } from './errors.js';
import { TwitchOAuthApi } from './oauth-api.js';
import { planScopes } from './scopes.js';
import { loadSecretKey, SecretBox } from './secret-box.js';
import { TwitchTokenStore, type StoredTwitchToken } from './token-store.js';

/** Options of {@link authorizeBot}. */
export interface AuthorizeBotOptions {
  bot: string;
  /** Device-code flow instead of the browser redirect. */
  device?: boolean;
  cwd?: string;
  file?: string;
  env?: Record<string, string | undefined>;
  /** Where the instructions go, one line per call. */
  out(line: string): void;
  /** Give up after this long; default 10 minutes. */
  timeoutMs?: number;
  /** Device flow: poll this often instead of Twitch's interval (tests). */
  pollIntervalMs?: number;
}

function listen(server: http.Server, host: string, port: number): Promise<AddressInfo | 'in-use'> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EADDRINUSE' ? resolve('in-use') : reject(err),
    );
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}

/**
 * `streamcogs auth <bot>`: authorises the bot's Twitch account for the scopes its cogs
 * need and stores the token encrypted, where the server finds it (same storage, same
 * `STREAMCOGS_SECRET_KEY`). The browser flow redirects to `/oauth/twitch/callback` on
 * the shared server: the running server handles it, or this command listens on
 * `HOST:PORT` itself while waiting. The device flow prints a code and a URL and polls.
 *
 * @example
 * ```ts
 * const token = await authorizeBot({ bot: 'alice', out: (l) => console.log(l) });
 * token.login; // the authorised account
 * ```
 */
export async function authorizeBot(options: AuthorizeBotOptions): Promise<StoredTwitchToken> {
  const cwd = options.cwd ?? process.cwd();
  const loaded = await loadEverything({ cwd, file: options.file, env: options.env });
  if (!loaded.config)
    throw new AuthError('SC_AUTH_NO_APP', `bots.yaml has errors:\n${renderIssues(loaded.errors)}`);
  const env = loaded.env;
  const bot = loaded.config.bots.find((b) => b.name === options.bot);
  if (!bot)
    throw new AuthError('SC_AUTH_NO_APP', `there is no bot "${options.bot}" in ${loaded.file}`, {
      fix: `use one of: ${loaded.config.bots.map((b) => b.name).join(', ')}`,
    });
  if (!bot.secrets.clientId || !bot.secrets.clientSecret)
    throw new AuthError('SC_AUTH_NO_APP', `bot "${bot.name}" has no Twitch app credentials`, {
      fix: `set ${bot.envPrefix}_CLIENT_ID and ${bot.envPrefix}_CLIENT_SECRET from dev.twitch.tv/console (in sandbox mode, without credentials, bots are authorised automatically)`,
    });
  const dataDir = env.DATA_DIR ?? `${cwd}/data`;
  const { key } = await loadSecretKey({ env, sandbox: false, dataDir });
  const box = new SecretBox(key);
  const needs = await resolveNeeds(bot, (n) => loaded.catalog.load(n));
  const plan = planScopes(bot, needs.cogs);
  for (const w of plan.warnings) options.out(`warning: ${w}`);
  const storage = await createStorage({ url: env.STORAGE_URL, dataDir });
  const tokens = new TwitchTokenStore(storage.core(TOKEN_NAMESPACE), box);
  const oauth = new TwitchOAuthApi(readEndpoints(env));
  let redirectUri = twitchRedirectUri(env.PUBLIC_URL, env.PORT ?? 8000);
  const authorizer = new TwitchAuthorizer({
    tokens,
    oauth,
    appOf: (name) => (name === bot.name ? { ...bot.secrets, envPrefix: bot.envPrefix } : undefined),
    redirectUri: () => redirectUri,
  });
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 600_000);
  const finished = new AbortController();
  const started = Date.now();
  const server = http.createServer();
  try {
    options.out(`Scopes for "${bot.name}": ${plan.request.join(' ') || '(none)'}`);
    if (options.device) {
      const token = await authorizer.authorizeWithDevice(
        bot.name,
        plan.request,
        (p) => {
          options.out(`Open ${p.verificationUri} and enter the code: ${p.userCode}`);
          options.out(
            `Waiting for the Twitch account to approve (the code expires in ${Math.round(p.expiresInSeconds / 60)} min)...`,
          );
        },
        { signal: timeout, pollIntervalMs: options.pollIntervalMs },
      );
      return report(options, bot.name, token, storage.location);
    }
    const done = new Promise<StoredTwitchToken>((resolve, reject) => {
      const app = new Koa();
      app.use(
        twitchCallbackRouter(
          authorizer,
          createLogger({ level: 'silent' }),
          (name, token) => name === bot.name && resolve(token),
          reject,
        ).routes(),
      );
      server.on('request', app.callback());
    });
    const address = await listen(server, env.HOST ?? '127.0.0.1', Number(env.PORT ?? 8000));
    if (address !== 'in-use') redirectUri = twitchRedirectUri(env.PUBLIC_URL, address.port);
    if (address === 'in-use')
      options.out(`The running server on port ${env.PORT ?? 8000} will receive the redirect.`);
    options.out(`Register this redirect URL with the Twitch app: ${redirectUri}`);
    options.out(`Open this URL in a browser logged in as the bot's Twitch account:`);
    options.out(authorizer.authorizeUrl(bot.name, plan.request));
    const token = await Promise.race([
      done,
      waitForStored(tokens, bot.name, started, AbortSignal.any([timeout, finished.signal])),
      new Promise<never>((_, reject) =>
        timeout.addEventListener('abort', () =>
          reject(
            new AuthError('SC_AUTH_TIMEOUT', 'nobody completed the authorisation in time', {
              fix: `run npx streamcogs auth ${bot.name} again`,
            }),
          ),
        ),
      ),
    ]);
    return report(options, bot.name, token, storage.location);
  } finally {
    finished.abort();
    server.closeAllConnections();
    await new Promise<void>((r) => (server.listening ? server.close(() => r()) : r()));
    await storage.close();
  }
}

/** A token stored by the running server's callback (other process, same storage). */
async function waitForStored(
  tokens: TwitchTokenStore,
  bot: string,
  since: number,
  signal: AbortSignal,
): Promise<StoredTwitchToken> {
  while (!signal.aborted) {
    const token = await tokens.load(bot).catch(() => undefined);
    if (token && token.obtainmentTimestamp >= since) return token;
    await new Promise((r) => setTimeout(r, 1000).unref());
  }
  return new Promise<never>(() => {});
}

function report(
  options: AuthorizeBotOptions,
  bot: string,
  token: StoredTwitchToken,
  location: string,
): StoredTwitchToken {
  options.out(
    `Authorised "${bot}" as Twitch account ${token.login} with scopes: ${token.scope.join(' ') || '(none)'}`,
  );
  options.out(`The token is stored encrypted in ${location}; the running server picks it up.`);
  return token;
}
