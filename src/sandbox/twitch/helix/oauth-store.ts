import { PendingGrants, randomToken } from './oauth-grants.js';

/** A registered Twitch application (client). */
export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  name: string;
  /** Allowed redirect URIs; empty means any. */
  redirectUris: string[];
  /** Public clients (device flow) may refresh without a client secret. */
  isPublic: boolean;
}

/** An issued access token. `userId` is null for app tokens. */
export interface AccessTokenRecord {
  token: string;
  clientId: string;
  userId: string | null;
  scopes: string[];
  expiresAt: number;
}

/** The JSON body `POST /oauth2/token` answers with. */
export interface TokenResponse {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  scope?: string[];
  token_type: 'bearer';
}

interface RefreshGrant {
  clientId: string;
  userId: string;
  scopes: string[];
}

/**
 * OAuth state: apps, access and refresh tokens, and which users authorized which clients.
 * Refresh tokens rotate: each use returns a new one and retires the old one.
 *
 * @example
 * ```ts
 * const store = new OAuthStore(() => Date.now());
 * store.registerApp({ clientId: 'cid', clientSecret: 'secret' });
 * const token = store.issueUserToken('cid', '12345', ['chat:read']);
 * store.lookup(token.access_token)?.userId; // '12345'
 * ```
 */
export class OAuthStore {
  /** Lifetime of user access tokens in seconds (Twitch: about 4 hours). */
  tokenExpiresIn = 14_400;
  /** Lifetime of app access tokens in seconds (Twitch: about 60 days). */
  appTokenExpiresIn = 5_184_000;
  /** Authorization codes and device-code grants waiting to be redeemed. */
  readonly grants: PendingGrants;

  private readonly apps = new Map<string, OAuthApp>();
  private readonly tokens = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();
  /** clientId -> userId -> scopes the user authorized (survives token refreshes). */
  private readonly authorizations = new Map<string, Map<string, Set<string>>>();

  constructor(private readonly now: () => number) {
    this.grants = new PendingGrants(now, (clientId, userId, scopes) =>
      this.issueUserToken(clientId, userId, scopes),
    );
  }

  /**
   * Registers (or replaces) an application.
   *
   * @example
   * ```ts
   * store.registerApp({ clientId: 'cid', clientSecret: 'secret', redirectUris: ['http://localhost/cb'] });
   * ```
   */
  registerApp(app: Partial<OAuthApp> & { clientId?: string }): OAuthApp {
    const full: OAuthApp = {
      clientId: app.clientId ?? randomToken(30),
      clientSecret: app.clientSecret ?? randomToken(30),
      name: app.name ?? 'sandbox app',
      redirectUris: app.redirectUris ?? [],
      isPublic: app.isPublic ?? false,
    };
    this.apps.set(full.clientId, full);
    return full;
  }

  /** @example `store.getApp('cid')?.name` */
  getApp(clientId: string): OAuthApp | undefined {
    return this.apps.get(clientId);
  }

  /** @example `const t = store.issueAppToken('cid').access_token;` */
  issueAppToken(clientId: string): TokenResponse {
    const token = randomToken(30);
    const expiresIn = this.appTokenExpiresIn;
    this.tokens.set(token, {
      token,
      clientId,
      userId: null,
      scopes: [],
      expiresAt: this.now() + expiresIn * 1000,
    });
    return { access_token: token, expires_in: expiresIn, token_type: 'bearer' };
  }

  /**
   * Issues a user access token plus a refresh token and records the authorization.
   *
   * @example
   * ```ts
   * const { access_token, refresh_token } = store.issueUserToken('cid', '123', ['bits:read']);
   * ```
   */
  issueUserToken(clientId: string, userId: string, scopes: string[]): TokenResponse {
    const token = randomToken(30);
    const refresh = randomToken(50);
    const expiresIn = this.tokenExpiresIn;
    this.tokens.set(token, {
      token,
      clientId,
      userId,
      scopes: [...scopes],
      expiresAt: this.now() + expiresIn * 1000,
    });
    this.refreshTokens.set(refresh, { clientId, userId, scopes: [...scopes] });
    const byUser = this.authorizations.get(clientId) ?? new Map<string, Set<string>>();
    const granted = byUser.get(userId) ?? new Set<string>();
    for (const scope of scopes) granted.add(scope);
    byUser.set(userId, granted);
    this.authorizations.set(clientId, byUser);
    return {
      access_token: token,
      expires_in: expiresIn,
      refresh_token: refresh,
      scope: [...scopes],
      token_type: 'bearer',
    };
  }

  /**
   * The record for a valid token, or undefined when unknown, revoked or expired.
   *
   * @example
   * ```ts
   * const rec = store.lookup(token);
   * ```
   */
  lookup(token: string): AccessTokenRecord | undefined {
    const rec = this.tokens.get(token);
    if (!rec) return undefined;
    if (rec.expiresAt <= this.now()) return undefined;
    return rec;
  }

  /**
   * Exchanges a refresh token for a new token pair; the used refresh token stops working.
   *
   * @example
   * ```ts
   * const next = store.refresh('cid', oldRefresh); // undefined when invalid
   * ```
   */
  refresh(clientId: string, refreshToken: string): TokenResponse | undefined {
    const grant = this.refreshTokens.get(refreshToken);
    if (!grant || grant.clientId !== clientId) return undefined;
    this.refreshTokens.delete(refreshToken);
    return this.issueUserToken(clientId, grant.userId, grant.scopes);
  }

  /**
   * Revokes one access token of the given client.
   *
   * @example
   * ```ts
   * store.revokeToken('cid', token); // true when it existed
   * ```
   */
  revokeToken(clientId: string, token: string): boolean {
    const rec = this.tokens.get(token);
    if (!rec || rec.clientId !== clientId) return false;
    this.tokens.delete(token);
    return true;
  }

  /**
   * Revokes every token, refresh token and authorization a user granted; returns the affected
   * client ids.
   *
   * @example
   * ```ts
   * store.revokeUser('123'); // ['cid']
   * ```
   */
  revokeUser(userId: string): string[] {
    const clients = new Set<string>();
    for (const [key, rec] of this.tokens) {
      if (rec.userId === userId) {
        this.tokens.delete(key);
        clients.add(rec.clientId);
      }
    }
    for (const [key, grant] of this.refreshTokens) {
      if (grant.userId === userId) {
        this.refreshTokens.delete(key);
        clients.add(grant.clientId);
      }
    }
    for (const [clientId, byUser] of this.authorizations) {
      if (byUser.delete(userId)) clients.add(clientId);
    }
    return [...clients];
  }

  /**
   * Whether the user authorized the client, optionally with at least one of `anyOfScopes`.
   *
   * @example
   * ```ts
   * store.isAuthorized('cid', '123', ['bits:read']);
   * ```
   */
  isAuthorized(clientId: string, userId: string, anyOfScopes: string[] = []): boolean {
    const granted = this.authorizations.get(clientId)?.get(userId);
    if (!granted) return false;
    return anyOfScopes.length === 0 || anyOfScopes.some((s) => granted.has(s));
  }
}
