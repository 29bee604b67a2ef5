/**
 * Twitch chat simulator: a local IRC-over-WebSocket server the real tmi.js talks to.
 *
 * @example
 * ```ts
 * import { TwitchChatServer } from './src/sandbox/twitch/chat/index.js';
 * const chat = await TwitchChatServer.start({ now: () => clock });
 * chat.setModerator('#streamer', 'mybot');
 * const id = chat.viewerSays('#streamer', 'ronni', 'hello');
 * await chat.close();
 * ```
 */
export { TwitchChatServer } from './twitch-chat-server.js';
export { DEFAULT_CHAT_LIMITS } from './chat-rate-limits.js';
export {
  createDefaultUserResolver,
  normalizeChannel,
  normalizeLogin,
  userIdForLogin,
} from './user-directory.js';
export {
  escapeTagValue,
  formatTags,
  parseIrcLine,
  parseTags,
  unescapeTagValue,
} from './irc-line.js';
export type { IrcMessage } from './irc-line.js';
export type {
  RaidNoticeFields,
  ResubNoticeFields,
  SubGiftNoticeFields,
  SubNoticeFields,
  SubPlan,
  UserNoticeFieldsByKind,
  UserNoticeKind,
} from './user-notice-tags.js';
export type {
  ChatLimits,
  ChatMessageEvent,
  ChatRecord,
  ChatUser,
  DropReason,
  TokenValidator,
  TwitchChatServerEvents,
  TwitchChatServerOptions,
  UserResolver,
  ValidatedToken,
  ViewerBadges,
  ViewerIdentity,
} from './types.js';
export { connectTmiClient, disconnectTmiClient, tmiState } from './tmi-test-client.js';
export type { TmiClientState, TmiTestClientOptions } from './tmi-test-client.js';
export { RawChatClient } from './raw-chat-client.js';
export type { RawChatClientOptions } from './raw-chat-client.js';
export { waitFor } from './wait-for.js';
