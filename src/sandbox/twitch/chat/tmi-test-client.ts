import tmi from 'tmi.js';

/**
 * Options of {@link connectTmiClient}.
 *
 * @example
 * ```ts
 * const options: TmiTestClientOptions = { username: 'mybot', channels: ['#streamer'] };
 * ```
 */
export interface TmiTestClientOptions {
  /** Account login; omitted = anonymous (`justinfan12345`). */
  username?: string;
  /** Default `oauth:<username>-token`. */
  password?: string;
  /** Joined one by one after connecting. */
  channels?: string[];
}

/**
 * Connects the real tmi.js to a local chat simulator with the settings our sandbox needs
 * (plain ws on 127.0.0.1, no reconnect, no emote-set HTTP lookups) and joins channels.
 *
 * @example
 * ```ts
 * const bot = await connectTmiClient(chat, { username: 'mybot', channels: ['#streamer'] });
 * await bot.say('#streamer', 'hello');
 * await disconnectTmiClient(bot);
 * ```
 */
export async function connectTmiClient(
  chat: { port: number },
  options: TmiTestClientOptions = {},
): Promise<tmi.Client> {
  const username = options.username ?? 'justinfan12345';
  const client = new tmi.Client({
    options: { skipUpdatingEmotesets: true },
    connection: { server: '127.0.0.1', port: chat.port, secure: false, reconnect: false },
    identity: {
      username,
      ...(options.username ? { password: options.password ?? `oauth:${username}-token` } : {}),
    },
  });
  await client.connect();
  for (const channel of options.channels ?? []) await client.join(channel);
  return client;
}

/**
 * Disconnects a tmi.js client if its socket is still open (safe to call twice).
 *
 * @example
 * ```ts
 * afterEach(() => disconnectTmiClient(bot));
 * ```
 */
export async function disconnectTmiClient(client: tmi.Client | undefined): Promise<void> {
  if (client && client.readyState() === 'OPEN') await client.disconnect();
}

/**
 * The state tmi.js keeps from USERSTATE (per channel) and GLOBALUSERSTATE, which
 * @types/tmi.js does not declare.
 *
 * @example
 * ```ts
 * tmiState(bot).userstate['#streamer']?.mod; // true once the bot is moderator there
 * ```
 */
export interface TmiClientState {
  userstate: Record<string, tmi.ChatUserstate | undefined>;
  globaluserstate: tmi.ChatUserstate;
}

/**
 * Typed access to {@link TmiClientState} of a tmi.js client.
 *
 * @example
 * ```ts
 * tmiState(bot).globaluserstate['user-id'];
 * ```
 */
export function tmiState(client: tmi.Client): TmiClientState {
  return client as unknown as TmiClientState;
}
