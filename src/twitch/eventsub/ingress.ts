import Router from '@koa/router';
import { EventSubMiddleware } from '@twurple/eventsub-http';
import type { Context } from 'koa';
import { captureRoutes, expressToKoa, replayRequest, type ExpressHandler } from './koa-shim.js';
import type { EventSubIngressOptions, IngressNotification } from './ingress-types.js';
import type { IngressOutcome } from './metrics.js';
import { readDeliveryContext, type DeliveryContext } from './request-context.js';
import {
  routeNotifications,
  twurpleLogger,
  twurpleRouting,
  type TwurpleRouting,
} from './twurple-hooks.js';
import {
  BodyTooLargeError,
  readBodyLimited,
  TEN_MINUTES,
  timestampVerdict,
  verifySignature,
} from './verify.js';

/**
 * Where the ingress listens: `PUBLIC_URL`'s host, and the local mount point.
 *
 * @example
 * ```ts
 * `${publicUrl}${EVENTSUB_PATH}/event/stream.online.42`; // a callback URL
 * ```
 */
export const EVENTSUB_PATH = '/eventsub';

/**
 * The EventSub webhook ingress on the shared Koa server: twurple's `EventSubMiddleware`
 * (unmanaged: we create subscriptions ourselves) mounted through a Koa shim, behind a guard
 * that refuses bodies over 64 KiB before hashing, checks the signature before anything else,
 * ignores messages older than 10 minutes and refuses ones from the future. Challenges and
 * revocations go on to twurple's handler. Notifications are answered here, for a route
 * twurple knows (else 410): the body is parsed once, the message id (and a `stream.online`'s
 * stream id) is claimed in storage, and only once that claim is committed does the 2xx go
 * out, so a restart or a second instance never handles it again; the handlers run after,
 * queued, never awaited by the acknowledgement.
 *
 * @example
 * ```ts
 * const ingress = new EventSubIngress({ store, log, metrics, dispatch, onRevoked, onVerified });
 * http.app.use(ingress.router().routes());
 * await ingress.start('bots.example.com', secret); // after the server listens
 * ingress.middleware?.onStreamOnline('42', () => {}); // routes /eventsub/event/stream.online.42
 * ```
 */
export class EventSubIngress {
  #middleware: EventSubMiddleware | undefined;
  #eventHandler: ExpressHandler | undefined;
  #routing: TwurpleRouting | undefined;
  #healthHandler: ExpressHandler | undefined;
  #secret = '';
  #pending = 0;
  #idle: (() => void)[] = [];
  #lastWarn = 0;
  #suppressed = 0;
  readonly #o: Required<Omit<EventSubIngressOptions, 'store' | 'log' | 'metrics'>> &
    Pick<EventSubIngressOptions, 'store' | 'log' | 'metrics'>;

