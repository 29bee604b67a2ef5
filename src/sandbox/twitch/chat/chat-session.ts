import { WebSocket } from 'ws';
import type { ChatUser } from './types.js';

/** Flush the outgoing buffer at once when it grows past this many characters. */
const FLUSH_AT_CHARS = 64 * 1024;

/**
 * Twitch capabilities a client can request with `CAP REQ`.
 *
 * @example
 * ```ts
 * const cap: TwitchCapability = 'twitch.tv/tags';
 * ```
 */
export type TwitchCapability = 'twitch.tv/tags' | 'twitch.tv/commands' | 'twitch.tv/membership';

/**
 * The capabilities Twitch chat offers.
 *
 * @example
 * ```ts
 * SUPPORTED_CAPS.has('twitch.tv/tags'); // true
 * ```
 */
export const SUPPORTED_CAPS: ReadonlySet<string> = new Set<TwitchCapability>([
  'twitch.tv/tags',
  'twitch.tv/commands',
  'twitch.tv/membership',
]);

/**
 * One client connection: its login state, capabilities, joined channels and an outgoing
 * buffer. Lines written in the same tick go out together in one WebSocket frame separated
 * by CR LF (Twitch does the same; tmi.js splits frames on CR LF).
 *
 * @example
 * ```ts
 * const session = new ChatSession(ws);
 * session.sendTagged('@badges= ', ':tmi.twitch.tv USERSTATE #chan'); // tags only if the cap was requested
 * ```
 */
export class ChatSession {
  readonly ws: WebSocket;
  /** Login once NICK (and the token check) succeeded; `*` before. */
  login = '*';
  nick: string | undefined;
  /** Raw PASS parameter. */
  pass: string | undefined;
  user: ChatUser | undefined;
  anonymous = false;
  authenticated = false;
  /** Set while the token validator runs, and once the session is closing. */
  busy = false;
  closing = false;
  readonly caps = new Set<string>();
  readonly channels = new Set<string>();
  /** Received lines not handled yet (they wait while the token validator runs). */
  readonly pending: string[] = [];
  readonly #out: string[] = [];
  #outChars = 0;
  #flushQueued = false;

  constructor(ws: WebSocket) {
    this.ws = ws;
  }

  /** Whether the client asked for a Twitch capability. */
  has(cap: TwitchCapability): boolean {
    return this.caps.has(cap);
  }

  /** Queues one line (no CR LF). */
  send(line: string): void {
    if (this.closing || this.ws.readyState !== WebSocket.OPEN) return;
    this.#out.push(line);
    this.#outChars += line.length + 2;
    if (this.#outChars >= FLUSH_AT_CHARS) this.flush();
    else if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Queues `tagPart + body`, dropping the tags when the client did not request them. */
  sendTagged(tagPart: string, body: string): void {
    this.send(this.caps.has('twitch.tv/tags') ? tagPart + body : body);
  }

  /** Writes the buffered lines as one frame. */
  flush(): void {
    this.#flushQueued = false;
    if (this.#out.length === 0) return;
    const frame = this.#out.join('\r\n') + '\r\n';
    this.#out.length = 0;
    this.#outChars = 0;
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  /** Flushes, then closes the socket; later sends are ignored. */
  close(code = 1000, reason = ''): void {
    this.flush();
    this.closing = true;
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code, reason);
    }
  }
}
