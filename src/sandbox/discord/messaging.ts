import { Intent } from './gateway/intents.js';
import { Errors } from './http/errors.js';
import type { UploadedFile } from './http/types.js';
import type { DiscordSandbox } from './sandbox.js';
import { resolveMentions, validateAllowedMentions } from './state/mentions.js';
import type { AllowedMentions } from './state/mentions.js';
import type { MessageSource, SandboxAuthor, SandboxMessage } from './state/model.js';
import { memberPayload, messagePayload } from './state/payloads.js';

/**
 * Message flag bits the simulator cares about.
 *
 * @example
 * ```ts
 * const ephemeral = (message.flags & MessageFlag.Ephemeral) !== 0;
 * ```
 */
export const MessageFlag = { Ephemeral: 1 << 6, Loading: 1 << 7 } as const;

/** Input of {@link createMessage}. */
export interface MessageInput {
  channelId: string;
  author: SandboxAuthor;
  source: MessageSource;
  body: Record<string, unknown>;
  files?: UploadedFile[];
  webhookId?: string | null;
  applicationId?: string | null;
  interactionId?: string | null;
  /** Flags forced on top of the body's (e.g. Loading for a deferral). */
  extraFlags?: number;
  /** Allow an empty message (deferral placeholders). */
  allowEmpty?: boolean;
}

/**
 * Validates a create/edit body like Discord: content <= 2000, embeds <= 10, valid
 * `allowed_mentions`, and (create) not empty -> 50006.
 *
 * @example
 * ```ts
 * validateMessageBody({ content: '' }, [], 'create'); // throws 50006
 * ```
 */
