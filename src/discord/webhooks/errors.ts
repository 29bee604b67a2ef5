import { DiscordAPIError, HTTPError } from 'discord.js';
import { WebhookError } from '../../../core/webhooks.js';

/**
 * Discord's JSON error codes the sender acts on.
 *
 * @example
 * ```ts
 * if (err.code === DISCORD_CODES.unknownWebhook) markGone(hook);
 * ```
 */
export const DISCORD_CODES = {
  unknownWebhook: 10015,
  unknownMessage: 10008,
  invalidWebhookToken: 50027,
} as const;

/**
 * Turns what @discordjs/rest threw into a {@link WebhookError} saying what happened and
 * what to do. `what` names the call without the token (`execute webhook 123`).
 *
 * @example
 * ```ts
 * try { await rest.post(route, { auth: false, body }); }
 * catch (err) { throw toWebhookError(err, `execute webhook ${hook.id}`); }
 * ```
 */
export function toWebhookError(err: unknown, what: string): WebhookError {
  if (err instanceof WebhookError) return err;
  if (err instanceof DiscordAPIError) {
    const code = typeof err.code === 'number' ? err.code : undefined;
    const details = { status: err.status, code, cause: err };
    if (code === DISCORD_CODES.unknownWebhook || code === DISCORD_CODES.invalidWebhookToken)
      return new WebhookError(
        'gone',
        `${what}: Discord says the webhook ${code === DISCORD_CODES.unknownWebhook ? 'was deleted' : 'token is wrong'} (${err.status} ${code}); create a new webhook for the channel`,
        details,
      );
    if (code === DISCORD_CODES.unknownMessage)
      return new WebhookError(
        'message_gone',
        `${what}: the message was deleted (404 10008)`,
        details,
      );
    if (err.status === 429)
      return new WebhookError('rate_limited', `${what}: rate limited by Discord`, details);
    if (err.status >= 500)
      return new WebhookError('server', `${what}: Discord failed (${err.status})`, details);
    return new WebhookError(
      'invalid',
      `${what}: Discord refused it (${err.status}${code ? ` ${code}` : ''}: ${err.message}); fix the message or the webhook's permissions`,
      details,
    );
  }
  if (err instanceof HTTPError)
    return new WebhookError('server', `${what}: Discord failed (${err.status}); retrying later`, {
      status: err.status,
      cause: err,
    });
  const name = err instanceof Error ? err.name : '';
  const message = err instanceof Error ? err.message : String(err);
  return new WebhookError(
    'network',
    `${what}: no answer from Discord (${name === 'AbortError' ? 'aborted or timed out' : message}); it may or may not have arrived`,
    { cause: err },
  );
}
