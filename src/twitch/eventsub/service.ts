import type { Middleware } from 'koa';
import type { Registry } from 'prom-client';
import {
  RetryJobLater,
  type CogScope,
  type Logger,
  type Store,
  type TwitchEventSub,
} from '../../../core/index.js';
import type { Storage } from '../../../core/storage.js';
import type { BotConfig } from '../../../core/config/types.js';
import { EventSubError } from './errors.js';
import { HelixSubscriptions } from './helix-subscriptions.js';
import {
  EventSubIngress,
  EVENTSUB_PATH,
  type EventSubIngressOptions,
  type IngressNotification,
} from './ingress.js';
import { normalizeCondition } from './keys.js';
import { eventSubMetrics, type EventSubMetrics } from './metrics.js';
import { Reconciler, type ReconcileReport } from './reconciler.js';
import { SubscriptionRecords, type StoredSubscription } from './records.js';
import { SubscriptionRegistry, type Wanted } from './registry.js';
import { resolveEventSubSecret } from './secret.js';
import { eventSubType, EVENTSUB_TYPES, type TwurpleRoute } from './twurple-routes.js';

/** Options of {@link EventSubService.create}. */
export interface EventSubServiceOptions {
  /**
   * The runtime's storage: subscription state goes to its `core:eventsub` namespace, accepted
   * notifications and their dedupe to `core:eventsub-inbox`.
   */
  storage: Storage;
  /** The runtime's Prometheus registry (`runtime.metrics.registry`). */
  registry: Registry;
  log: Logger;
  /** Reads `EVENTSUB_SECRET`. */
  env: Record<string, string | undefined>;
  /** Ingress limits (body size, windows, TTLs); defaults per issue 6. */
  ingress?: Partial<
    Omit<
      EventSubIngressOptions,
      'store' | 'log' | 'metrics' | 'dispatch' | 'onRevoked' | 'onVerified'
    >
  >;
  /** Debounce of subscription changes before Helix is called (default 100 ms). */
  syncDelayMs?: number;
  /**
   * How long a subscription nobody wants any more is kept before it is deleted (default 5 s):
   * cog reloads and shutdowns (cogs unmount before the process exits) keep their subscriptions.
   */
  deleteGraceMs?: number;
}

/**
 * EventSub for the whole process: one ingress on the shared server, the subscriptions every
 * bot's cogs want (shared per type + condition, refcounted) and their reconciliation with
 * Twitch, through one app-token client per Twitch app.
 *
 * @example
 * ```ts
 * const eventsub = await EventSubService.create({ storage, registry, log, env: process.env });
 * http.app.use(eventsub.routes());                       // before listen
 * await eventsub.listen(runtime.publicUrl);              // onListening
 * createBotPlatform(bot, { ..., eventsub: eventsub.facetFor(bot) });
 * await eventsub.start();                                // after every cog is set up
 * ```
 */
