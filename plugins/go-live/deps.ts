import type { DurableQueue, PluginContext } from '../../core/index.js';
import type { DisabledWebhooks } from './disabled.js';
import type { GoLiveJobs } from './jobs.js';
import type { Notifier } from './notify.js';
import type { SessionStore } from './sessions.js';
import type { GoLiveSettings } from './settings.js';
import type { Targets } from './targets.js';
import type { TrackingStore } from './tracking-store.js';
import type { TwitchLookups } from './twitch-lookups.js';

/**
 * Everything the go-live parts share, built once in `setup`.
 *
 * @example
 * ```ts
 * const handlers = lifecycleHandlers(deps);
 * ```
 */
export interface GoLiveDeps {
  ctx: PluginContext;
  settings: GoLiveSettings;
  targets: Targets;
  tracking: TrackingStore;
  disabled: DisabledWebhooks;
  sessions: SessionStore;
  twitch: TwitchLookups;
  notifier: Notifier;
  /** Set right after the queue is built (handlers run only once it started). */
  queue: DurableQueue<GoLiveJobs>;
}
