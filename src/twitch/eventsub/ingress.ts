import Router from '@koa/router';
import { EventSubMiddleware } from '@twurple/eventsub-http';
import type { Context } from 'koa';
import { EventSubInbox, type InboxVerdict } from './inbox.js';
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
 * twurple knows (else 410): the body is parsed once and each notification is written to the
 * durable {@link EventSubInbox} (a job queue in storage, keyed by message id, or stream id for
 * `stream.online`), and only once that write is committed does the 2xx go out. A restart or a
 * second instance never handles it again, and a process killed after the 2xx loses nothing:
 * the inbox runs it after the restart, or another instance on the same Redis takes it over
 * once its lease lapsed. The handlers run from the inbox, in this process at once (bounded
 * concurrency), never awaited by the acknowledgement; one that throws is logged, not retried.
 *
 * @example
 * ```ts
 * const ingress = new EventSubIngress({ store, log, metrics, dispatch, onRevoked, onVerified });
 * http.app.use(ingress.router().routes());
 * await ingress.start('bots.example.com', secret); // after the server listens; starts the inbox
 * ingress.middleware?.onStreamOnline('42', () => {}); // routes /eventsub/event/stream.online.42
 * await ingress.stop(); // 503 from now on; unhandled notifications stay in the inbox
 * ```
 */
export class EventSubIngress {
  #middleware: EventSubMiddleware | undefined;
  #eventHandler: ExpressHandler | undefined;
  #routing: TwurpleRouting | undefined;
  #healthHandler: ExpressHandler | undefined;
  #secret = '';
  readonly #inbox: EventSubInbox;
  #lastWarn = 0;
  #suppressed = 0;
  readonly #o: Required<Omit<EventSubIngressOptions, 'store' | 'sql' | 'log' | 'metrics'>> &
    Pick<EventSubIngressOptions, 'store' | 'sql' | 'log' | 'metrics'>;

  constructor(options: EventSubIngressOptions) {
    this.#o = {
      maxBodyBytes: 64 * 1024,
      windowMs: TEN_MINUTES,
      futureSkewMs: 60_000,
      dedupeTtlMs: 11 * 60 * 1000,
      streamDedupeTtlMs: 12 * 60 * 60 * 1000,
      maxPending: 10_000,
      inboxRetentionMs: 60 * 60 * 1000,
      inboxLeaseMs: 60_000,
      inboxConcurrency: 64,
      ...options,
    };
    this.#inbox = new EventSubInbox({
      store: this.#o.store,
      sql: this.#o.sql,
      log: this.#o.log,
      metrics: this.#o.metrics,
      dispatch: (n) => this.#o.dispatch(n),
      dedupeTtlMs: this.#o.dedupeTtlMs,
      streamDedupeTtlMs: this.#o.streamDedupeTtlMs,
      retentionMs: this.#o.inboxRetentionMs,
      leaseMs: this.#o.inboxLeaseMs,
      concurrency: this.#o.inboxConcurrency,
    });
  }

  /** Twurple's middleware, once started: its `onX` methods register routes. */
  get middleware(): EventSubMiddleware | undefined {
    return this.#middleware;
  }

  /** Notifications this instance acknowledged and that are not handled yet. */
  get pending(): number {
    return this.#inbox.pending;
  }

  /**
   * Builds twurple's middleware for `hostName` (`PUBLIC_URL`'s host, maybe with a port), marks
   * it ready and starts the inbox (notifications left by a crash run now). Call once the
   * server listens.
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
    await this.#inbox.start();
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
    if (this.pending >= this.#o.maxPending) {
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

  /** A verified, fresh notification: written to the inbox, then acknowledged. */
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
    for (const item of items) {
      const n: IngressNotification = {
        twurpleId: route,
        messageId: item.messageId,
        type: d.subscriptionType || route.split('.').slice(0, -1).join('.'),
        version: d.subscriptionVersion,
        event: (item.event ?? {}) as Record<string, unknown>,
        at: new Date(d.timestamp),
      };
      if (!this.#eventHandler)
        return this.#refuse(ctx, 503, 'not_ready', 'EventSub ingress is stopping');
      this.#accepted(n, await this.#inbox.accept(n));
    }
    this.#plain(ctx, 202, 'OK');
  }

  #accepted(n: IngressNotification, verdict: InboxVerdict): void {
    if (verdict === 'accepted') return this.#count('notification');
    this.#count(verdict);
    if (verdict === 'duplicate')
      this.#o.log.debug({ messageId: n.messageId }, 'eventsub: duplicate message id ignored');
    else
      this.#o.log.info(
        { messageId: n.messageId, streamId: n.event.id },
        'eventsub: stream.online for a stream already announced',
      );
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

  /** Resolves when nothing acknowledged is being handled here (or after `timeoutMs`). */
  idle(timeoutMs = 10_000): Promise<void> {
    return this.#inbox.idle(timeoutMs);
  }

  /**
   * Stops accepting deliveries (503) and waits up to `drainMs` for the handlers running; the
   * notifications not handled by then stay in the inbox for the next start (or another
   * instance).
   */
  async stop(drainMs = 10_000): Promise<void> {
    this.#eventHandler = undefined;
    await this.#inbox.stop(drainMs);
  }
}

export type { EventSubIngressOptions, IngressNotification } from './ingress-types.js';