export function validateMessageBody(
  body: Record<string, unknown>,
  files: UploadedFile[],
  mode: 'create' | 'edit',
): void {
  const { content, embeds, components } = body;
  if (content !== undefined && content !== null && typeof content !== 'string') {
    throw Errors.invalidForm('content', 'BASE_TYPE_STRING', 'Must be a string.');
  }
  if (typeof content === 'string' && content.length > 2000) {
    throw Errors.invalidForm('content', 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
  }
  if (embeds !== undefined && embeds !== null && (!Array.isArray(embeds) || embeds.length > 10)) {
    throw Errors.invalidForm('embeds', 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  }
  const mentionError = validateAllowedMentions(body.allowed_mentions);
  if (mentionError)
    throw Errors.invalidForm(
      'allowed_mentions',
      'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
      mentionError,
    );
  if (mode === 'create') {
    const empty =
      !content &&
      !(Array.isArray(embeds) && embeds.length > 0) &&
      !(Array.isArray(components) && components.length > 0) &&
      files.length === 0 &&
      !body.sticker_ids &&
      !body.poll;
    if (empty) throw Errors.cannotSendEmpty();
  }
}

function arrayOr(value: unknown, fallback: unknown[]): unknown[] {
  return Array.isArray(value) ? value : fallback;
}

/**
 * Creates, stores and dispatches (MESSAGE_CREATE, unless ephemeral) a message.
 *
 * @example
 * ```ts
 * createMessage(sb, { channelId, author, source: 'bot', body: { content: 'hi' } });
 * ```
 */
export function createMessage(sb: DiscordSandbox, input: MessageInput): SandboxMessage {
  const files = input.files ?? [];
  if (!input.allowEmpty) validateMessageBody(input.body, files, 'create');
  const channel = sb.store.channels.get(input.channelId);
  if (!channel) throw Errors.unknownChannel();
  const content = typeof input.body.content === 'string' ? input.body.content : '';
  const flags =
    (typeof input.body.flags === 'number' ? input.body.flags : 0) | (input.extraFlags ?? 0);
  const message: SandboxMessage = {
    id: sb.ids.next(),
    channelId: channel.id,
    guildId: channel.guildId,
    content,
    embeds: arrayOr(input.body.embeds, []),
    components: arrayOr(input.body.components, []),
    attachments: files.map((f) => ({ id: sb.ids.next(), filename: f.filename, size: f.size })),
    flags,
    tts: input.body.tts === true,
    mentions: resolveMentions(
      content,
      input.body.allowed_mentions as AllowedMentions | undefined,
      (id) => sb.store.users.has(id),
    ),
    author: input.author,
    source: input.source,
    webhookId: input.webhookId ?? null,
    applicationId: input.applicationId ?? null,
    interactionId: input.interactionId ?? null,
    raw: input.body,
    timestamp: new Date(sb.now()).toISOString(),
    editedTimestamp: null,
    deleted: false,
  };
  sb.store.addMessage(message);
  if ((flags & MessageFlag.Ephemeral) === 0) dispatchMessage(sb, message, 'MESSAGE_CREATE');
  return message;
}

/**
 * Applies an edit body (content, embeds, components, flags, allowed_mentions) and
 * dispatches MESSAGE_UPDATE.
 *
 * @example
 * ```ts
 * editMessage(sb, message, { content: 'edited' }, []);
 * ```
 */
export function editMessage(
  sb: DiscordSandbox,
  message: SandboxMessage,
  body: Record<string, unknown>,
  files: UploadedFile[],
): SandboxMessage {
  validateMessageBody(body, files, 'edit');
  if (typeof body.content === 'string' || body.content === null) {
    message.content = body.content ?? '';
    message.mentions = resolveMentions(
      message.content,
      (body.allowed_mentions ?? message.raw.allowed_mentions) as AllowedMentions | undefined,
      (id) => sb.store.users.has(id),
    );
  }
  if (body.embeds !== undefined) message.embeds = arrayOr(body.embeds, []);
  if (body.components !== undefined) message.components = arrayOr(body.components, []);
  if (files.length > 0) {
    message.attachments = files.map((f) => ({
      id: sb.ids.next(),
      filename: f.filename,
      size: f.size,
    }));
  }
  message.flags &= ~MessageFlag.Loading;
  message.editedTimestamp = new Date(sb.now()).toISOString();
  if ((message.flags & MessageFlag.Ephemeral) === 0) dispatchMessage(sb, message, 'MESSAGE_UPDATE');
  return message;
}

/**
 * Flags a message deleted and dispatches MESSAGE_DELETE.
 *
 * @example
 * ```ts
 * deleteMessage(sb, message);
 * ```
 */
export function deleteMessage(sb: DiscordSandbox, message: SandboxMessage): void {
  message.deleted = true;
  if ((message.flags & MessageFlag.Ephemeral) !== 0) return;
  const d = {
    id: message.id,
    channel_id: message.channelId,
    ...(message.guildId ? { guild_id: message.guildId } : {}),
  };
  forEachRecipient(sb, message, (session) => session.dispatch('MESSAGE_DELETE', d));
}

type SessionLike = {
  bot: { userId: string };
  intents: number;
  handles(guildId: string | null): boolean;
  dispatch(t: string, d: unknown): void;
};

function forEachRecipient(
  sb: DiscordSandbox,
  message: SandboxMessage,
  fn: (s: SessionLike) => void,
): void {
  const channel = sb.store.channels.get(message.channelId);
  if (!channel) return;
  const intent = channel.type === 1 ? Intent.DirectMessages : Intent.GuildMessages;
  for (const session of sb.gateway.sessions.values()) {
    if ((session.intents & intent) === 0 || !session.handles(channel.guildId)) continue;
    const inChannel =
      channel.type === 1
        ? channel.recipients.includes(session.bot.userId)
        : sb.store.member(channel.guildId ?? '', session.bot.userId) !== undefined;
    if (inChannel) fn(session);
  }
}

/** Sends MESSAGE_CREATE/UPDATE, hiding content from sessions without MESSAGE_CONTENT (Discord's rule). */
function dispatchMessage(sb: DiscordSandbox, message: SandboxMessage, t: string): void {
  const base = messagePayload(sb.store, message);
  if (message.guildId && !message.webhookId) {
    const member = sb.store.member(message.guildId, message.author.id);
    if (member) {
      const { user: _user, ...rest } = memberPayload(sb.store, member);
      base.member = rest;
    }
  }
  forEachRecipient(sb, message, (session) => {
    const sees =
      (session.intents & Intent.MessageContent) !== 0 ||
      message.guildId === null ||
      message.author.id === session.bot.userId ||
      message.mentions.users.includes(session.bot.userId);
    session.dispatch(
      t,
      sees ? base : { ...base, content: '', embeds: [], components: [], attachments: [] },
    );
  });
}
