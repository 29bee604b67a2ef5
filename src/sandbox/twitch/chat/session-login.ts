/**
 * The login half of the protocol: CAP, PASS, NICK, and the welcome burst Twitch sends.
 *
 * @example
 * ```ts
 * const pending = handleNick(core, session, parseIrcLine('NICK mybot')!);
 * if (pending) await pending; // the token validator ran
 * ```
 */
import type { ChatCore } from './chat-core.js';
import type { ChatSession } from './chat-session.js';
import { SUPPORTED_CAPS } from './chat-session.js';
import { globalUserStateTags } from './chat-tags.js';
import type { IrcMessage } from './irc-line.js';
import { formatTags } from './irc-line.js';
import type { ChatUser } from './types.js';
import { normalizeLogin } from './user-directory.js';

const ANONYMOUS_LOGIN = /^justinfan\d+$/;
const VALID_LOGIN = /^[a-z0-9_]{1,25}$/;

/**
 * Whether a login is Twitch's anonymous read-only login (`justinfan` + digits).
 *
 * @example
 * ```ts
 * isAnonymousLogin('justinfan12345'); // true
 * ```
 */
export function isAnonymousLogin(login: string): boolean {
  return ANONYMOUS_LOGIN.test(login);
}

/**
 * Answers `CAP LS` and `CAP REQ` (ACK when every requested capability exists, else NAK).
 *
 * @example
 * ```ts
 * handleCap(session, parseIrcLine('CAP REQ :twitch.tv/tags twitch.tv/commands')!);
 * ```
 */
export function handleCap(session: ChatSession, msg: IrcMessage): void {
  const sub = (msg.params[0] ?? '').toUpperCase();
  if (sub === 'LS') {
    session.send(`:tmi.twitch.tv CAP * LS :${[...SUPPORTED_CAPS].join(' ')}`);
  } else if (sub === 'REQ') {
    const requested = (msg.params[1] ?? '').split(' ').filter(Boolean);
    const ok = requested.length > 0 && requested.every((c) => SUPPORTED_CAPS.has(c));
    if (ok) for (const cap of requested) session.caps.add(cap);
    session.send(`:tmi.twitch.tv CAP * ${ok ? 'ACK' : 'NAK'} :${requested.join(' ')}`);
  }
}

/**
 * Fails the login the way Twitch does: a NOTICE to `*`, then the connection closes.
 *
 * @example
 * ```ts
 * failLogin(session, 'Login authentication failed');
 * ```
 */
export function failLogin(session: ChatSession, reason: string): void {
  session.send(`:tmi.twitch.tv NOTICE * :${reason}`);
  session.close(1000, 'login failed');
}

/**
 * Completes a login: remembers the user and sends 001-004, 375/372/376 and (for accounts
 * with the commands capability) GLOBALUSERSTATE.
 *
 * @example
 * ```ts
 * completeLogin(session, { id: '1', login: 'mybot', displayName: 'MyBot' }, false);
 * ```
 */
export function completeLogin(session: ChatSession, user: ChatUser, anonymous: boolean): void {
  session.user = user;
  session.login = user.login;
  session.anonymous = anonymous;
  session.authenticated = true;
  const n = user.login;
  session.send(`:tmi.twitch.tv 001 ${n} :Welcome, GLHF!`);
  session.send(`:tmi.twitch.tv 002 ${n} :Your host is tmi.twitch.tv`);
  session.send(`:tmi.twitch.tv 003 ${n} :This server is rather new`);
  session.send(`:tmi.twitch.tv 004 ${n} :-`);
  session.send(`:tmi.twitch.tv 375 ${n} :-`);
  session.send(`:tmi.twitch.tv 372 ${n} :You are in a maze of twisty passages, all alike.`);
  session.send(`:tmi.twitch.tv 376 ${n} :>`);
  if (!anonymous && session.has('twitch.tv/commands')) {
    session.sendTagged(formatTags(globalUserStateTags(user)), ':tmi.twitch.tv GLOBALUSERSTATE');
  }
}

/**
 * Handles NICK: anonymous `justinfan…` logins pass at once; other logins need
 * `PASS oauth:…` and, when configured, the token validator's approval (the validated login
 * wins over the NICK, as the token decides who you are). Returns a promise while the
 * validator runs, so later lines wait.
 *
 * @example
 * ```ts
 * session.pass = 'oauth:abc';
 * handleNick(core, session, parseIrcLine('NICK mybot')!); // undefined: logged in synchronously
 * ```
 */
export function handleNick(
  core: ChatCore,
  session: ChatSession,
  msg: IrcMessage,
): Promise<void> | undefined {
  if (session.authenticated) return undefined;
  const nick = normalizeLogin(msg.params[0] ?? '');
  session.nick = nick;
  if (!VALID_LOGIN.test(nick)) {
    failLogin(session, 'Invalid NICK');
    return undefined;
  }
  if (isAnonymousLogin(nick)) {
    completeLogin(session, { id: '', login: nick, displayName: nick }, true);
    return undefined;
  }
  const pass = session.pass ?? '';
  if (!pass.toLowerCase().startsWith('oauth:') || pass.length <= 'oauth:'.length) {
    failLogin(session, 'Improperly formatted auth');
    return undefined;
  }
  const validate = core.validateToken;
  if (!validate) {
    completeLogin(session, core.users.resolve(nick), false);
    return undefined;
  }
  return validate(pass.slice('oauth:'.length)).then(
    (result) => {
      if (session.closing) return;
      if (!result) return failLogin(session, 'Login authentication failed');
      const login = normalizeLogin(result.login);
      completeLogin(session, { ...core.users.resolve(login), id: result.userId }, false);
    },
    () => failLogin(session, 'Login authentication failed'),
  );
}
