import type { Client } from 'tmi.js';
import {
  connectTmiClient,
  disconnectTmiClient,
  type TmiTestClientOptions,
  type TwitchChatServer,
} from '../../../src/sandbox/twitch/chat/index.js';

/**
 * The tmi.js clients a test connects to a chat simulator, disconnected together when it ends.
 *
 * @example
 * ```ts
 * const clients = new TmiClients();
 * const bot = await clients.connect(chat, { username: 'mybot', channels: ['#streamer'] });
 * afterEach(() => clients.disconnectAll());
 * ```
 */
export class TmiClients {
  readonly #clients: Client[] = [];

  /** Connects the real tmi.js to `chat` ({@link connectTmiClient}) and keeps the client. */
  async connect(chat: TwitchChatServer, options: TmiTestClientOptions): Promise<Client> {
    const client = await connectTmiClient(chat, options);
    this.#clients.push(client);
    return client;
  }

  /** Disconnects every client connected so far, and forgets them. */
  async disconnectAll(): Promise<void> {
    await Promise.all(this.#clients.splice(0).map((c) => disconnectTmiClient(c)));
  }
}
