import { definePlugin, z, type EventSubNotification } from '../../core/index.js';
import { postWebhook, WEBHOOK_PATH } from './webhook.js';

/**
 * The `event` of `channel.channel_points_custom_reward_redemption.add`.
 *
 * @example
 * ```ts
 * ctx.twitch.eventsub.on<RedemptionEvent>(TYPE, { broadcaster_user_id }, ({ event }) => event.reward.title);
 * ```
 */
export interface RedemptionEvent {
  broadcaster_user_login: string;
  user_login: string;
  user_name: string;
  user_input: string;
  reward: { id: string; title: string; cost: number; prompt: string };
}

const TYPE = 'channel.channel_points_custom_reward_redemption.add';

const settings = z.object({
  webhook_url: z
    .url({ protocol: /^https?$/ })
    .refine((u) => WEBHOOK_PATH.test(new URL(u).pathname), {
      message: 'a Discord webhook URL: https://discord.com/api/webhooks/<id>/<token>',
    })
    .describe(
      'Discord channel webhook to post to (Channel settings > Integrations > Webhooks); use ${VAR}',
    ),
  rewards: z
    .array(z.string().min(1))
    .default([])
    .describe('Reward titles to post (any case); empty posts every reward'),
  message: z
    .string()
    .min(1)
    .default('**{user}** redeemed **{reward}** ({cost} points){input}')
    .describe(
      'The post: {user}, {reward}, {cost}, {channel}, {input} (": text" when the viewer typed some)',
    ),
  username: z
    .string()
    .min(1)
    .max(80)
    .optional()
    .describe('Name the post shows (default: the webhook name)'),
  channels: z
    .array(z.string().transform((c) => c.replace(/^#/, '').toLowerCase()))
    .optional()
    .describe("Channels whose redemptions to post; default the bot's channels"),
});

/**
 * Fills the message template of one redemption.
 *
 * @example
 * ```ts
 * format('{user} redeemed {reward}{input}', event); // 'ada redeemed Hydrate: with ice'
 * ```
 */
export function format(template: string, e: RedemptionEvent): string {
  const values: Record<string, string> = {
    user: e.user_name || e.user_login,
    reward: e.reward.title,
    cost: String(e.reward.cost),
    channel: e.broadcaster_user_login,
    input: e.user_input ? `: ${e.user_input}` : '',
  };
  return template.replace(/\{(\w+)\}/g, (all, key: string) => values[key] ?? all);
}

/**
 * Posts channel points redemptions to a Discord channel through a webhook, as they arrive
 * over EventSub (`channel.channel_points_custom_reward_redemption.add`).
 *
 * @example
 * ```yaml
 * cogs:
 *   - redemption-to-discord:
 *       webhook_url: ${REDEMPTIONS_WEBHOOK}
 *       rewards: [Hydrate, Song request]
 * ```
 */
export default definePlugin({
  name: 'redemption-to-discord',
  description: 'Posts channel points redemptions to a Discord channel (webhook)',
  settings,
  needs: { twitchScopes: ['channel:read:redemptions'] },
  async setup(ctx, s) {
    const wanted = new Set(s.rewards.map((r) => r.toLowerCase()));
    const logins = s.channels ?? ctx.bot.channels;
    const users = await ctx.twitch.api.users.getUsersByNames([...logins]);
    const missing = logins.filter((l) => !users.some((u) => u.name === l));
    if (missing.length > 0) ctx.log.warn({ missing }, 'no such Twitch channel; skipped');
    const onRedeem = async ({ event }: EventSubNotification<RedemptionEvent>) => {
      if (wanted.size > 0 && !wanted.has(event.reward.title.toLowerCase())) return;
      const content = format(s.message, event).slice(0, 2000);
      await postWebhook(s.webhook_url, { content, username: s.username }, ctx.signal, ctx.log);
    };
    for (const user of users)
      ctx.twitch.eventsub.on<RedemptionEvent>(TYPE, { broadcaster_user_id: user.id }, onRedeem);
  },
});
