/**
 * Handles the lines a client sends: splits frames, keeps order across the asynchronous
 * token check, records every line, and runs CAP/PASS/NICK/JOIN/PART/PRIVMSG/PING/PONG.
 *
 * @example
 * ```ts
 * ws.on('message', (data, isBinary) => receiveFrame(core, session, isBinary ? null : data.toString()));
 * ```
 */
import type { ChatCore } from './chat-core.js';
import type { ChatSession } from './chat-session.js';
import { roomStateTags, userStateTags } from './chat-tags.js';
import type { IrcMessage } from './irc-line.js';
import { formatTags, parseIrcLine } from './irc-line.js';
import { handleCap, handleNick } from './session-login.js';
import type { ChatRecord, DropReason } from './types.js';
import { normalizeChannel } from './user-directory.js';

/** Lines waiting behind a running token check, per session, before new ones are refused. */
const MAX_PENDING_LINES = 10_000;
const VALID_CHANNEL = /^#[a-z0-9_]{1,25}$/;
/** `/cmd args` or `.cmd args`, as Twitch parsed chat commands. */
const CHAT_COMMAND = /^[/.]([A-Za-z]+)(?:\s+([\s\S]*))?$/;

/**
 * Accepts one WebSocket frame (`null` for a binary frame, which counts as malformed).
 *
 * @example
 * ```ts
 * receiveFrame(core, session, 'CAP REQ :twitch.tv/tags\r\nPASS oauth:x\r\nNICK bot\r\n');
 * ```
 */
export function receiveFrame(core: ChatCore, session: ChatSession, frame: string | null): void {
  if (frame === null) {
    core.malformedLines++;
    return;
  }
  for (const line of frame.split(/\r\n|\r|\n/)) {
    if (!line) continue;
    if (session.pending.length >= MAX_PENDING_LINES) core.malformedLines++;
    else session.pending.push(line);
  }
  drain(core, session);
}

function drain(core: ChatCore, session: ChatSession): void {
  while (!session.busy && !session.closing && session.pending.length > 0) {
    const line = session.pending.shift() as string;
    let pending: Promise<void> | undefined;
    try {
      pending = handleLine(core, session, line);
    } catch {
      core.malformedLines++;
    }
    if (pending) {
      session.busy = true;
      pending
        .catch(() => {
          core.malformedLines++;
        })
        .finally(() => {
          session.busy = false;
          drain(core, session);
        });
    }
  }
}

function record(
  core: ChatCore,
  session: ChatSession,
  msg: IrcMessage,
  extra: Partial<ChatRecord> = {},
): void {
  const r: ChatRecord = { at: core.now(), login: session.login, command: msg.command, ...extra };
  if (r.text === undefined && msg.params.length > 0) r.text = msg.params.join(' ');
  if (r.tags === undefined && Object.keys(msg.tags).length > 0) r.tags = msg.tags;
  core.record(r);
}

function handleLine(core: ChatCore, session: ChatSession, line: string): Promise<void> | undefined {
  const msg = parseIrcLine(line);
  if (!msg) {
    core.malformedLines++;
    return undefined;
  }
  switch (msg.command) {
    case 'PASS':
      session.pass = msg.params[0];
      record(core, session, msg, { text: '***' });
      return undefined;
    case 'NICK':
      record(core, session, msg);
      return handleNick(core, session, msg);
    case 'CAP':
      record(core, session, msg);
      handleCap(session, msg);
      return undefined;
    case 'PING':
      record(core, session, msg);
      session.send(
        msg.params.length === 0
          ? 'PONG :tmi.twitch.tv'
          : `:tmi.twitch.tv PONG tmi.twitch.tv :${msg.params[0]}`,
      );
      return undefined;
    case 'PONG':
    case 'USER':
      record(core, session, msg);
      return undefined;
    case 'QUIT':
      record(core, session, msg);
      session.close();
      return undefined;
  }
  if (!session.authenticated) {
    // Twitch ignores everything else until the login is done.
    record(core, session, msg);
    return undefined;
  }
  switch (msg.command) {
    case 'JOIN':
      return forEachChannel(core, session, msg, joinChannel);
    case 'PART':
      return forEachChannel(core, session, msg, partChannel);
    case 'PRIVMSG':
      return handlePrivmsg(core, session, msg);
    default:
      record(core, session, msg);
      session.send(`:tmi.twitch.tv 421 ${session.login} ${msg.command} :Unknown command`);
      return undefined;
  }
}

function forEachChannel(
  core: ChatCore,
  session: ChatSession,
  msg: IrcMessage,
  action: (core: ChatCore, session: ChatSession, msg: IrcMessage, channel: string) => void,
): undefined {
  const channels = (msg.params[0] ?? '').split(',').filter(Boolean);
  if (channels.length === 0) core.malformedLines++;
  for (const raw of channels) {
    const channel = normalizeChannel(raw);
    if (VALID_CHANNEL.test(channel)) action(core, session, msg, channel);
    else core.malformedLines++;
  }
  return undefined;
}

