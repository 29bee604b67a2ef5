import { setTimeout as sleep } from 'node:timers/promises';
import { AuthError, authCommand } from './errors.js';
import { tokenFromGrant } from './grant-token.js';
import type { TokenGrant, TwitchOAuthApi } from './oauth-api.js';
import { consumeState, createState } from './oauth-state.js';
import type { StoredTwitchToken, TwitchTokenStore } from './token-store.js';

/**
 * The path of the OAuth redirect on the shared server (register `<PUBLIC_URL>` + this with the Twitch app).
 *
 * @example
 * ```ts
 * `${publicUrl}${TWITCH_CALLBACK_PATH}`; // https://bots.example.com/oauth/twitch/callback
 * ```
 */
export const TWITCH_CALLBACK_PATH = '/oauth/twitch/callback';

/**
 * The redirect URL to register with the Twitch app: `<PUBLIC_URL>/oauth/twitch/callback`,
 * or `http://localhost:<PORT>/oauth/twitch/callback` without a public URL (Twitch accepts
 * plain http only for localhost). The server and `streamcogs auth` compute the same one.
 *
 * @example
 * ```ts
 * twitchRedirectUri(undefined, 8000); // 'http://localhost:8000/oauth/twitch/callback'
 * ```
 */
export function twitchRedirectUri(publicUrl: string | undefined, port: number | string): string {
  const base = publicUrl ? publicUrl.replace(/\/$/, '') : `http://localhost:${port}`;
  return `${base}${TWITCH_CALLBACK_PATH}`;
}

/** A bot's Twitch app credentials, as far as they are set. */
export interface BotApp {
  clientId?: string;
  clientSecret?: string;
  /** The prefix of its environment variables (`ALICE` for `ALICE_CLIENT_ID`). */
  envPrefix: string;
}

/** Options of {@link TwitchAuthorizer}. */
export interface TwitchAuthorizerOptions {
  tokens: TwitchTokenStore;
  oauth: TwitchOAuthApi;
  /** The Twitch app of a bot; undefined for an unknown bot. */
  appOf(bot: string): BotApp | undefined;
  /** The redirect URL registered with the Twitch app (`<PUBLIC_URL>/oauth/twitch/callback`). */
  redirectUri(): string;
}

/** What the device flow reports while waiting for the user. */
export interface DeviceCodePrompt {
  userCode: string;
  verificationUri: string;
  expiresInSeconds: number;
}

/**
 * Completes Twitch authorisations for bots: builds authorize links with a signed,
 * single-use state, redeems the callback's code, runs the device-code flow, validates
 * the resulting token (which account, which scopes) and stores it encrypted.
 *
 * @example
 * ```ts
 * const authorizer = new TwitchAuthorizer({ tokens, oauth, appOf, redirectUri: () => url });
 * console.log(authorizer.authorizeUrl('alice', ['chat:read', 'chat:edit']));
 * // ...the browser comes back to /oauth/twitch/callback:
 * const saved = await authorizer.completeCallback(ctx.query);
 * ```
 */
export class TwitchAuthorizer {
  constructor(private readonly options: TwitchAuthorizerOptions) {}

  /** The redirect URL in use. */
  get redirectUri(): string {
    return this.options.redirectUri();
  }

  /** The Twitch page to open in a browser to authorise `bot` for `scopes`. */
  authorizeUrl(bot: string, scopes: readonly string[]): string {
    const app = this.#app(bot);
    return this.options.oauth.authorizeUrl({
      client_id: app.clientId,
      redirect_uri: this.redirectUri,
      response_type: 'code',
      scope: scopes.join(' '),
      state: createState(this.options.tokens.box, bot),
      force_verify: 'true',
    });
  }

  /** Handles the redirect back from Twitch: checks the state, redeems the code, stores the token. */
  async completeCallback(
    query: Record<string, unknown>,
  ): Promise<{ bot: string; token: StoredTwitchToken }> {
    const state = typeof query.state === 'string' ? query.state : '';
    const bot = await consumeState(this.options.tokens.box, this.options.tokens.store, state);
    if (typeof query.error === 'string')
      throw new AuthError(
        'SC_AUTH_DENIED',
        `Twitch did not authorise bot "${bot}": ${String(query.error_description ?? query.error)}`,
        { fix: `run ${authCommand(bot)} again and choose Authorize` },
      );
    const code = typeof query.code === 'string' ? query.code : '';
    if (!code) throw new AuthError('SC_AUTH_STATE', 'the callback has no authorization code');
    const app = this.#app(bot);
    const grant = await this.options.oauth.exchangeCode({
      ...app,
      code,
      redirectUri: this.redirectUri,
    });
    return { bot, token: await this.saveGrant(bot, grant) };
  }

  /**
   * The device-code flow: `prompt` is called with the code to enter; resolves once the
   * user approved and the token is stored (polling at Twitch's interval).
   */
  async authorizeWithDevice(
    bot: string,
    scopes: readonly string[],
    prompt: (p: DeviceCodePrompt) => void,
    options: { signal?: AbortSignal; pollIntervalMs?: number } = {},
  ): Promise<StoredTwitchToken> {
    const app = this.#app(bot);
    const device = await this.options.oauth.startDevice(app.clientId, scopes);
    prompt({
      userCode: device.userCode,
      verificationUri: device.verificationUri,
      expiresInSeconds: device.expiresIn,
    });
    const deadline = Date.now() + device.expiresIn * 1000;
    let interval = options.pollIntervalMs ?? device.interval * 1000;
    while (Date.now() < deadline) {
      await sleep(interval, undefined, { signal: options.signal });
      const result = await this.options.oauth.pollDevice(app.clientId, device.deviceCode, scopes);
      if (result === 'pending') continue;
      if (result === 'slow_down') {
        interval += 5000;
        continue;
      }
      return this.saveGrant(bot, result);
    }
    throw new AuthError(
      'SC_AUTH_TIMEOUT',
      `the device code for bot "${bot}" expired before it was entered`,
      {
        fix: `run ${authCommand(bot)} --device again and enter the code within ${Math.round(device.expiresIn / 60)} minutes`,
      },
    );
  }

  /** Validates a fresh grant (account, scopes) and stores it encrypted for `bot`. */
  async saveGrant(bot: string, grant: TokenGrant): Promise<StoredTwitchToken> {
    const app = this.#app(bot);
    const token = await tokenFromGrant(
      this.options.oauth,
      grant,
      app.clientId,
      `run ${authCommand(bot)} again`,
    );
    await this.options.tokens.save(bot, token);
    return token;
  }

  #app(bot: string): { clientId: string; clientSecret: string } {
    const app = this.options.appOf(bot);
    if (!app)
      throw new AuthError('SC_AUTH_NO_APP', `there is no bot "${bot}" in bots.yaml`, {
        fix: 'use one of the top-level names of bots.yaml',
      });
    if (!app.clientId || !app.clientSecret)
      throw new AuthError('SC_AUTH_NO_APP', `bot "${bot}" has no Twitch app credentials`, {
        fix: `set ${app.envPrefix}_CLIENT_ID and ${app.envPrefix}_CLIENT_SECRET (from dev.twitch.tv/console)`,
      });
    return { clientId: app.clientId, clientSecret: app.clientSecret };
  }
}