  constructor(options: EventSubIngressOptions) {
    this.#o = {
      maxBodyBytes: 64 * 1024,
      windowMs: TEN_MINUTES,
      futureSkewMs: 60_000,
      dedupeTtlMs: 11 * 60 * 1000,
      streamDedupeTtlMs: 12 * 60 * 60 * 1000,
      maxPending: 10_000,
      ...options,
    };
  }

  /** Twurple's middleware, once started: its `onX` methods register routes. */
  get middleware(): EventSubMiddleware | undefined {
    return this.#middleware;
  }

  /** Notifications acknowledged and not yet handled. */
  get pending(): number {
    return this.#pending;
  }

  /**
   * Builds twurple's middleware for `hostName` (`PUBLIC_URL`'s host, maybe with a port) and
   * marks it ready. Call once the server listens.
   */
  async start(hostName: string, secret: string, pathPrefix = EVENTSUB_PATH): Promise<void> {
    const middleware = new EventSubMiddleware({
      managed: false,
      hostName,
      pathPrefix,
      usePathPrefixInHandlers: false,
      secret,
      logger: twurpleLogger(this.#o.log),
    });
    // Notifications never reach twurple's handler (see #notify); should one, it must not
    // land in twurple's in-memory dedupe either.
    routeNotifications(middleware, (id, _event, messageId) =>
      this.#o.log.error(
        { route: id, messageId },
        'eventsub: a notification reached twurple; dropped',
      ),
    );
    this.#routing = twurpleRouting(middleware);
    middleware.onRevoke((sub, status) => this.#o.onRevoked(sub.id, String(status)));
    middleware.onVerify((ok, sub) => ok && this.#o.onVerified(sub.id));
    for (const route of captureRoutes((r) => middleware.apply(r as never))) {
      if (route.method === 'post' && route.path === '/event/:id')
        this.#eventHandler = route.handler;
      else if (route.method === 'get' && route.path === '/') this.#healthHandler = route.handler;
    }
    if (!this.#eventHandler) throw new Error('twurple did not register POST event/:id');
    await middleware.markAsReady();
    this.#secret = secret;
    this.#middleware = middleware;
  }

  /** The Koa router serving `/eventsub/event/:id` (and twurple's `GET /eventsub` check). */
  router(): Router {
    const router = new Router({ prefix: EVENTSUB_PATH });
    router.get('/', (ctx, next) => {
      if (!this.#healthHandler) return next();
      return expressToKoa(this.#healthHandler)(ctx, next);
    });
    router.post('/event/:id', (ctx, next) => this.#receive(ctx, next));
    return router;
  }

  async #receive(ctx: Context, next: () => Promise<unknown>): Promise<void> {
    const handler = this.#eventHandler;
    if (!handler) return this.#refuse(ctx, 503, 'not_ready', 'EventSub ingress is starting');
    if (this.#pending >= this.#o.maxPending) {
      ctx.set('Retry-After', '5');
      return this.#refuse(ctx, 503, 'overloaded', 'too many notifications waiting');
    }
    let body: Buffer;
    try {
      body = await readBodyLimited(ctx.req, this.#o.maxBodyBytes);
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) throw err;
      ctx.set('Connection', 'close');
      return this.#refuse(ctx, 413, 'too_large', `body over ${this.#o.maxBodyBytes} bytes`);
    }
    const d = readDeliveryContext(ctx.req.headers);
    const signature = ctx.get('twitch-eventsub-message-signature') || undefined;
    if (!verifySignature(this.#secret, d.messageId, d.timestamp, body, signature)) {
      this.#warnBadSignature(ctx, d);
      return this.#refuse(ctx, 403, 'bad_signature', 'invalid or missing signature');
    }
    const verdict = timestampVerdict(
      d.timestamp,
      Date.now(),
      this.#o.windowMs,
      this.#o.futureSkewMs,
    );
    if (verdict === 'stale') {
      this.#count('stale');
      this.#o.log.info(
        { messageId: d.messageId, timestamp: d.timestamp },
        'eventsub: ignored a message older than 10 minutes',
      );
      ctx.status = 202;
      ctx.type = 'text/plain';
      ctx.body = 'ignored: older than 10 minutes';
      return;
    }
    if (verdict !== 'ok') {
      this.#o.log.warn(
        { messageId: d.messageId, timestamp: d.timestamp },
        `eventsub: refused a message with a ${verdict} timestamp`,
      );
      return this.#refuse(
        ctx,
        400,
        'future',
        `timestamp ${verdict === 'future' ? 'in the future' : 'unreadable'}`,
      );
    }
    if (d.messageType === 'notification') return this.#notify(ctx, d, body);
    if (d.messageType === 'webhook_callback_verification') this.#count('challenge');
    else if (d.messageType === 'revocation') this.#count('revocation');
    await expressToKoa(handler, () => replayRequest(ctx.req, body))(ctx, next);
    if (ctx.res.statusCode === 410) this.#unrouted(ctx, d);
  }

  /** A verified, fresh notification: claimed, then acknowledged, then queued for handlers. */
  async #notify(ctx: Context, d: DeliveryContext, body: Buffer): Promise<void> {
    const routing = this.#routing as TwurpleRouting;
    const route = String(ctx.params.id);
    if (await routing.hostDenied(ctx.req)) return this.#plain(ctx, 404, 'Not OK');
    if (!routing.knows(route)) {
      this.#plain(ctx, 410, 'Not OK');
      return this.#unrouted(ctx, d);
    }
    let payload: { event?: unknown; events?: { id?: unknown; data?: unknown }[] };
    try {
      payload = JSON.parse(body.toString('utf8')) as typeof payload;
    } catch {
      return this.#refuse(ctx, 400, 'bad_body', 'body is not JSON');
    }
    // Twitch's batched form carries one message id per event.
    const items = Array.isArray(payload.events)
      ? payload.events.map((e) => ({ messageId: String(e.id ?? ''), event: e.data }))
      : [{ messageId: d.messageId, event: payload.event }];
    const fresh: IngressNotification[] = [];
    for (const item of items) {
      const n: IngressNotification = {
        twurpleId: route,
        messageId: item.messageId,
        type: d.subscriptionType || route.split('.').slice(0, -1).join('.'),
        version: d.subscriptionVersion,
        event: (item.event ?? {}) as Record<string, unknown>,
        at: new Date(d.timestamp),
      };
      if (await this.#claim(n)) fresh.push(n);
    }
    this.#plain(ctx, 202, 'OK');
    for (const n of fresh) void this.#process(n);
  }

  /** Claims a notification's message id (and a stream.online's stream id); false: seen before. */
  async #claim(n: IngressNotification): Promise<boolean> {
    if (!(await this.#o.store.claim(`msg:${n.messageId}`, this.#o.dedupeTtlMs))) {
      this.#count('duplicate');
      this.#o.log.debug({ messageId: n.messageId }, 'eventsub: duplicate message id ignored');
      return false;
    }
    const streamId = n.type === 'stream.online' ? n.event.id : undefined;
    if (typeof streamId === 'string' && streamId) {
      if (!(await this.#o.store.claim(`stream:${streamId}`, this.#o.streamDedupeTtlMs))) {
        this.#count('duplicate_stream');
        this.#o.log.info(
          { messageId: n.messageId, streamId },
          'eventsub: stream.online for a stream already announced',
        );
        return false;
      }
    }
    this.#count('notification');
    return true;
  }

  #unrouted(ctx: Context, d: DeliveryContext): void {
    this.#count('rejected');
    this.#o.log.warn(
      { route: ctx.params.id, type: d.subscriptionType },
      'eventsub: delivery for a subscription nobody wants here (410); reconciliation deletes it',
    );
  }

  #plain(ctx: Context, status: number, text: string): void {
    ctx.status = status;
    ctx.type = 'text/plain';
    ctx.body = text;
  }

  #refuse(ctx: Context, status: number, outcome: IngressOutcome, message: string): void {
    this.#count(outcome);
    ctx.status = status;
    ctx.body = { error: outcome, message };
  }

  #count(outcome: IngressOutcome): void {
    this.#o.metrics.requests.inc({ outcome });
  }

  /** One warning per 10 s at most, with how many were suppressed: a flood stays a trickle. */
  #warnBadSignature(ctx: Context, d: DeliveryContext): void {
    const now = Date.now();
    if (now - this.#lastWarn < 10_000) {
      this.#suppressed++;
      return;
    }
    this.#o.log.warn(
      { ip: ctx.ip, messageId: d.messageId || undefined, suppressed: this.#suppressed },
      'eventsub: refused a request with a wrong or missing signature',
    );
    this.#lastWarn = now;
    this.#suppressed = 0;
  }

  async #process(n: IngressNotification): Promise<void> {
    this.#pending++;
    this.#o.metrics.pending.inc();
    try {
      await this.#o.dispatch(n);
    } catch (err) {
      this.#o.log.error(
        { err, messageId: n.messageId, type: n.type },
        'eventsub: handling a notification failed',
      );
    } finally {
      this.#pending--;
      this.#o.metrics.pending.dec();
      if (this.#pending === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /** Resolves when every acknowledged notification has been handled (or after `timeoutMs`). */
  async idle(timeoutMs = 10_000): Promise<void> {
    if (this.#pending === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      this.#idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Stops accepting deliveries (503) and waits for the ones in hand. */
  async stop(): Promise<void> {
    this.#eventHandler = undefined;
    await this.idle();
  }
}

export type { EventSubIngressOptions, IngressNotification } from './ingress-types.js';
