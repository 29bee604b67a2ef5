import type { AccessToken } from '@twurple/auth';
import type { Disposer, Logger } from '../../../core/index.js';
import { describeError } from '../../../core/errors.js';
import { AuthError, authCommand } from './errors.js';
import { isRevocation, PersistingAuthProvider } from './providers.js';
import {
  statusOf,
  type TokenKeeperOptions,
  type TwitchAuthState,
  type TwitchAuthStatus,
} from './keeper-status.js';
import { expiresAt, refreshDelayMs, retryDelayMs, VALIDATE_EVERY_MS } from './refresh-timing.js';
import { missingScopes } from './scopes.js';
import { NamedTimers } from './timers.js';
import { accessTokenOf, type StoredTwitchToken } from './token-store.js';

export type { TokenKeeperOptions, TwitchAuthState, TwitchAuthStatus } from './keeper-status.js';

/**
 * Keeps one bot's Twitch user token alive: loads it (decrypted) at start and validates it,
 * refreshes it before it expires through a {@link PersistingAuthProvider} (every rotated
 * refresh token stored first), validates hourly, and on a refused refresh marks the bot
 * `needs_auth` and logs the command to run. A token stored later (the OAuth callback, or
 * `streamcogs auth` in another process) is picked up without a restart.
 *
 * @example
 * ```ts
 * const keeper = new TokenKeeper({ bot: 'alice', clientId, clientSecret, tokens, oauth, log, neededScopes });
 * await keeper.start();
 * keeper.onChange(() => chat.reconnect());
 * const token = await keeper.accessToken(); // refreshed when due
 * ```
 */
export class TokenKeeper {
  readonly provider: PersistingAuthProvider | undefined;
  readonly #o: TokenKeeperOptions;
  readonly #log: Logger;
  readonly #listeners = new Set<() => void>();
  readonly #timers: NamedTimers<'refresh' | 'validate' | 'recheck' | 'retry'>;
  #token: StoredTwitchToken | undefined;
  #state: TwitchAuthState;
  #detail: string | undefined;
  #attempt = 0;
  #unsubscribe: Disposer | undefined;

  constructor(options: TokenKeeperOptions) {
    this.#o = options;
    this.#log = options.log.child({ component: 'twitch-auth' });
    this.#timers = new NamedTimers((name, err) =>
      this.#log.warn({ err: describeError(err) }, `twitch auth ${name} failed`),
    );
    const { clientId, clientSecret } = options;
    this.#state = clientId && clientSecret ? 'missing' : 'no_app';
    if (!clientId || !clientSecret) return;
    this.provider = new PersistingAuthProvider({ clientId, clientSecret }, (userId, token) =>
      this.#persist(userId, token),
    );
    this.provider.onRefreshFailure((_userId, err) => this.#refreshFailed(err));
  }

  /** The bot's Twitch user id once authorised. */
  get userId(): string | undefined {
    return this.#state === 'valid' ? this.#token?.userId : undefined;
  }

  /** The bot's Twitch login once authorised. */
  get login(): string | undefined {
    return this.#state === 'valid' ? this.#token?.login : undefined;
  }

  get state(): TwitchAuthState {
    return this.#state;
  }

  /** Loads and validates the stored token; never throws for a missing or refused one. */
  async start(): Promise<void> {
    if (!this.provider) {
      const prefix = this.#o.envPrefix ?? this.#o.bot.toUpperCase();
      this.#detail = `no Twitch app: set ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET`;
      return;
    }
    this.#unsubscribe = this.#o.tokens.onSaved((bot, token) => {
      if (bot === this.#o.bot && token.refreshToken !== this.#token?.refreshToken)
        void this.#adopt(token, 'stored by streamcogs auth');
    });
    let stored: StoredTwitchToken | undefined;
    try {
      stored = await this.#o.tokens.load(this.#o.bot);
    } catch (err) {
      return this.#needsAuth(describeError(err));
    }
    if (!stored) {
      this.#state = 'missing';
      this.#detail = 'no Twitch token stored';
      this.#log.warn(
        { command: authCommand(this.#o.bot) },
        `bot "${this.#o.bot}" has no Twitch token: chat is read-only (anonymous). Run: ${authCommand(this.#o.bot)}`,
      );
      this.#timers.schedule('recheck', this.#o.recheckEveryMs ?? 30_000, () => this.#recheck());
      return;
    }
    await this.#adopt(stored, 'loaded from storage');
  }

