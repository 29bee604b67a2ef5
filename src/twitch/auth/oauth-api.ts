import type { Endpoints } from '../../endpoints.js';
import { AuthError } from './errors.js';

/** What Twitch's `POST /oauth2/token` answers for a user grant. */
export interface TokenGrant {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string[];
}

/** What `GET /oauth2/validate` says about a user token. */
export interface TokenInfo {
  clientId: string;
  login: string;
  userId: string;
  scopes: string[];
  /** Seconds left. */
  expiresIn: number;
}

/** A started device-code grant. */
export interface DeviceCode {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  /** Seconds between polls. */
  interval: number;
  /** Seconds until the code expires. */
  expiresIn: number;
}

const TIMEOUT_MS = 15_000;

async function call(
  url: string,
  init: { method: 'GET' | 'POST'; form?: Record<string, string>; token?: string },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: init.method,
    headers: {
      ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...(init.token ? { authorization: `OAuth ${init.token}` } : {}),
    },
    body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).catch((err: unknown) => {
    throw new AuthError(
      'SC_AUTH_HTTP',
      `cannot reach Twitch's OAuth server at ${new URL(url).origin}`,
      {
        fix: 'check the network, or TWITCH_AUTH_URL / TWURPLE_MOCK_API_PORT',
        cause: err,
      },
    );
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { message: text.slice(0, 200) };
  }
  return { status: res.status, body };
}

function failure(what: string, status: number, body: Record<string, unknown>): AuthError {
  const message = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
  return new AuthError('SC_AUTH_HTTP', `${what}: Twitch answered ${status} "${message}"`, {
    fix:
      status === 403 || /client/i.test(message)
        ? 'check <BOT>_CLIENT_ID and <BOT>_CLIENT_SECRET against the app at dev.twitch.tv/console'
        : 'start the authorisation again',
  });
}

function grantOf(body: Record<string, unknown>): TokenGrant {
  return {
    access_token: String(body.access_token),
    refresh_token: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    expires_in: typeof body.expires_in === 'number' ? body.expires_in : undefined,
    scope: Array.isArray(body.scope) ? body.scope.map(String) : undefined,
  };
}

/**
 * Calls Twitch's OAuth API (`/token`, `/validate`, `/device`) at the endpoint from
 * {@link Endpoints}: the real id.twitch.tv, or the sandbox.
 *
 * @example
 * ```ts
 * const oauth = new TwitchOAuthApi(readEndpoints(process.env));
 * const info = await oauth.validate(accessToken); // null when invalid
 * ```
 */
export class TwitchOAuthApi {
  constructor(private readonly endpoints: Endpoints) {}

  /** The browser page a user authorises an app on. */
  authorizeUrl(params: Record<string, string>): string {
    return `${this.endpoints.twitchAuthUrl.replace(/\/$/, '')}/authorize?${new URLSearchParams(params)}`;
  }

  /** Redeems an authorization code. */
  async exchangeCode(input: {
    clientId: string;
    clientSecret: string;
    code: string;
    redirectUri: string;
  }): Promise<TokenGrant> {
    const { status, body } = await call(this.#url('token'), {
      method: 'POST',
      form: {
        client_id: input.clientId,
        client_secret: input.clientSecret,
        code: input.code,
        grant_type: 'authorization_code',
        redirect_uri: input.redirectUri,
      },
    });
    if (status !== 200) throw failure('exchanging the authorization code', status, body);
    return grantOf(body);
  }

  /** Validates a user token; null when Twitch says it is invalid or expired. */
  async validate(accessToken: string): Promise<TokenInfo | null> {
    const { status, body } = await call(this.#url('validate'), {
      method: 'GET',
      token: accessToken,
    });
    if (status === 401) return null;
    if (status !== 200) throw failure('validating the token', status, body);
    return {
      clientId: String(body.client_id ?? ''),
      login: String(body.login ?? ''),
      userId: String(body.user_id ?? ''),
      scopes: Array.isArray(body.scopes) ? body.scopes.map(String) : [],
      expiresIn: Number(body.expires_in ?? 0),
    };
  }

  /** Starts a device-code grant for `scopes`. */
  async startDevice(clientId: string, scopes: readonly string[]): Promise<DeviceCode> {
    const { status, body } = await call(this.#url('device'), {
      method: 'POST',
      form: { client_id: clientId, scopes: scopes.join(' ') },
    });
    if (status !== 200) throw failure('starting the device-code flow', status, body);
    return {
      deviceCode: String(body.device_code),
      userCode: String(body.user_code),
      verificationUri: String(body.verification_uri),
      interval: Number(body.interval ?? 5),
      expiresIn: Number(body.expires_in ?? 1800),
    };
  }

  /** Polls a device grant once: the tokens, or `pending` / `slow_down` while the user has not approved. */
  async pollDevice(
    clientId: string,
    deviceCode: string,
    scopes: readonly string[],
  ): Promise<TokenGrant | 'pending' | 'slow_down'> {
    const { status, body } = await call(this.#url('token'), {
      method: 'POST',
      form: {
        client_id: clientId,
        scopes: scopes.join(' '),
        device_code: deviceCode,
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      },
    });
    if (status === 200) return grantOf(body);
    const message = String(body.message ?? '');
    if (/authorization_pending/i.test(message)) return 'pending';
    if (/slow_down/i.test(message)) return 'slow_down';
    if (/denied/i.test(message))
      throw new AuthError('SC_AUTH_DENIED', 'the Twitch account owner declined the authorisation');
    throw failure('waiting for the device code', status, body);
  }

  #url(endpoint: string): string {
    return `${this.endpoints.twitchOAuthApiUrl.replace(/\/$/, '')}/${endpoint}`;
  }
}
