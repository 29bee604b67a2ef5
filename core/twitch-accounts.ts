import type { ApiClient } from '@twurple/api';
import type { Disposer } from './disposer.js';

/**
 * A Twitch account a cog keeps a token for: a viewer who linked it, a broadcaster who let
 * the bot read their subscribers. Not the bot's own account.
 *
 * @example
 * ```ts
 * const who: TwitchAccountInfo = { userId: '141981764', login: 'ada', scopes: ['user:read:subscriptions'] };
 * ```
 */
export interface TwitchAccountInfo {
  userId: string;
  login: string;
  scopes: readonly string[];
}

/**
 * An authorize link to make with {@link TwitchAccounts.authorizeUrl}.
 *
 * @example
 * ```ts
 * const request: TwitchAuthorizeRequest = {
 *   scopes: ['user:read:subscriptions'],
 *   data: { discordUser: '80351110224678912', guild: '41771983423143937' },
 *   ttlMs: 10 * 60_000,
 * };
 * ```
 */
export interface TwitchAuthorizeRequest {
  scopes: readonly string[];
  /**
   * Signed into the link's `state` and handed back to the cog's handler: who asked, and for
   * what. Keep it small (it travels in the URL); it is readable, so no secrets.
   */
  data: Readonly<Record<string, string>>;
  /** How long the link works; default 10 minutes. */
  ttlMs?: number;
}

/**
 * What a cog's {@link TwitchAccounts.onAuthorized} handler gets once Twitch sent the browser
 * back with a valid, unexpired, unused state: the code is redeemed, nothing is stored yet.
 *
 * @example
 * ```ts
 * accounts.onAuthorized(async ({ data, account, api, keep }) => {
 *   const sub = await api.subscriptions.checkUserSubscription(account.userId, broadcasterId);
 *   await keep(`member:${data.discordUser}`);
 *   return { title: 'Linked', paragraphs: [`Twitch account ${account.login} is linked.`] };
 * });
 * ```
 */
export interface TwitchAuthorization {
  /** The `data` of the authorize request, as signed. */
  data: Readonly<Record<string, string>>;
  /** The account that authorised, as Twitch's `/validate` reports it. */
  account: TwitchAccountInfo;
  /** Helix acting as that account, with the fresh token. */
  api: ApiClient;
  /**
   * Stores the token under `key` (encrypted at rest, refreshed when due, every rotated
   * refresh token stored before it is used). Nothing is stored unless this is called.
   */
  keep(key: string): Promise<void>;
}

/**
 * The page the browser shows after the callback. Text only: it is escaped when rendered.
 *
 * @example
 * ```ts
 * const page: TwitchAuthPage = { status: 409, title: 'Already linked', paragraphs: ['Use /unlink first.'] };
 * ```
 */
export interface TwitchAuthPage {
  /** HTTP status; default 200. */
  status?: number;
  title: string;
  paragraphs: readonly string[];
}

/**
 * Where a stored account stands: `valid` (Twitch accepts the token, refreshed if it had to
 * be), `revoked` (Twitch refused the refresh token: the user disconnected the app, or it
 * lapsed), `missing` (nothing stored under the key).
 *
 * @example
 * ```ts
 * if ((await accounts.check('broadcaster')) === 'revoked') askToRelink();
 * ```
 */
export type TwitchAccountState = 'valid' | 'revoked' | 'missing';

/**
 * Twitch accounts other than the bot's that a cog acts for, kept by the same machinery as
 * the bots' own tokens: the authorize link goes to the shared `/oauth/twitch/callback` with
 * a signed, single-use, expiring state; tokens are encrypted at rest, refreshed, and each
 * rotated refresh token is stored before use. Keys are the cog's own (per bot and cog).
 *
 * @example
 * ```ts
 * const url = ctx.twitch.accounts!.authorizeUrl({ scopes: ['user:read:subscriptions'], data: { user: id } });
 * const api = await ctx.twitch.accounts!.api('broadcaster');
 * const page = await api?.subscriptions.getSubscriptions(broadcasterId);
 * ```
 */
export interface TwitchAccounts {
  /** The Twitch page that asks the user to authorise the bot's app for `scopes`. */
  authorizeUrl(request: TwitchAuthorizeRequest): string;
  /**
   * Handles the browser's return for links this cog made, and renders the page it shows.
   * One handler per cog; a thrown error shows a generic failure page (and is logged).
   */
  onAuthorized(
    handler: (authorization: TwitchAuthorization) => TwitchAuthPage | Promise<TwitchAuthPage>,
  ): Disposer;
  /** The account stored under `key`, without calling Twitch. */
  get(key: string): Promise<TwitchAccountInfo | undefined>;
  /** Helix acting as the account stored under `key` (undefined when none is stored). */
  api(key: string): Promise<ApiClient | undefined>;
  /** Asks Twitch whether the stored token still works (refreshing it when needed). */
  check(key: string): Promise<TwitchAccountState>;
  /** Deletes the stored token (and revokes it at Twitch, best effort). */
  forget(key: string): Promise<void>;
}
