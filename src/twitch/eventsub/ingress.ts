import Router from '@koa/router';
import { EventSubMiddleware } from '@twurple/eventsub-http';
import type { Context } from 'koa';
import { captureRoutes, expressToKoa, replayRequest, type ExpressHandler } from './koa-shim.js';
import type { EventSubIngressOptions, IngressNotification } from './ingress-types.js';
import type { IngressOutcome } from './metrics.js';
import { deliveryContext, readDeliveryContext, type DeliveryContext } from './request-context.js';
import { routeNotifications, twurpleLogger } from './twurple-hooks.js';
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
 * ignores messages older than 10 minutes and refuses ones from the future. Notifications are
 * claimed by message id in storage (and `stream.online` by stream id) after the 2xx went out,
 * then handed to `dispatch`.
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
    routeNotifications(middleware, (id, event, messageId) => this.#accept(id, event, messageId));
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
    if (d.messageType === 'webhook_callback_verification') this.#count('challenge');
    else if (d.messageType === 'revocation') this.#count('revocation');
    await deliveryContext.run(d, () =>
      expressToKoa(handler, () => replayRequest(ctx.req, body))(ctx, next),
    );
    if (ctx.res.statusCode === 410) {
      this.#count('rejected');
      this.#o.log.warn(
        { route: ctx.params.id, type: d.subscriptionType },
        'eventsub: delivery for a subscription nobody wants here (410); reconciliation deletes it',
      );
    }
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

  #accept(twurpleId: string, event: Record<string, unknown>, messageId: string): void {
    const d = deliveryContext.getStore();
    void this.#process({
      twurpleId,
      messageId,
      type: d?.subscriptionType ?? twurpleId.split('.').slice(0, -1).join('.'),
      version: d?.subscriptionVersion ?? '',
      event,
      at: new Date(d?.timestamp ?? Date.now()),
    });
  }

  async #process(n: IngressNotification): Promise<void> {
    this.#pending++;
    this.#o.metrics.pending.inc();
    try {
      if (!(await this.#o.store.claim(`msg:${n.messageId}`, this.#o.dedupeTtlMs))) {
        this.#count('duplicate');
        this.#o.log.debug({ messageId: n.messageId }, 'eventsub: duplicate message id ignored');
        return;
      }
      const streamId = n.type === 'stream.online' ? n.event.id : undefined;
      if (typeof streamId === 'string' && streamId) {
        if (!(await this.#o.store.claim(`stream:${streamId}`, this.#o.streamDedupeTtlMs))) {
          this.#count('duplicate_stream');
          this.#o.log.info(
            { messageId: n.messageId, streamId },
            'eventsub: stream.online for a stream already announced',
          );
          return;
        }
      }
      this.#count('notification');
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