  /** Calls `listener` when the bot gains or loses its identity; returns its disposer. */
  onChange(listener: () => void): Disposer {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** A current access token (refreshed when due); throws when the bot is not authorised. */
  async accessToken(): Promise<string> {
    const userId = this.userId;
    if (!this.provider || !userId)
      throw new AuthError('SC_AUTH_REQUIRED', `bot "${this.#o.bot}" has no valid Twitch token`, {
        fix: `run: ${authCommand(this.#o.bot)}`,
      });
    const token = await this.provider.getAccessTokenForUser(userId);
    if (!token) throw new AuthError('SC_AUTH_REQUIRED', `bot "${this.#o.bot}" lost its token`);
    return token.accessToken;
  }

  /** Refreshes now (e.g. chat refused the token); false when the bot ends up unauthorised. */
  async refreshNow(reason: string): Promise<boolean> {
    const userId = this.userId;
    if (!this.provider || !userId) return false;
    this.#log.info({ reason }, 'refreshing the Twitch token');
    try {
      await this.provider.refreshAccessTokenForUser(userId);
      return true;
    } catch {
      return this.#state === 'valid';
    }
  }

  status(): TwitchAuthStatus {
    return statusOf(
      this.#o,
      this.#state,
      this.#state === 'valid' ? this.#token : undefined,
      this.#detail,
    );
  }

  /** Stops every timer. */
  stop(): void {
    this.#timers.stop();
    this.#unsubscribe?.();
  }

  async #adopt(token: StoredTwitchToken, how: string): Promise<void> {
    if (!this.provider || this.#timers.stopped) return;
    if (token.clientId && token.clientId !== this.#o.clientId)
      return this.#needsAuth(
        `the stored token belongs to another Twitch app (client id ${token.clientId}), not ${this.#o.clientId}`,
      );
    const wasValid = this.#state === 'valid';
    const previousLogin = this.#token?.login;
    this.#token = token;
    this.provider.addUser(token.userId, accessTokenOf(token));
    this.#state = 'valid';
    this.#detail = undefined;
    this.#attempt = 0;
    this.#timers.clear('recheck');
    this.#log.info({ login: token.login, expiresAt: expiresAt(token) }, `Twitch token ${how}`);
    const missing = missingScopes(token.scope, this.#o.neededScopes);
    if (missing.length > 0)
      this.#log.warn(
        { missing },
        `the Twitch token of "${this.#o.bot}" lacks ${missing.join(', ')}, which its cogs need: run ${authCommand(this.#o.bot)}`,
      );
    this.#scheduleRefresh();
    await this.#validate();
    this.#timers.schedule('validate', this.#o.validateEveryMs ?? VALIDATE_EVERY_MS, () =>
      this.#validateLoop(),
    );
    if (this.#state === 'valid' && (!wasValid || previousLogin !== token.login)) this.#emit();
  }

  async #validate(): Promise<void> {
    const token = this.#token;
    if (!token || this.#state !== 'valid') return;
    try {
      const info = await this.#o.oauth.validate(token.accessToken);
      if (info || this.#token !== token) return;
      await this.refreshNow('Twitch says the access token is no longer valid');
    } catch (err) {
      this.#log.warn(
        { err: describeError(err) },
        'could not validate the Twitch token; will retry',
      );
    }
  }

  async #validateLoop(): Promise<void> {
    await this.#validate();
    this.#timers.schedule('validate', this.#o.validateEveryMs ?? VALIDATE_EVERY_MS, () =>
      this.#validateLoop(),
    );
  }

  #scheduleRefresh(): void {
    const token = this.#token;
    const delay = token ? refreshDelayMs(token) : undefined;
    if (delay === undefined) return;
    this.#timers.schedule('refresh', delay, () => this.refreshNow('the access token expires soon'));
  }

  async #persist(userId: string, token: AccessToken): Promise<void> {
    const previous = this.#token;
    if (!previous || previous.userId !== userId || !token.refreshToken) return;
    const next: StoredTwitchToken = {
      ...previous,
      accessToken: token.accessToken,
      refreshToken: token.refreshToken,
      scope: token.scope ?? previous.scope,
      expiresIn: token.expiresIn,
      obtainmentTimestamp: token.obtainmentTimestamp,
    };
    this.#token = next;
    this.#scheduleRefresh();
    const err = await this.#o.tokens.saveWithRetry(this.#o.bot, next);
    if (err)
      this.#log.error(
        { err: describeError(err) },
        `could not store the rotated Twitch refresh token of "${this.#o.bot}": the bot keeps working, but after a restart it must be authorised again (${authCommand(this.#o.bot)})`,
      );
    else this.#log.debug({ expiresAt: expiresAt(next) }, 'Twitch token refreshed and stored');
  }

  #refreshFailed(err: unknown): void {
    if (this.#timers.stopped) return;
    if (isRevocation(err))
      return this.#needsAuth(
        'Twitch refused the refresh token (the authorisation was revoked or has expired)',
      );
    const delay = retryDelayMs(this.#attempt++);
    this.#log.warn(
      { err: describeError(err), retryInMs: delay },
      'Twitch token refresh failed; retrying',
    );
    this.#timers.schedule('retry', delay, () => {
      const t = this.#token;
      if (!t || !this.provider || this.#state !== 'valid') return;
      this.provider.addUser(t.userId, accessTokenOf(t)); // clears twurple's cached failure
      return this.refreshNow('retrying a failed refresh');
    });
  }

  #needsAuth(detail: string): void {
    const wasValid = this.#state === 'valid';
    this.#state = 'needs_auth';
    this.#detail = detail;
    this.#timers.clear('refresh', 'validate', 'retry');
    this.#log.error(
      { needsAuth: true, command: authCommand(this.#o.bot) },
      `bot "${this.#o.bot}" needs to be authorised again: ${detail}. Chat is read-only until you run: ${authCommand(this.#o.bot)}`,
    );
    this.#timers.schedule('recheck', this.#o.recheckEveryMs ?? 30_000, () => this.#recheck());
    if (wasValid) this.#emit();
  }

  async #recheck(): Promise<void> {
    if (this.#state === 'valid') return;
    const stored = await this.#o.tokens.load(this.#o.bot).catch(() => undefined);
    if (stored && stored.refreshToken !== this.#token?.refreshToken)
      return this.#adopt(stored, 'found in storage');
    this.#timers.schedule('recheck', this.#o.recheckEveryMs ?? 30_000, () => this.#recheck());
  }

  #emit(): void {
    for (const l of this.#listeners) l();
  }
}
