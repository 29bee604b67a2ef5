import type { SandboxMessage } from '../state/model.js';

/**
 * A pushed interaction and what the bot did with it.
 *
 * @example
 * ```ts
 * server.interaction(id)?.replies.map((r) => r.kind);
 * ```
 */
export interface SandboxInteraction {
  id: string;
  token: string;
  appId: string;
  botUserId: string;
  /** 2 application command, 3 component, 4 autocomplete, 5 modal submit. */
  type: number;
  guildId: string | null;
  channelId: string;
  userId: string;
  createdAt: number;
  /** The component's message (type 3). */
  messageId: string | null;
  /** Initial callback type (4, 5, 6, 7, 8, 9), once answered. */
  callbackType: number | null;
  originalMessageId: string | null;
  followupIds: string[];
  /** The INTERACTION_CREATE body as dispatched. */
  payload: Record<string, unknown>;
  replies: InteractionReply[];
}

/**
 * What a bot answered, in the order it happened.
 *
 * @example
 * ```ts
 * const reply: InteractionReply = await server.waitForInteractionReply(id);
 * if (reply.kind === 'modal') console.log(reply.data.custom_id);
 * ```
 */
export interface InteractionReply {
  interactionId: string;
  /**
   * `message` (callback 4), `deferred` (5), `deferred-update` (6), `update` (7),
   * `autocomplete` (8), `modal` (9), `edit` (PATCH @original or a follow-up), `followup`.
   */
  kind:
    | 'message'
    | 'deferred'
    | 'deferred-update'
    | 'update'
    | 'autocomplete'
    | 'modal'
    | 'edit'
    | 'followup';
  content: string;
  ephemeral: boolean;
  /** Whether the initial response was a deferral (5 or 6). */
  deferred: boolean;
  embeds: unknown[];
  components: unknown[];
  flags: number;
  /** The message shown, when there is one. */
  message: SandboxMessage | null;
  /** Raw callback/edit body data. */
  data: Record<string, unknown>;
}

/**
 * Options of `waitForInteractionReply`.
 *
 * @example
 * ```ts
 * await server.waitForInteractionReply(id, { timeoutMs: 2000, includeDeferred: true });
 * ```
 */
export interface WaitForReplyOptions {
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number;
  /** Resolve on a deferral itself instead of waiting for the edit/follow-up after it. */
  includeDeferred?: boolean;
}

interface Waiter {
  accept: (r: InteractionReply) => boolean;
  resolve: (r: InteractionReply) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Remembers interactions by id and token and lets tests await replies.
 *
 * @example
 * ```ts
 * const reply = await tracker.wait(interactionId, { timeoutMs: 2000 });
 * console.log(reply.content, reply.ephemeral);
 * ```
 */
export class InteractionTracker {
  readonly #byId = new Map<string, SandboxInteraction>();
  readonly #byToken = new Map<string, SandboxInteraction>();
  readonly #waiters = new Map<string, Set<Waiter>>();

  add(interaction: SandboxInteraction): void {
    this.#byId.set(interaction.id, interaction);
    this.#byToken.set(interaction.token, interaction);
  }

  get(id: string): SandboxInteraction | undefined {
    return this.#byId.get(id);
  }

  /** The interaction behind `/webhooks/{appId}/{token}`, if the pair matches. */
  byAppToken(appId: string, token: string): SandboxInteraction | undefined {
    const i = this.#byToken.get(token);
    return i && i.appId === appId ? i : undefined;
  }

  all(): SandboxInteraction[] {
    return [...this.#byId.values()];
  }

  /**
   * Records a reply and wakes matching waiters on the next turn of the event loop, so
   * the HTTP exchange that caused it is answered and recorded first.
   */
  push(reply: InteractionReply): void {
    this.#byId.get(reply.interactionId)?.replies.push(reply);
    const waiters = this.#waiters.get(reply.interactionId);
    if (!waiters) return;
    for (const w of waiters) {
      if (!w.accept(reply)) continue;
      clearTimeout(w.timer);
      waiters.delete(w);
      setImmediate(() => w.resolve(reply));
    }
  }

  /** The first visible reply (or a deferral, if asked), past or future. */
  wait(id: string, options: WaitForReplyOptions = {}): Promise<InteractionReply> {
    const accept = (r: InteractionReply): boolean =>
      options.includeDeferred === true || (r.kind !== 'deferred' && r.kind !== 'deferred-update');
    const seen = this.#byId.get(id)?.replies.find(accept);
    if (seen) return Promise.resolve(seen);
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const set = this.#waiters.get(id) ?? new Set<Waiter>();
      this.#waiters.set(id, set);
      const waiter: Waiter = {
        accept,
        resolve,
        reject,
        timer: setTimeout(() => {
          set.delete(waiter);
          reject(new Error(`no reply to interaction ${id} within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      set.add(waiter);
    });
  }

  /** Rejects every pending wait (server closing). */
  dispose(): void {
    for (const set of this.#waiters.values()) {
      for (const w of set) {
        clearTimeout(w.timer);
        w.reject(new Error('discord sandbox closed'));
      }
    }
    this.#waiters.clear();
  }
}
