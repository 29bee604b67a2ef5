import {
  PermanentJobError,
  RetryJobLater,
  WebhookError,
  type JobHandler,
} from '../../core/index.js';
import type { GoLiveDeps } from './deps.js';
import type { GoLiveJobs, PostResult } from './jobs.js';
import { renderEnded, renderLive } from './render.js';
import type { Session } from './sessions.js';
import type { Target } from './targets.js';

type Handlers = { [K in 'post' | 'endpost' | 'liveedit']: JobHandler<GoLiveJobs[K]> };

/**
 * What a failed webhook call means for the job: a gone webhook disables the target (and
 * tells its owner) and the job ends; a channel limit defers it; a refusal fails it; the
 * rest is retried with backoff.
 */
async function onWebhookError(deps: GoLiveDeps, target: Target, err: unknown): Promise<PostResult> {
  if (!(err instanceof WebhookError)) throw err;
  if (err.kind === 'gone') {
    await deps.notifier.webhookGone(target, err.message);
    return { skipped: 'webhook gone' };
  }
  if (err.kind === 'message_gone') return { skipped: 'message deleted in Discord' };
  if (err.kind === 'rate_limited') throw new RetryJobLater(err.retryAfterMs ?? 1000, err.message);
  if (err.kind === 'invalid') throw new PermanentJobError(err.message, { cause: err });
  throw err;
}

async function load(
  deps: GoLiveDeps,
  sid: string,
  webhookId: string,
): Promise<{ session: Session; target: Target } | string> {
  const session = await deps.sessions.get(sid);
  if (!session) return `session ${sid} is gone`;
  const target = await deps.targets.find(session.login, webhookId);
  if (!target) return 'target removed';
  if (deps.disabled.get(target.id) || deps.ctx.webhooks.isGone(target.id)) return 'webhook gone';
  return { session, target };
}

/** The message id the `post` job of this session and target stored. */
async function postedMessage(deps: GoLiveDeps, sid: string, webhookId: string) {
  const state = await deps.queue.state(`post:${sid}:${webhookId}`);
  return state?.status === 'done' ? (state.result as PostResult | null)?.messageId : undefined;
}

/**
 * The handlers that call Discord: `post` (the go-live post), `endpost` (edit or delete it
 * once the session ended) and `liveedit` (title or game changed).
 *
 * @example
 * ```ts
 * const queue = new DurableQueue({ ..., handlers: { ...postingHandlers(deps), ...lifecycleHandlers(deps) } });
 * ```
 */
export function postingHandlers(deps: GoLiveDeps): Handlers {
  const { ctx } = deps;
  return {
    async post({ payload, signal }): Promise<PostResult> {
      const found = await load(deps, payload.sid, payload.target);
      if (typeof found === 'string') return { skipped: found };
      const { session, target } = found;
      const body = renderLive(session, target.options, { bust: session.id });
      try {
        const msg = await ctx.webhooks.execute(target.hook, body, {
          signal,
          since: session.eventAt,
          channelId: target.channelId,
        });
        const latencyMs = Date.now() - session.eventAt;
        ctx.log.info(
          { streamer: session.login, session: session.id, webhookId: target.id, latencyMs },
          `go-live: posted ${session.login} to channel ${msg.channelId} (${latencyMs} ms after Twitch's event)`,
        );
        await ctx.events.emit('go-live:post.sent', {
          bot: ctx.bot.name,
          streamer: session.login,
          session: session.id,
          webhookId: target.id,
          messageId: msg.id,
          channelId: msg.channelId,
          latencyMs,
        });
        return { messageId: msg.id, channelId: msg.channelId };
      } catch (err) {
        return onWebhookError(deps, target, err);
      }
    },

    async endpost({ payload, signal }): Promise<PostResult> {
      const found = await load(deps, payload.sid, payload.target);
      if (typeof found === 'string') return { skipped: found };
      const { session, target } = found;
      const action = target.options.on_end ?? 'edit';
      if (action === 'keep') return { skipped: 'kept (on_end: keep)' };
      const messageId = await postedMessage(deps, session.id, target.id);
      if (!messageId) return { skipped: 'nothing was posted' };
      try {
        if (action === 'delete') await ctx.webhooks.delete(target.hook, messageId, { signal });
        else
          await ctx.webhooks.edit(
            target.hook,
            messageId,
            renderEnded(session, target.options, {
              endedAt: session.endedAt ?? Date.now(),
              vodUrl: session.vodUrl,
            }),
            { signal },
          );
        return { messageId };
      } catch (err) {
        return onWebhookError(deps, target, err);
      }
    },

    async liveedit({ payload, signal }): Promise<PostResult> {
      const found = await load(deps, payload.sid, payload.target);
      if (typeof found === 'string') return { skipped: found };
      const { session, target } = found;
      if (session.state === 'ended') return { skipped: 'the session ended' };
      const messageId = await postedMessage(deps, session.id, target.id);
      if (!messageId) return { skipped: 'nothing was posted' };
      const { content, embeds, allowed_mentions } = renderLive(session, target.options, {
        bust: `${session.id}-${session.lastEditAt ?? 0}`,
      });
      try {
        await ctx.webhooks.edit(
          target.hook,
          messageId,
          { content, embeds, allowed_mentions },
          { signal },
        );
        return { messageId };
      } catch (err) {
        return onWebhookError(deps, target, err);
      }
    },
  };
}
