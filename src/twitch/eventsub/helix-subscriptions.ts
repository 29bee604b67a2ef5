import { ApiClient } from '@twurple/api';
import { AppTokenAuthProvider } from '@twurple/auth';
import { normalizeCondition, type Condition, type SubscriptionSpec } from './keys.js';
import { EventSubError } from './errors.js';

/** A Twitch app: what an app access token is made from. */
export interface AppCredentials {
  clientId: string;
  clientSecret: string;
}

/** One subscription as Helix lists it. */
export interface TwitchSubscription {
  id: string;
  status: string;
  type: string;
  version: string;
  condition: Condition;
  /** Webhook callback URL ('' for other transports). */
  callback: string;
  cost: number;
  /** The app that owns it. */
  clientId: string;
}

/** Every subscription of one app, and its cost budget. */
export interface SubscriptionListing {
  subscriptions: TwitchSubscription[];
  totalCost: number;
  maxTotalCost: number;
}

interface RawSubscription {
  id: string;
  status: string;
  type: string;
  version: string;
  condition: Record<string, unknown>;
  transport: { method: string; callback?: string };
  cost: number;
}

interface RawPage {
  data: RawSubscription[];
  total_cost?: number;
  max_total_cost?: number;
  pagination?: { cursor?: string };
}

/**
 * A failed Helix call, with Twitch's status and message.
 *
 * @example
 * ```ts
 * if (err instanceof HelixCallError && err.status === 409) adoptLater();
 * ```
 */
export class HelixCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HelixCallError';
  }
}

function asHelixError(err: unknown): unknown {
  const e = err as { statusCode?: number; body?: string; message?: string };
  if (typeof e.statusCode !== 'number') return err;
  let message = e.message ?? 'Helix error';
  try {
    message = (JSON.parse(e.body ?? '{}') as { message?: string }).message ?? message;
  } catch {
    // keep twurple's message
  }
  return new HelixCallError(e.statusCode, message);
}

/**
 * EventSub subscription calls on Helix, with one app-token `ApiClient` per Twitch app.
 * Twurple sends them to `http://localhost:$TWURPLE_MOCK_API_PORT/eventsub/subscriptions`
 * when that variable is set (the sandbox).
 *
 * @example
 * ```ts
 * const helix = new HelixSubscriptions();
 * helix.addApp({ clientId, clientSecret });
 * const { subscriptions, totalCost, maxTotalCost } = await helix.list(clientId);
 * ```
 */
export class HelixSubscriptions {
  readonly #clients = new Map<string, ApiClient>();

  /** Registers an app (idempotent per client id). */
  addApp(app: AppCredentials): void {
    if (this.#clients.has(app.clientId)) return;
    const authProvider = new AppTokenAuthProvider(app.clientId, app.clientSecret);
    this.#clients.set(app.clientId, new ApiClient({ authProvider }));
  }

  /** Client ids of every registered app. */
  apps(): string[] {
    return [...this.#clients.keys()];
  }

  #client(clientId: string): ApiClient {
    const client = this.#clients.get(clientId);
    if (!client)
      throw new EventSubError(
        'EVENTSUB_NO_APP',
        `no Twitch app with client id ${clientId}`,
        'set <BOT>_CLIENT_ID and <BOT>_CLIENT_SECRET for the bot',
      );
    return client;
  }

  /** Lists every subscription of an app, page by page (100 per page). */
  async list(clientId: string, maxPages = 1000): Promise<SubscriptionListing> {
    const client = this.#client(clientId);
    const subscriptions: TwitchSubscription[] = [];
    let totalCost = 0;
    let maxTotalCost = Number.POSITIVE_INFINITY;
    let after: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const raw = await client
        .callApi<RawPage>({
          type: 'helix',
          url: 'eventsub/subscriptions',
          query: { first: '100', ...(after ? { after } : {}) },
        })
        .catch((err: unknown) => {
          throw asHelixError(err);
        });
      for (const s of raw.data) subscriptions.push(this.#parse(s, clientId));
      totalCost = raw.total_cost ?? totalCost;
      maxTotalCost = raw.max_total_cost ?? maxTotalCost;
      after = raw.pagination?.cursor;
      if (!after || raw.data.length === 0) break;
    }
    return { subscriptions, totalCost, maxTotalCost };
  }

  /** Creates a webhook subscription; Twitch then sends the verification challenge. */
  async create(
    clientId: string,
    spec: SubscriptionSpec,
    transport: { callback: string; secret: string },
  ): Promise<TwitchSubscription> {
    const raw = await this.#client(clientId)
      .callApi<RawPage>({
        type: 'helix',
        url: 'eventsub/subscriptions',
        method: 'POST',
        forceType: 'app',
        jsonBody: {
          type: spec.type,
          version: spec.version,
          condition: spec.condition,
          transport: { method: 'webhook', ...transport },
        },
      })
      .catch((err: unknown) => {
        throw asHelixError(err);
      });
    const first = raw.data[0];
    if (!first) throw new HelixCallError(502, 'Twitch returned no subscription');
    return this.#parse(first, clientId);
  }

  /** Deletes a subscription; one that is already gone counts as deleted. */
  async delete(clientId: string, id: string): Promise<void> {
    await this.#client(clientId)
      .callApi({ type: 'helix', url: 'eventsub/subscriptions', method: 'DELETE', query: { id } })
      .catch((err: unknown) => {
        const e = asHelixError(err);
        if (e instanceof HelixCallError && e.status === 404) return;
        throw e;
      });
  }

  #parse(s: RawSubscription, clientId: string): TwitchSubscription {
    return {
      id: s.id,
      status: s.status,
      type: s.type,
      version: s.version,
      condition: normalizeCondition(s.condition),
      callback: s.transport.method === 'webhook' ? (s.transport.callback ?? '') : '',
      cost: s.cost,
      clientId,
    };
  }
}