function joinChannel(core: ChatCore, session: ChatSession, msg: IrcMessage, name: string): void {
  const allowed = core.limits.allowJoin(session.login);
  record(core, session, msg, { channel: name, text: name, ...dropped(allowed, 'rate_limit') });
  if (!allowed) return;
  const room = core.rooms.get(name);
  const fresh = !room.members.has(session);
  room.members.add(session);
  session.channels.add(name);
  const l = session.login;
  const joinLine = `:${l}!${l}@${l}.tmi.twitch.tv JOIN ${name}`;
  session.send(joinLine);
  if (fresh && !session.anonymous) {
    for (const m of room.members) {
      if (m !== session && m.has('twitch.tv/membership')) m.send(joinLine);
    }
  }
  session.send(`:${l}.tmi.twitch.tv 353 ${l} = ${name} :${l}`);
  session.send(`:${l}.tmi.twitch.tv 366 ${l} ${name} :End of /NAMES list`);
  if (!session.has('twitch.tv/commands')) return;
  if (!session.anonymous && session.user) {
    const state = userStateTags(core.profileIn(room, session.user));
    session.sendTagged(formatTags(state), `:tmi.twitch.tv USERSTATE ${name}`);
  }
  session.sendTagged(
    formatTags(roomStateTags(core.roomIdOf(room))),
    `:tmi.twitch.tv ROOMSTATE ${name}`,
  );
}

function partChannel(core: ChatCore, session: ChatSession, msg: IrcMessage, name: string): void {
  record(core, session, msg, { channel: name, text: name });
  const room = core.rooms.find(name);
  const l = session.login;
  const partLine = `:${l}!${l}@${l}.tmi.twitch.tv PART ${name}`;
  if (room?.members.has(session) && !session.anonymous) {
    for (const m of room.members) {
      if (m !== session && m.has('twitch.tv/membership')) m.send(partLine);
    }
  }
  room?.members.delete(session);
  session.channels.delete(name);
  session.send(partLine);
}

function dropped(allowed: boolean, reason: DropReason): { dropped?: DropReason } {
  return allowed ? {} : { dropped: reason };
}

function handlePrivmsg(core: ChatCore, session: ChatSession, msg: IrcMessage): undefined {
  const target = msg.params[0];
  const raw = msg.params[1];
  if (!target || raw === undefined || !session.user) {
    core.malformedLines++;
    return undefined;
  }
  const name = normalizeChannel(target);
  if (!VALID_CHANNEL.test(name)) {
    core.malformedLines++;
    return undefined;
  }
  const base = { channel: name, text: raw };
  if (session.anonymous) {
    // Twitch ignores anonymous PRIVMSG without a word.
    record(core, session, msg, { ...base, dropped: 'anonymous' });
    return undefined;
  }
  const room = core.rooms.get(name);
  if (!core.limits.allowPrivmsg(session.login, room.isPrivileged(session.login))) {
    record(core, session, msg, { ...base, dropped: 'rate_limit' });
    if (core.rateLimitNotice) {
      session.sendTagged(
        '@msg-id=msg_ratelimit ',
        `:tmi.twitch.tv NOTICE ${name} :Your message was not sent because you are sending messages too quickly.`,
      );
    }
    return undefined;
  }
  let text = raw;
  const command = raw.startsWith('..') ? null : CHAT_COMMAND.exec(raw);
  if (command) {
    const verb = (command[1] as string).toLowerCase();
    if (verb === 'me') {
      text = `\u0001ACTION ${command[2] ?? ''}\u0001`;
    } else if (verb === 'disconnect') {
      record(core, session, msg, base);
      session.close();
      return undefined;
    } else {
      // IRC chat commands were shut down in February 2023; Twitch answers like this.
      record(core, session, msg, { ...base, dropped: 'unrecognized_command' });
      session.sendTagged(
        '@msg-id=unrecognized_cmd ',
        `:tmi.twitch.tv NOTICE ${name} :Unrecognized command: ${raw.split(' ')[0]}`,
      );
      return undefined;
    }
  }
  record(core, session, msg, base);
  const profile = core.profileIn(room, session.user);
  const id = core.deliver(room, profile, text, {
    source: 'client',
    exclude: session,
    ...optional('clientNonce', msg.tags['client-nonce']),
    ...optional('replyParentId', msg.tags['reply-parent-msg-id']),
  });
  if (session.has('twitch.tv/commands')) {
    session.sendTagged(formatTags(userStateTags(profile, id)), `:tmi.twitch.tv USERSTATE ${name}`);
  }
  return undefined;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value ? { [key]: value } : {}) as { [P in K]?: string };
}
