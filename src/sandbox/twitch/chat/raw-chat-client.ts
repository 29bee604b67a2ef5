import { WebSocket } from 'ws';
import { waitFor } from './wait-for.js';

/**
 * Options of {@link RawChatClient.connect}.
 *
 * @example
 * ```ts
 * const options: RawChatClientOptions = { login: 'viewer', keepLines: false };
 * ```
 */
export interface RawChatClientOptions {
  /** Logs in with CAP REQ (all three caps), PASS and NICK when given. */
  login?: string;
  /** Keep every received line in `lines` (default true; turn off for benchmarks). */
  keepLines?: boolean;
}

/**
 * A bare IRC-over-WebSocket client for tests and benchmarks that need the exact wire lines.
 *
 * @example
 * ```ts
 * const raw = await RawChatClient.connect(chat.url, { login: 'viewer' });
 * raw.send('JOIN #streamer');
 * await raw.waitForLine((l) => l.includes('ROOMSTATE #streamer'));
 * await raw.close();
 * ```
 */
export class RawChatClient {
  readonly ws: WebSocket;
  readonly lines: string[] = [];
  /** Lines received so far (counted even when not kept). */
  lineCount = 0;
  readonly #keep: boolean;
  readonly #listeners = new Set<(line: string) => void>();

  private constructor(ws: WebSocket, keep: boolean) {
    this.ws = ws;
    this.#keep = keep;
    ws.on('message', (data) => {
      for (const line of String(data).split('\r\n')) {
        if (!line) continue;
        this.lineCount++;
        if (this.#keep) this.lines.push(line);
        for (const listener of this.#listeners) listener(line);
      }
    });
  }

  /** Opens the socket (subprotocol `irc`), logs in when `login` is given, waits for 376. */
  static async connect(url: string, options: RawChatClientOptions = {}): Promise<RawChatClient> {
    const ws = new WebSocket(url, 'irc');
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const client = new RawChatClient(ws, options.keepLines ?? true);
    if (options.login) {
      const welcome = client.nextLine((l) => / 376 /.test(l));
      client.send('CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership');
      client.send(`PASS oauth:${options.login}-token`);
      client.send(`NICK ${options.login}`);
      await welcome;
    }
    return client;
  }

  /** Sends one line (CR LF added). */
  send(line: string): void {
    this.ws.send(line + '\r\n');
  }

  /** Calls `listener` for every line from now on; returns a function that stops it. */
  onLine(listener: (line: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves with the next line (from now on) that matches, or rejects after `timeoutMs`. */
  nextLine(match: (line: string) => boolean, timeoutMs = 5000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`RawChatClient: no matching line within ${timeoutMs} ms`));
      }, timeoutMs);
      const stop = this.onLine((line) => {
        if (!match(line)) return;
        clearTimeout(timer);
        stop();
        resolve(line);
      });
    });
  }

  /** Resolves with the first kept line (received so far or later) that matches. */
  waitForLine(match: (line: string) => boolean, timeoutMs = 5000): Promise<string> {
    return waitFor(() => this.lines.find(match), { timeoutMs, what: 'a matching line' });
  }

  /** Closes the socket and waits until it is closed. */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
    this.ws.close();
    await closed;
  }
}
