import { parseWebhookUrl, type WebhookRef } from '../../core/index.js';
import type { DisabledWebhooks } from './disabled.js';
import type { GoLiveSettings, PostOptions, TargetSettings } from './settings.js';
import type { ChannelTracking, TrackingOwner, TrackingStore } from './tracking-store.js';

/**
 * One place a streamer's go-live is posted: a webhook, and how to post there (the cog's
 * defaults with the target's overrides applied).
 *
 * @example
 * ```ts
 * const t: Target = { id: '9', login: 'shroud', hook: { id: '9', token: 't' }, source: 'config', options: {} };
 * ```
 */
export interface Target {
  /** The webhook id: unique per streamer, part of every idempotency key. */
  id: string;
  login: string;
  hook: WebhookRef;
  channelId?: string;
  guildId?: string;
  source: 'config' | 'api' | 'discord';
  owner?: TrackingOwner;
  options: PostOptions;
}

const OPTION_KEYS = [
  'message',
  'embed',
  'roles',
  'everyone',
  'on_end',
  'edit_on_change',
  'games',
  'title_match',
  'ignore_reruns',
] as const;

/** The cog-wide defaults with `override`'s set values on top (embeds merge field by field). */
function merge(defaults: PostOptions, override: Partial<PostOptions>): PostOptions {
  const out: PostOptions = { ...defaults };
  for (const k of OPTION_KEYS)
    if (override[k] !== undefined) Object.assign(out, { [k]: override[k] });
  if (defaults.embed || override.embed) out.embed = { ...defaults.embed, ...override.embed };
  return out;
}

function hookOf(t: TargetSettings): WebhookRef {
  return typeof t.webhook === 'string' ? (parseWebhookUrl(t.webhook) as WebhookRef) : t.webhook;
}

/**
 * Every target of every streamer: bots.yaml's (fixed while the cog runs) and the channels
 * tracked through the API or `/live add` (read from storage), minus webhooks that are gone.
 * A webhook listed twice for one streamer counts once (bots.yaml wins).
 *
 * @example
 * ```ts
 * const targets = new Targets(settings, tracking, disabled);
 * for (const t of await targets.forStreamer('shroud')) await post(t);
 * ```
 */
export class Targets {
  readonly defaults: PostOptions;
  readonly #config = new Map<string, Target[]>();

  constructor(
    settings: GoLiveSettings,
    private readonly tracking: TrackingStore,
    private readonly disabled: DisabledWebhooks,
  ) {
    this.defaults = merge({}, settings);
    for (const [rawLogin, entry] of Object.entries(settings.streamers)) {
      const login = rawLogin.toLowerCase();
      const list = Array.isArray(entry) ? entry : [entry];
      const targets = new Map<string, Target>();
      for (const t of list) {
        const hook = hookOf(t);
        targets.set(hook.id, {
          id: hook.id,
          login,
          hook,
          channelId: t.channel_id,
          source: 'config',
          options: merge(this.defaults, t),
        });
      }
      this.#config.set(login, [...(this.#config.get(login) ?? []), ...targets.values()]);
    }
  }

  /** Logins configured in bots.yaml. */
  configured(): string[] {
    return [...this.#config.keys()];
  }

  /** Every login with at least one target (bots.yaml and storage). */
  async logins(): Promise<string[]> {
    const names = new Set(this.configured());
    for (const c of await this.tracking.all()) for (const n of Object.keys(c.names)) names.add(n);
    return [...names];
  }

  /** The live targets of a streamer (gone webhooks left out). */
  async forStreamer(login: string): Promise<Target[]> {
    const byId = new Map<string, Target>();
    for (const t of this.#config.get(login) ?? []) byId.set(t.id, t);
    for (const c of await this.tracking.channelsFor(login)) {
      if (!byId.has(c.webhook.id)) byId.set(c.webhook.id, this.#tracked(login, c));
    }
    return [...byId.values()].filter((t) => !this.disabled.get(t.id));
  }

  /** One target of a streamer by webhook id, even when disabled (for edits at the end). */
  async find(login: string, id: string): Promise<Target | undefined> {
    const config = this.#config.get(login)?.find((t) => t.id === id);
    if (config) return config;
    const c = (await this.tracking.channelsFor(login)).find((ch) => ch.webhook.id === id);
    return c && this.#tracked(login, c);
  }

  /** The target of a channel tracked with /live: the defaults, plus the role it pings. */
  #tracked(login: string, c: ChannelTracking): Target {
    const roleId = c.names[login]?.roleId;
    return {
      id: c.webhook.id,
      login,
      hook: c.webhook,
      channelId: c.channelId,
      guildId: c.guildId,
      source: c.owner.kind,
      owner: c.owner,
      options: merge(this.defaults, roleId ? { roles: [roleId] } : {}),
    };
  }

  /** Whether any target of the streamer edits its post on title or game changes. */
  async editsOnChange(login: string): Promise<boolean> {
    return (await this.forStreamer(login)).some((t) => t.options.edit_on_change === true);
  }
}
