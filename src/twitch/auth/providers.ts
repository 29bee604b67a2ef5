import {
  RefreshingAuthProvider,
  type AccessToken,
  type AccessTokenMaybeWithUserId,
  type AccessTokenWithUserId,
  type AuthProvider,
  type RefreshingAuthProviderConfig,
} from '@twurple/auth';

type UserIdResolvable = Parameters<AuthProvider['getCurrentScopesForUser']>[0];

function userIdOf(user: UserIdResolvable): string {
  return typeof user === 'object' ? user.id : String(user);
}

/**
 * twurple's RefreshingAuthProvider, with two guarantees Twitch's rotating refresh tokens
 * need: every rotated token is persisted (its `onRefresh` queues the write) before the
 * new token is handed to anyone, and so before the refresh token can be used again; and
 * one refresh at a time per user, so two callers never spend the same refresh token.
 *
 * @example
 * ```ts
 * const provider = new PersistingAuthProvider({ clientId, clientSecret }, (userId, token) =>
 *   tokens.save('alice', { ...token, userId, login, clientId }),
 * );
 * provider.addUser(userId, storedToken);
 * ```
 */
export class PersistingAuthProvider extends RefreshingAuthProvider {
  readonly #inflight = new Map<string, Promise<AccessTokenWithUserId>>();
  #writes: Promise<void> = Promise.resolve();

  /**
   * @param persist Stores one rotated token; must not reject (log and keep going instead).
   */
  constructor(
    config: RefreshingAuthProviderConfig,
    persist: (userId: string, token: AccessToken) => Promise<void>,
  ) {
    super(config);
    this.onRefresh((userId, token) => {
      this.#writes = this.#writes.then(() => persist(userId, token)).catch(() => {});
    });
  }

  /** Resolves once every rotated token so far is persisted. */
  persisted(): Promise<void> {
    return this.#writes;
  }

  override refreshAccessTokenForUser(user: UserIdResolvable): Promise<AccessTokenWithUserId> {
    const userId = userIdOf(user);
    const running = this.#inflight.get(userId);
    if (running) return running;
    const refresh = (async () => {
      await this.#writes;
      const token = await super.refreshAccessTokenForUser(userId);
      await this.#writes;
      return token;
    })();
    this.#inflight.set(userId, refresh);
    const clear = (): void => {
      if (this.#inflight.get(userId) === refresh) this.#inflight.delete(userId);
    };
    refresh.then(clear, clear);
    return refresh;
  }
}

/**
 * An AuthProvider for the bot's "user" ApiClient: calls without a user context use the
 * bot's own token instead of the app token; everything else goes to `inner`.
 *
 * @example
 * ```ts
 * const api = new ApiClient({ authProvider: new BotUserAuthProvider(provider, () => userId) });
 * await api.users.getUserByName('alice'); // sent with the bot's user token
 * ```
 */
export class BotUserAuthProvider implements AuthProvider {
  readonly authorizationType = 'Bearer';

  constructor(
    private readonly inner: RefreshingAuthProvider,
    private readonly botUserId: () => string | undefined,
  ) {}

  get clientId(): string {
    return this.inner.clientId;
  }

  getCurrentScopesForUser(user: UserIdResolvable): string[] {
    return this.inner.getCurrentScopesForUser(user);
  }

  getAccessTokenForUser(
    user: UserIdResolvable,
    ...scopeSets: Array<string[] | undefined>
  ): Promise<AccessTokenWithUserId | null> {
    return this.inner.getAccessTokenForUser(user, ...scopeSets);
  }

  getAnyAccessToken(user?: UserIdResolvable): Promise<AccessTokenMaybeWithUserId> {
    return this.inner.getAnyAccessToken(user ?? this.botUserId());
  }

  getAppAccessToken(forceNew?: boolean): Promise<AccessToken> {
    return this.inner.getAppAccessToken(forceNew);
  }

  refreshAccessTokenForUser(user: UserIdResolvable): Promise<AccessTokenWithUserId> {
    return this.inner.refreshAccessTokenForUser(user);
  }
}

/**
 * Whether a failed refresh means the grant is gone (Twitch answers 400 "Invalid refresh
 * token" when the user revoked the app, or 401/403 for a bad client), as opposed to a
 * network or server problem worth retrying.
 *
 * @example
 * ```ts
 * provider.onRefreshFailure((_, err) => isRevocation(err) && markNeedsAuth());
 * ```
 */
export function isRevocation(err: unknown): boolean {
  const status = (err as { statusCode?: unknown } | undefined)?.statusCode;
  return status === 400 || status === 401 || status === 403;
}
