import { createHash } from 'node:crypto';
import type { TwitchSubscription } from './helix-subscriptions.js';
import { subscriptionKey } from './keys.js';
import {
  emptyReport,
  type ReconcileReport,
  type ReconcilerDeps,
  type SubscriptionState,
} from './reconcile-types.js';
import type { Wanted } from './registry.js';
import { ACTIVE, budgetErrors, createFailure, fixFor, RECREATE } from './status-rules.js';

/**
 * Brings Twitch's EventSub subscriptions in line with what cogs want. `reconcile()` lists every
 * app's subscriptions (paginated), adopts ours, deletes orphans and duplicates, re-creates those
 * revoked for `notification_failures_exceeded`, marks `authorization_revoked` ones (with what
 * to do) and then runs `sync()`, which creates what is missing and deletes what nobody wants.
 * Calls are serialised.
 *
 * @example
 * ```ts
 * const reconciler = new Reconciler(deps);
 * const report = await reconciler.reconcile();
 * report.created; // ['stream.online@1?broadcaster_user_id=42']
 * ```
 */
export class Reconciler {
  readonly #known = new Map<string, SubscriptionState>();
  readonly #budget = new Map<string, { totalCost: number; maxTotalCost: number }>();
  readonly #unwantedSince = new Map<string, number>();
  readonly #authRevoked = new Set<string>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ReconcilerDeps) {}