export class EventSubService {
  readonly registry = new SubscriptionRegistry();
  readonly helix = new HelixSubscriptions();
  readonly ingress: EventSubIngress;
  readonly reconciler: Reconciler;
  readonly metrics: EventSubMetrics;
  readonly records: SubscriptionRecords;
  readonly #store: Store;
  readonly #log: Logger;
  readonly #routes = new Map<string, TwurpleRoute>();
  readonly #bots = new Map<string, Set<string>>();
  #callbackPrefix = '';
  #started = false;
  /** Every cog set up and its routes known: a notification with no route is nobody's. */
  #routed = false;
  #timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly options: EventSubServiceOptions,
    readonly secret: string,
  ) {
    this.#store = options.storage.core('eventsub');
    this.#log = options.log.child({ component: 'eventsub' });
    this.metrics = eventSubMetrics(options.registry);
    this.records = new SubscriptionRecords(this.#store, this.registry, this.#log);
    this.ingress = new EventSubIngress({
      ...options.ingress,
      store: options.storage.core('eventsub-inbox'),
      sql: options.storage.sql,
      log: this.#log,
      metrics: this.metrics,
      dispatch: (n) => this.#dispatch(n),
      onRevoked: (id, status) => this.#revoked(id, status),
      onVerified: (id) => {
        const w = this.registry.byRoute(id);
        if (w) this.reconciler.verified(w.key);
      },
    });
    this.reconciler = new Reconciler({
      registry: this.registry,
      helix: this.helix,
      log: this.#log,
      metrics: this.metrics,
      callbackPrefix: () => this.#callbackPrefix,
      secret: () => this.secret,
      ensureRoute: (w) => this.#ensureRoute(w),
      record: (key, state) => this.records.write(key, state),
      recorded: (key) => this.records.get(key),
      botsOf: (clientId) => [...(this.#bots.get(clientId ?? '') ?? [])],
    });
  }

  /** Resolves the secret (env, storage, or a new one) and builds the service. */
  static async create(options: EventSubServiceOptions): Promise<EventSubService> {
    const store = options.storage.core('eventsub');
    const { secret } = await resolveEventSubSecret(options.env, store, options.log);
    return new EventSubService(options, secret);
  }

  /** The Koa middleware serving `/eventsub/...`; mount it before the server listens. */
  routes(): Middleware {
    return this.ingress.router().routes() as unknown as Middleware;
  }

  /**
   * Starts the ingress for `publicUrl` (`PUBLIC_URL`, the address Twitch calls): callbacks are
   * `https://<host>[/<path>]/eventsub/event/<id>`. Call once the server listens.
   */
  async listen(publicUrl: string): Promise<void> {
    let url: URL;
    try {
      url = new URL(publicUrl);
    } catch {
      throw new EventSubError(
        'EVENTSUB_BAD_PUBLIC_URL',
        `PUBLIC_URL "${publicUrl}" is not a URL`,
        'set PUBLIC_URL=https://bots.example.com',
      );
    }
    const pathPrefix = `${url.pathname.replace(/\/+$/, '')}${EVENTSUB_PATH}`;
    await this.ingress.start(url.host, this.secret, pathPrefix);
    this.#callbackPrefix = `https://${url.host}${pathPrefix}/event/`;
    this.#log.info({ callback: `${this.#callbackPrefix}<id>` }, 'eventsub: ingress ready');
    const local = /^(localhost|127\.|\[::1\]|0\.0\.0\.0)/.test(url.host);
    if (local && !this.options.env.TWURPLE_MOCK_API_PORT)
      this.#log.warn(
        `eventsub: Twitch cannot reach ${url.host}; set PUBLIC_URL to the https address Nginx serves`,
      );
  }

  /** The callback URL prefix Twitch is given (empty before {@link EventSubService.listen}). */
  get callbackPrefix(): string {
    return this.#callbackPrefix;
  }

  /** The `ctx.twitch.eventsub` facet of one bot's cogs (`deps.eventsub` of `createBotPlatform`). */
  facetFor(bot: Pick<BotConfig, 'name' | 'secrets'>): (scope: CogScope) => TwitchEventSub {
    const { clientId, clientSecret } = bot.secrets;
    if (clientId && clientSecret) {
      this.helix.addApp({ clientId, clientSecret });
      this.#bots.set(clientId, (this.#bots.get(clientId) ?? new Set()).add(bot.name));
    }
    return (scope) => ({
      on: (type, condition, handler) => {
        if (!clientId || !clientSecret)
          throw new EventSubError(
            'EVENTSUB_NO_APP',
            `bot "${bot.name}" has no Twitch app to subscribe with`,
            `set ${bot.name.toUpperCase()}_CLIENT_ID and ${bot.name.toUpperCase()}_CLIENT_SECRET`,
          );
        const clean = normalizeCondition(condition);
        const info = eventSubType(type, clean);
        const guarded = scope.guard(`eventsub:${type}`, handler as (n: unknown) => unknown);
        const added = this.registry.add(
          { type, version: info.version, condition: clean },
          clientId,
          guarded,
        );
        if (added.first && this.ingress.middleware) this.#ensureRoute(added.wanted);
        this.#scheduleSync();
        return scope.track(() => {
          if (added.remove()) this.#dropRoute(added.wanted);
          this.#scheduleSync();
        });
      },
    });
  }

  /** Initial reconciliation (call once every cog is set up); later changes sync by themselves. */
  async start(): Promise<ReconcileReport> {
    this.#started = true;
    try {
      return await this.reconciler.reconcile();
    } finally {
      this.#routed = true;
    }
  }

  /** A full reconciliation with Twitch (at startup and after a bots.yaml change). */
  reconcile(): Promise<ReconcileReport> {
    return this.reconciler.reconcile();
  }

  /** Applies pending changes now, deletions included (for tests and tooling). */
  async settled(): Promise<ReconcileReport> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    return this.reconciler.sync(0);
  }

  /**
   * Stops the ingress (503) and waits a while for the handlers running; notifications not
   * handled by then stay in the inbox for the next start. Subscriptions stay.
   */
  async stop(): Promise<void> {
    this.#started = false;
    if (this.#timer) clearTimeout(this.#timer);
    await this.ingress.stop();
  }

  #scheduleSync(delayMs = this.options.syncDelayMs ?? 100): void {
    if (!this.#started || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.reconciler.sync(this.options.deleteGraceMs ?? 5000).then(
        (report) => {
          if (report.deferredUntil)
            this.#scheduleSync(Math.max(10, report.deferredUntil - Date.now()));
        },
        (err: unknown) => this.#log.error({ err }, 'eventsub: sync failed'),
      );
    }, delayMs);
    this.#timer.unref();
  }

  #ensureRoute(w: Wanted): string {
    if (w.twurpleId && this.#routes.has(w.twurpleId)) return w.twurpleId;
    const middleware = this.ingress.middleware;
    if (!middleware) throw new Error('EventSub ingress not started: call listen() first');
    const info = EVENTSUB_TYPES[w.spec.type];
    if (!info) throw new Error(`no route for ${w.spec.type}`);
    const route = info.route(middleware, w.spec.condition);
    this.#routes.set(route.id, route);
    this.registry.setRoute(w, route.id);
    return route.id;
  }

  #dropRoute(w: Wanted): void {
    if (!w.twurpleId) return;
    this.#routes.get(w.twurpleId)?.stop();
    this.#routes.delete(w.twurpleId);
    this.registry.setRoute(w, undefined);
  }

  async #dispatch(n: IngressNotification): Promise<void> {
    const wanted = this.registry.byRoute(n.twurpleId);
    // Left in the inbox by a crash: its cog may not have registered again yet.
    if (!wanted && !this.#routed) throw new RetryJobLater(250, 'cogs are being set up');
    if (!wanted) {
      this.#log.debug(
        { route: n.twurpleId },
        'eventsub: notification for a subscription no cog wants any more',
      );
      return;
    }
    const notification = {
      id: n.messageId,
      type: n.type,
      version: n.version,
      event: n.event,
      at: n.at,
    };
    await Promise.all([...wanted.handlers].map((h) => h(notification)));
  }

  #revoked(twurpleId: string, status: string): void {
    const wanted = this.registry.byRoute(twurpleId);
    // twurple dropped its route on revocation.
    this.#routes.delete(twurpleId);
    if (!wanted) {
      this.#log.info(
        { route: twurpleId, status },
        'eventsub: a subscription nobody wants was revoked',
      );
      return;
    }
    this.registry.setRoute(wanted, undefined);
    this.records.revoked(wanted.key, status);
    const { recreate, fix } = this.reconciler.revoked(wanted.key, status);
    if (recreate) {
      this.#log.warn(
        { key: wanted.key, status },
        `eventsub: Twitch revoked ${wanted.key} (${status}); re-creating it`,
      );
      this.metrics.subscriptionOps.inc({ op: 'recreate', outcome: 'scheduled' });
      this.#ensureRoute(wanted);
      this.#scheduleSync();
    } else {
      this.#log.error(
        { key: wanted.key, status },
        `eventsub: Twitch revoked ${wanted.key} (${status}); ${fix}`,
      );
    }
  }

  /** The stored state of one subscription key. */
  stored(key: string): Promise<StoredSubscription | undefined> {
    return this.records.get(key);
  }
}
