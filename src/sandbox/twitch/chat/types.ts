/**
 * Public types of the Twitch chat simulator (IRC over WebSocket, as tmi.js speaks it).
 *
 * @example
 * ```ts
 * import type { ChatRecord } from './types.js';
 * const dropped = (r: ChatRecord): boolean => r.dropped === 'rate_limit';
 * ```
 */

/**
 * A Twitch user as chat shows it. The Helix simulator can share one registry of these.
 *
 * @example
 * ```ts
 * const user: ChatUser = { id: '141981764', login: 'twitchdev', displayName: 'TwitchDev' };
 * ```
 */
export interface ChatUser {
  id: string;
  login: string;
  displayName: string;
}

/**
 * Turns a login into a user. Must be deterministic: the same login always gives the same id.
 *
 * @example
 * ```ts
 * const users: UserResolver = { resolve: (login) => ({ id: '1', login, displayName: login }) };
 * ```
 */
export interface UserResolver {
  resolve(login: string): ChatUser;
}

/**
 * What a token validator returns for a good token.
 *
 * @example
 * ```ts
 * const ok: ValidatedToken = { login: 'mybot', userId: '12345' };
 * ```
 */
export interface ValidatedToken {
  login: string;
  userId: string;
}

/**
 * Checks an OAuth token (without the `oauth:` prefix); `null` means "Login authentication failed".
 *
 * @example
 * ```ts
 * const validate: TokenValidator = async (t) => (t === 'good' ? { login: 'bot', userId: '1' } : null);
 * ```
 */
export type TokenValidator = (token: string) => Promise<ValidatedToken | null>;

/**
 * Twitch's chat limits for a normal (not verified) account. Defaults follow dev.twitch.tv.
 *
 * @example
 * ```ts
 * const strict: Partial<ChatLimits> = { privmsgPerWindow: 5 };
 * ```
 */
export interface ChatLimits {
  /** Sliding window for PRIVMSG, ms. Default 30 000. */
  privmsgWindowMs: number;
  /** PRIVMSGs per window when sent to a channel where the account is neither mod nor broadcaster. Default 20. */
  privmsgPerWindow: number;
  /** PRIVMSGs per window when sent to a channel where the account is mod or broadcaster. Default 100. */
  privmsgPerWindowPrivileged: number;
  /** Sliding window for JOIN, ms. Default 10 000. */
  joinWindowMs: number;
  /** Channels joined per window per account. Default 20. */
  joinsPerWindow: number;
}

/**
 * Options of {@link TwitchChatServer.start}.
 *
 * @example
 * ```ts
 * let t = 0;
 * const options: TwitchChatServerOptions = { now: () => t, recordLimit: 1000 };
 * ```
 */
export interface TwitchChatServerOptions {
  /** Port to listen on; default 0 (a free port). The host is always 127.0.0.1. */
  port?: number;
  /** Validates PASS tokens; by default every token is accepted and the NICK is the login. */
  validateToken?: TokenValidator;
  /** Resolves logins to users; by default a stable numeric id derived from the login. */
  users?: UserResolver;
  /** Clock for the rate limits and timestamps (ms since epoch); default `Date.now`. */
  now?: () => number;
  /** How many received lines {@link TwitchChatServer.received} keeps; default 10 000. */
  recordLimit?: number;
  /** Override Twitch's limits (e.g. to test a verified bot). */
  limits?: Partial<ChatLimits>;
  /**
   * Answer a PRIVMSG dropped by the 20/100 per 30 s limit with `NOTICE msg_ratelimit`.
   * Default false: Twitch drops those silently (msg_ratelimit is what its per-channel
   * one-second minimum slow mode sends, which this simulator does not model).
   */
  rateLimitNotice?: boolean;
}

/**
 * Why a received line was not delivered.
 *
 * @example
 * ```ts
 * const reason: DropReason = 'rate_limit';
 * ```
 */
export type DropReason = 'rate_limit' | 'anonymous' | 'unrecognized_command';

/**
 * One line the simulator received from a client (one record per channel for `JOIN #a,#b`).
 *
 * @example
 * ```ts
 * const r: ChatRecord = { at: 0, login: 'bot', channel: '#chan', command: 'PRIVMSG', text: 'hi' };
 * ```
 */
export interface ChatRecord {
  /** Clock time (the `now` option) when it arrived. */
  at: number;
  /** Account that sent it; `*` before NICK. */
  login: string;
  /** Lower-case channel with `#`, for JOIN/PART/PRIVMSG. */
  channel?: string;
  /** IRC command, upper case. */
  command: string;
  /** PRIVMSG text, or the raw parameters of other commands (PASS is redacted). */
  text?: string;
  /** IRCv3 tags the client sent (e.g. `reply-parent-msg-id`). */
  tags?: Record<string, string>;
  /** Set when the line had no effect on chat. */
  dropped?: DropReason;
}

/**
 * Badges of a simulated viewer. `subscriber` is the number of months.
 *
 * @example
 * ```ts
 * const badges: ViewerBadges = { subscriber: 6, moderator: true };
 * ```
 */
export interface ViewerBadges {
  broadcaster?: boolean;
  moderator?: boolean;
  vip?: boolean;
  subscriber?: number;
}

/**
 * A simulated viewer; a plain string is shorthand for `{ login }`.
 *
 * @example
 * ```ts
 * const viewer: ViewerIdentity = { login: 'ronni', displayName: 'Ronni', badges: { subscriber: 3 } };
 * ```
 */
export interface ViewerIdentity {
  login: string;
  displayName?: string;
  userId?: string;
  /** Hex colour like `#1E90FF`; empty by default. */
  color?: string;
  badges?: ViewerBadges;
  /** Raw badge-info entries, e.g. `{ subscriber: 7 }`; derived from `badges.subscriber` by default. */
  badgeInfo?: Record<string, string | number>;
  /** Override `first-msg`; by default 1 for the login's first message in the channel. */
  firstMsg?: boolean;
  returningChatter?: boolean;
}

/**
 * A chat line delivered to a channel, whoever sent it.
 *
 * @example
 * ```ts
 * chat.on('message', (m: ChatMessageEvent) => console.log(m.channel, m.login, m.text));
 * ```
 */
export interface ChatMessageEvent {
  id: string;
  at: number;
  channel: string;
  login: string;
  displayName: string;
  userId: string;
  text: string;
  tags: Record<string, string>;
  /** `client` for a connected client's PRIVMSG, `simulated` for viewerSays. */
  source: 'client' | 'simulated';
}

/**
 * Events of {@link TwitchChatServer}.
 *
 * @example
 * ```ts
 * chat.on('record', (r) => console.log(r.command));
 * ```
 */
export interface TwitchChatServerEvents {
  record: [ChatRecord];
  message: [ChatMessageEvent];
}
