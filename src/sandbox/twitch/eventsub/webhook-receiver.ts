import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { signEventSub } from './signing.js';

/** One webhook POST the receiver got. */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  messageType: string;
  subscriptionType: string;
  body: string;
  json: {
    challenge?: string;
    subscription: Record<string, unknown>;
    event?: Record<string, unknown>;
  };
  /** Whether the signature matched the receiver's secret (null when it has none). */
  signatureValid: boolean | null;
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

function checkSignature(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const expected = signEventSub(
    secret,
    header(headers, 'twitch-eventsub-message-id'),
    header(headers, 'twitch-eventsub-message-timestamp'),
    body,
  );
  const given = header(headers, 'twitch-eventsub-message-signature');
  return (
    given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected))
  );
}

/**
 * A loopback EventSub webhook endpoint for tests and the console: records every delivery,
 * checks signatures, echoes verification challenges and answers everything else with
 * {@link WebhookReceiver.reply}.
 *
 * @example
 * ```ts
 * const receiver = await WebhookReceiver.start({ secret: 'webhook-secret-42' });
 * // subscribe with transport { method: 'webhook', callback: receiver.url, secret: 'webhook-secret-42' }
 * receiver.events('stream.online'); // event objects received so far
 * await receiver.close();
 * ```
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Status for notifications/revocations; `echoChallenge: false` makes verification fail. */
  reply = { status: 204, echoChallenge: true };

  private readonly server: Server;

  private constructor(private readonly secret: string | undefined) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answer = this.record(req.headers, Buffer.concat(chunks).toString('utf8'));
        res.writeHead(answer.status, { 'Content-Type': 'text/plain' }).end(answer.text);
      });
    });
  }

  /**
   * Listens on 127.0.0.1 with a free port.
   *
   * @example
   * ```ts
   * const receiver = await WebhookReceiver.start();
   * ```
   */
  static async start(opts: { secret?: string } = {}): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(opts.secret);
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** The callback URL (`http://127.0.0.1:<port>/hook`). @example `receiver.url` */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** `event` objects of notifications of one subscription type. @example `receiver.events('channel.cheer')` */
  events(subscriptionType: string): Array<Record<string, unknown>> {
    return this.received
      .filter((r) => r.messageType === 'notification' && r.subscriptionType === subscriptionType)
      .map((r) => r.json.event ?? {});
  }

  /** Deliveries of one message type. @example `receiver.ofType('revocation')` */
  ofType(messageType: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.messageType === messageType);
  }

  /** Forgets what was received and restores the default reply. @example `receiver.reset()` */
  reset(): void {
    this.received.length = 0;
    this.reply = { status: 204, echoChallenge: true };
  }

  /** Stops listening. @example `await receiver.close()` */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private record(headers: IncomingHttpHeaders, body: string): { status: number; text: string } {
    let json: ReceivedWebhook['json'];
    try {
      json = JSON.parse(body) as ReceivedWebhook['json'];
    } catch {
      return { status: 400, text: 'bad json' };
    }
    const messageType = header(headers, 'twitch-eventsub-message-type');
    this.received.push({
      headers,
      messageType,
      subscriptionType: header(headers, 'twitch-eventsub-subscription-type'),
      body,
      json,
      signatureValid: this.secret === undefined ? null : checkSignature(this.secret, headers, body),
    });
    if (messageType === 'webhook_callback_verification') {
      return this.reply.echoChallenge
        ? { status: 200, text: json.challenge ?? '' }
        : { status: 403, text: 'no' };
    }
    return { status: this.reply.status, text: '' };
  }
}
