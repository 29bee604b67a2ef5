import { TwitchWorld } from '../../../src/sandbox/twitch/world.js';
import { TwitchApiServer } from '../../../src/sandbox/twitch/helix/index.js';
import type { TwitchApiServerOptions } from '../../../src/sandbox/twitch/helix/index.js';
import { WebhookReceiver } from '../../../src/sandbox/twitch/eventsub/webhook-receiver.js';

/** What {@link EventSubSandbox.api} got back: the status and the parsed JSON (`{}` when empty). */
export interface EventSubReply {
  status: number;
  json: Record<string, unknown>;
}

/** A Twitch world, its Helix server and a webhook receiver that checks signatures. */
export interface EventSubSandbox {
  world: TwitchWorld;
  server: TwitchApiServer;
  receiver: WebhookReceiver;
  /**
   * Calls `/eventsub/subscriptions${query}` as the app (or with another `token`), a JSON body
   * when given.
   */
  api(method: string, query?: string, body?: unknown, token?: string): Promise<EventSubReply>;
  /** The body of a webhook subscription to `url` (default: the receiver) signed with the secret. */
  subscribeBody(
    type: string,
    version: string,
    condition: Record<string, string>,
    url?: string,
  ): unknown;
  /** Closes the server and the receiver. */
  close(): Promise<void>;
}

/**
 * Starts a world with the app `clientId`, a receiver for `secret` and a Helix server with the
 * given options, for the EventSub subscription and sender contract tests.
 *
 * @example
 * ```ts
 * const es = await startEventSubSandbox({ clientId: 'c', secret: 'webhook-secret-42' });
 * const b = es.world.ensureUser('alpha');
 * await es.api('POST', '', es.subscribeBody('stream.online', '1', { broadcaster_user_id: b.id }));
 * await es.close();
 * ```
 */
export async function startEventSubSandbox(options: {
  clientId: string;
  secret: string;
  server?: Omit<TwitchApiServerOptions, 'world'>;
}): Promise<EventSubSandbox> {
  const { clientId, secret } = options;
  const world = new TwitchWorld();
  world.createApp({ clientId, clientSecret: 'x' });
  const receiver = await WebhookReceiver.start({ secret });
  const server = await TwitchApiServer.start({ world, ...options.server });
  const appToken = world.auth.issueAppToken(clientId).access_token;
  return {
    world,
    server,
    receiver,
    async api(method, query = '', body, token = appToken) {
      const res = await fetch(`http://127.0.0.1:${server.port}/eventsub/subscriptions${query}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          'Client-Id': clientId,
          'Content-Type': 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return {
        status: res.status,
        json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
    },
    subscribeBody(type, version, condition, url = receiver.url) {
      return { type, version, condition, transport: { method: 'webhook', callback: url, secret } };
    },
    async close() {
      await server.close();
      await receiver.close();
    },
  };
}
