import type { Logger } from '../../../core/index.js';
import type { HelixSubscriptions } from './helix-subscriptions.js';
import type { EventSubMetrics } from './metrics.js';
import type { SubscriptionRegistry, Wanted } from './registry.js';

/** What we know of the Twitch side of one wanted key. */
export interface SubscriptionState {
  key: string;
  status: string;
  twitchId?: string;
  clientId?: string;
  cost?: number;
  /** Fingerprint of the secret the subscription was created with. */
  secretId?: string;
  error?: string;
  fix?: string;
  /** Do not try to create it again before this time (ms). */
  retryAt?: number;
}

/** What one reconciliation or sync did. */
export interface ReconcileReport {
  listed: number;
  kept: string[];
  created: string[];
  deleted: string[];
  recreated: string[];
  blocked: { key: string; status: string; fix: string }[];
  errors: { key?: string; code: string; message: string }[];
  /** When deletions held back by the grace period are due (ms), if any. */
  deferredUntil?: number;
}

/** What the {@link Reconciler} needs from the service. */
export interface ReconcilerDeps {
  registry: SubscriptionRegistry;
  helix: HelixSubscriptions;
  log: Logger;
  metrics: EventSubMetrics;
  /** `https://<host>/eventsub/event/`: what marks a subscription as ours. */
  callbackPrefix(): string;
  secret(): string;
  /** Registers twurple's route for a wanted key; returns its routing id. */
  ensureRoute(wanted: Wanted): string;
  /** Keeps the state where the API and operators can see it (undefined: forget it). */
  record(key: string, state: SubscriptionState | undefined): void;
  /** The state stored for a key (by this or another instance), if any. */
  recorded(key: string): Promise<SubscriptionState | undefined>;
  /** Names of the bots using a Twitch app (for the fix of an authorization problem). */
  botsOf(clientId: string | undefined): string[];
}

/**
 * A report with nothing done yet.
 *
 * @example
 * ```ts
 * const report = emptyReport();
 * report.created.push(key);
 * ```
 */
export function emptyReport(listed = 0): ReconcileReport {
  return { listed, kept: [], created: [], deleted: [], recreated: [], blocked: [], errors: [] };
}