  #secretId(): string {
    return createHash('sha256').update(this.deps.secret()).digest('hex').slice(0, 16);
  }

  /** The known state of every key (for operators and tests). */
  states(): SubscriptionState[] {
    return [...this.#known.values()];
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Full reconciliation against Helix, then {@link Reconciler.sync}. */
  reconcile(): Promise<ReconcileReport> {
    return this.#serial(async () => {
      const report = emptyReport();
      const prefix = this.deps.callbackPrefix();
      this.#known.clear();
      for (const clientId of this.deps.helix.apps()) {
        let listing;
        try {
          listing = await this.deps.helix.list(clientId);
        } catch (err) {
          report.errors.push({
            code: 'EVENTSUB_LIST_FAILED',
            message: `${clientId}: ${String(err)}`,
          });
          this.deps.log.error({ err, clientId }, 'eventsub: listing subscriptions failed');
          continue;
        }
        this.#budget.set(clientId, {
          totalCost: listing.totalCost,
          maxTotalCost: listing.maxTotalCost,
        });
        for (const sub of listing.subscriptions) {
          if (!sub.callback.startsWith(prefix)) continue;
          report.listed++;
          await this.#classify(sub, report);
        }
      }
      await this.#sync(report);
      this.deps.log.info(
        {
          listed: report.listed,
          kept: report.kept.length,
          created: report.created.length,
          deleted: report.deleted.length,
          recreated: report.recreated.length,
          blocked: report.blocked.length,
          errors: report.errors.length,
        },
        'eventsub: subscriptions reconciled',
      );
      return report;
    });
  }

  /**
   * Creates what is wanted and missing, deletes what is known and no longer wanted for at least
   * `graceMs` (a cog reloading, or the process shutting down, does not delete subscriptions).
   */
  sync(graceMs = 0): Promise<ReconcileReport> {
    return this.#serial(async () => {
      const report = emptyReport();
      await this.#sync(report, graceMs);
      return report;
    });
  }

  /** Twitch revoked a subscription: re-create it, or mark it blocked with the fix. */
  revoked(key: string, status: string): { recreate: boolean; fix?: string } {
    const state = this.#known.get(key);
    if (RECREATE.has(status)) {
      this.#known.delete(key);
      this.deps.record(key, { key, status, twitchId: state?.twitchId, clientId: state?.clientId });
      return { recreate: true };
    }
    const fix = fixFor(key, status, state?.clientId, this.deps.botsOf(state?.clientId));
    const next: SubscriptionState = {
      key,
      status,
      clientId: state?.clientId,
      twitchId: state?.twitchId,
      fix,
    };
    this.#known.set(key, next);
    this.deps.record(key, next);
    return { recreate: false, fix };
  }

  /** The challenge for a key was answered. */
  verified(key: string): void {
    const state = this.#known.get(key);
    if (!state || state.status === 'enabled') return;
    state.status = 'enabled';
    this.deps.record(key, state);
  }

  async #classify(sub: TwitchSubscription, report: ReconcileReport): Promise<void> {
    const key = subscriptionKey(sub);
    const wanted = this.deps.registry.get(key);
    const seen = this.#known.get(key);
    if (!wanted || (seen && ACTIVE.has(seen.status))) {
      if (await this.#delete(sub.clientId, sub.id, key, wanted ? 'duplicate' : 'orphan'))
        report.deleted.push(key);
      return;
    }
    if (ACTIVE.has(sub.status)) {
      const recorded = await this.deps.recorded(key);
      if (recorded?.twitchId !== sub.id || recorded.secretId !== this.#secretId()) {
        // Made with a secret we cannot vouch for (storage lost, EVENTSUB_SECRET changed):
        // its deliveries would fail the signature check, so make it again.
        if (await this.#delete(sub.clientId, sub.id, key, 'unknown-secret'))
          report.recreated.push(key);
        return;
      }
      this.#known.set(key, { ...recorded, status: sub.status, clientId: sub.clientId });
      report.kept.push(key);
      return;
    }
    if (RECREATE.has(sub.status) || sub.status === 'version_removed') {
      if (await this.#delete(sub.clientId, sub.id, key, sub.status)) report.recreated.push(key);
      return;
    }
    const fix = fixFor(key, sub.status, sub.clientId, this.deps.botsOf(sub.clientId));
    const state = { key, status: sub.status, twitchId: sub.id, clientId: sub.clientId, fix };
    this.deps.log.error({ key, status: sub.status }, `eventsub: ${key} is ${sub.status}; ${fix}`);
    if (
      sub.status === 'authorization_revoked' &&
      (await this.#delete(sub.clientId, sub.id, key, sub.status))
    ) {
      // Maybe authorized again since: sync creates it; Twitch answers 403 while it is not.
      this.#authRevoked.add(key);
      return;
    }
    this.#known.set(key, state);
    this.deps.record(key, state);
    report.blocked.push({ key, status: sub.status, fix });
  }

  async #sync(report: ReconcileReport, graceMs = 0): Promise<void> {
    const wanted = this.deps.registry.all();
    const wantedKeys = new Set(wanted.map((w) => w.key));
    const now = Date.now();
    for (const key of this.#unwantedSince.keys())
      if (wantedKeys.has(key)) this.#unwantedSince.delete(key);
    for (const [key, state] of [...this.#known]) {
      if (wantedKeys.has(key)) continue;
      const since = this.#unwantedSince.get(key) ?? now;
      this.#unwantedSince.set(key, since);
      if (now - since < graceMs) {
        report.deferredUntil = Math.min(report.deferredUntil ?? Infinity, since + graceMs);
        continue;
      }
      this.#unwantedSince.delete(key);
      this.#known.delete(key);
      if (state.twitchId && state.clientId)
        await this.#delete(state.clientId, state.twitchId, key, 'unwanted');
      this.deps.record(key, undefined);
      report.deleted.push(key);
    }
    const missing = wanted.filter((w) => {
      const s = this.#known.get(w.key);
      return !s || (s.retryAt !== undefined && s.retryAt <= Date.now());
    });
    for (const err of budgetErrors(missing, this.#budget)) {
      report.errors.push({ code: err.code, message: err.message });
      this.deps.log.error(err.message);
    }
    for (const w of missing) await this.#create(w, report);
  }

  async #create(w: Wanted, report: ReconcileReport): Promise<void> {
    const clientId = w.apps[0];
    if (!clientId) return;
    const routeId = this.deps.ensureRoute(w);
    try {
      const sub = await this.deps.helix.create(clientId, w.spec, {
        callback: `${this.deps.callbackPrefix()}${routeId}`,
        secret: this.deps.secret(),
      });
      const state = {
        key: w.key,
        status: sub.status,
        twitchId: sub.id,
        clientId,
        cost: sub.cost,
        secretId: this.#secretId(),
      };
      this.#known.set(w.key, state);
      this.deps.record(w.key, state);
      const budget = this.#budget.get(clientId);
      if (budget) budget.totalCost += sub.cost;
      report.created.push(w.key);
      this.#authRevoked.delete(w.key);
      this.deps.metrics.subscriptionOps.inc({ op: 'create', outcome: 'ok' });
    } catch (err) {
      this.deps.metrics.subscriptionOps.inc({ op: 'create', outcome: 'error' });
      this.#createFailed(w, clientId, err, report);
    }
  }

  #createFailed(w: Wanted, clientId: string, err: unknown, report: ReconcileReport): void {
    const { state, blocked, error } = createFailure(
      w.key,
      clientId,
      err,
      this.deps.botsOf(clientId),
    );
    if (blocked && this.#authRevoked.delete(w.key))
      blocked.status = state.status = 'authorization_revoked';
    if (blocked) report.blocked.push(blocked);
    if (error) report.errors.push(error);
    if (state.error)
      this.deps.log.error(
        { key: w.key, clientId },
        `eventsub: creating ${w.key} failed: ${state.error}${state.fix ? `; ${state.fix}` : ''}`,
      );
    this.#known.set(w.key, state);
    // 409: another instance made it and keeps its record; do not overwrite that.
    if (state.error || blocked) this.deps.record(w.key, state);
  }

  async #delete(clientId: string, id: string, key: string, why: string): Promise<boolean> {
    try {
      await this.deps.helix.delete(clientId, id);
      this.deps.metrics.subscriptionOps.inc({ op: 'delete', outcome: 'ok' });
      this.deps.log.info({ key, id, why }, `eventsub: deleted ${why} subscription ${key}`);
      return true;
    } catch (err) {
      this.deps.metrics.subscriptionOps.inc({ op: 'delete', outcome: 'error' });
      this.deps.log.error({ err, key, id, why }, `eventsub: deleting subscription ${key} failed`);
      return false;
    }
  }
}

export type { ReconcileReport, ReconcilerDeps, SubscriptionState } from './reconcile-types.js';
