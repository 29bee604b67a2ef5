import type { Logger } from '../../core/index.js';

/**
 * The path of a Discord webhook URL: `/api[/v10]/webhooks/<id>/<token>`.
 *
 * @example
 * ```ts
 * WEBHOOK_PATH.test(new URL('https://discord.com/api/webhooks/1/abc').pathname); // true
 * ```
 */
export const WEBHOOK_PATH = /\/api\/(?:v\d+\/)?webhooks\/\d+\/[\w-]+\/?$/;

/**
 * A webhook message: text, and who it claims to be. Mentions are never pinged.
 *
 * @example
 * ```ts
 * await postWebhook(url, { content: 'Hydrate!', username: 'Points' }, ctx.signal, ctx.log);
 * ```
 */
export interface WebhookMessage {
  content: string;
  username?: string;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Executes a Discord webhook (`?wait=true`), retrying a 429 after its `retry_after` and a
 * 5xx or network error with backoff, three attempts in all. `allowed_mentions` is empty, so
 * a viewer's text can never ping @everyone. Returns whether Discord accepted it.
 *
 * @example
 * ```ts
 * await postWebhook(settings.webhook_url, { content: 'ada redeemed Hydrate' }, ctx.signal, ctx.log);
 * ```
 */
export async function postWebhook(
  url: string,
  message: WebhookMessage,
  signal: AbortSignal,
  log: Logger,
): Promise<boolean> {
  const target = new URL(url);
  target.searchParams.set('wait', 'true');
  const body = JSON.stringify({ ...message, allowed_mentions: { parse: [] } });
  for (let attempt = 1; attempt <= 3 && !signal.aborted; attempt++) {
    let wait = 500 * 2 ** attempt;
    try {
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal,
      });
      if (res.ok) return true;
      const text = await res.text();
      if (res.status === 429) wait = Math.ceil(Number(JSON.parse(text).retry_after ?? 1) * 1000);
      else if (res.status < 500) {
        log.error(
          { status: res.status, body: text.slice(0, 300) },
          'Discord refused the webhook post',
        );
        return false;
      }
      log.warn({ status: res.status, attempt }, 'Discord webhook post failed; retrying');
    } catch (err) {
      if (signal.aborted) return false;
      log.warn({ err, attempt }, 'Discord webhook post failed; retrying');
    }
    if (attempt < 3) await sleep(wait, signal);
  }
  log.error('Discord webhook post gave up after 3 attempts');
  return false;
}
