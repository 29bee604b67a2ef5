import type { PluginContext } from '../../core/index.js';
import type { DisabledWebhooks } from './disabled.js';
import type { Target } from './targets.js';

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * How the owner of a target repairs a deleted webhook.
 *
 * @example
 * ```ts
 * repairHint(target); // 'run /live add ada in <#123> to give the channel a new webhook'
 * ```
 */
export function repairHint(target: Target): string {
  if (target.source === 'discord')
    return `run /live add ${target.login} in <#${target.channelId}> to give the channel a new webhook`;
  if (target.source === 'api')
    return `POST /api/tracking/${target.channelId}/${target.login} with a new webhook { id, token }`;
  return `put a new webhook URL in bots.yaml (go-live streamers.${target.login}) and reload`;
}

/**
 * Disables targets whose webhook is gone and tells their owner: the channel (through the
 * bot, when it has Discord and knows the channel), the member who ran `/live add` (a DM,
 * when the channel refuses), the API client (`GET /api/tracking/:channel` shows
 * `disabled`), the operator (an error log with the fix) and other cogs
 * (`go-live:target.disabled`).
 *
 * @example
 * ```ts
 * await notifier.webhookGone(target, err.message);
 * ```
 */
export class Notifier {
  constructor(
    private readonly ctx: PluginContext,
    private readonly disabled: DisabledWebhooks,
  ) {}

  async webhookGone(target: Target, reason: string): Promise<void> {
    if (!(await this.disabled.add(target.id, reason, target.channelId))) return;
    const fix = repairHint(target);
    this.ctx.log.error(
      {
        streamer: target.login,
        webhookId: target.id,
        channelId: target.channelId,
        source: target.source,
      },
      `go-live: the webhook of ${target.channelId ? `channel ${target.channelId}` : 'a target'} for ${target.login} is gone, so its posts stopped (${reason}); ${fix}`,
    );
    await this.ctx.events.emit('go-live:target.disabled', {
      bot: this.ctx.bot.name,
      webhookId: target.id,
      channelId: target.channelId,
      streamer: target.login,
      source: target.source,
      reason,
      fix,
    });
    await this.#tellDiscord(target, fix);
  }

  async #tellDiscord(target: Target, fix: string): Promise<void> {
    const client = this.ctx.discord?.client;
    if (!client) return;
    const text = `Live notifications for **${target.login}** stopped here: this channel's webhook was deleted. To turn them back on, ${fix}.`;
    const message = { content: text, allowedMentions: { parse: [] } };
    try {
      if (target.channelId) {
        const channel = await client.channels.fetch(target.channelId);
        if (channel?.isSendable()) return void (await channel.send(message));
      }
    } catch (err) {
      this.ctx.log.warn({ err: errorText(err) }, 'go-live: could not tell the channel');
    }
    if (target.owner?.kind !== 'discord') return;
    try {
      const user = await client.users.fetch(target.owner.userId);
      await user.send({
        ...message,
        content: `${text} (channel <#${target.channelId}>)`,
      });
    } catch (err) {
      this.ctx.log.warn({ err: errorText(err) }, 'go-live: could not tell the member either');
    }
  }
}
