import type {
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { WebhookError, type DiscordFacet, type WebhookRef } from '../../core/index.js';
import type { GoLiveDeps } from './deps.js';
import { renderLive } from './render.js';
import type { TrackingApi } from './tracking-api.js';

/** Discord's option types and flags, by number (cogs import no platform values). */
const SUB = 1;
const STRING = 3;
const CHANNEL = 7;
const ROLE = 8;
const EPHEMERAL = 64;
const MANAGE_WEBHOOKS = 1n << 29n;

const streamer = (required: boolean) => ({
  type: STRING,
  name: 'streamer',
  description: 'Twitch login',
  required,
  max_length: 25,
});
const channel = {
  type: CHANNEL,
  name: 'channel',
  description: 'Where to post (default: here)',
  channel_types: [0, 5],
};

/**
 * `/live add|remove|list|test`, for members with Manage Webhooks.
 *
 * @example
 * ```ts
 * ctx.discord?.registerCommand({ data: LIVE_COMMAND, run });
 * ```
 */
export const LIVE_COMMAND: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'live',
  description: 'Twitch go-live posts in this server',
  default_member_permissions: String(MANAGE_WEBHOOKS),
  contexts: [0],
  options: [
    {
      type: SUB,
      name: 'add',
      description: 'Post here when a streamer goes live',
      options: [streamer(true), channel, { type: ROLE, name: 'role', description: 'Role to ping' }],
    },
    {
      type: SUB,
      name: 'remove',
      description: 'Stop posting a streamer here',
      options: [streamer(true), channel],
    },
    { type: SUB, name: 'list', description: 'Streamers posted here', options: [channel] },
    {
      type: SUB,
      name: 'test',
      description: 'Send a test post (nobody is pinged)',
      options: [streamer(false), channel],
    },
  ],
} as RESTPostAPIChatInputApplicationCommandsJSONBody;

type Reply = (content: string) => Promise<unknown>;

/** The channel's webhook made by this bot (reused), or a new one. */
async function channelWebhook(
  i: ChatInputCommandInteraction,
  channelId: string,
  known: WebhookRef | null,
  deps: GoLiveDeps,
): Promise<{ hook: WebhookRef; created: boolean }> {
  if (known && !deps.disabled.get(known.id) && !deps.ctx.webhooks.isGone(known.id))
    return { hook: known, created: false };
  const ch = await i.client.channels.fetch(channelId);
  if (!ch || !('fetchWebhooks' in ch) || !('createWebhook' in ch))
    throw new Error(`<#${channelId}> cannot have webhooks; pick a text channel`);
  const mine = (await ch.fetchWebhooks()).find(
    (w) => w.token && (w.applicationId === i.applicationId || w.owner?.id === i.client.user.id),
  );
  if (mine?.token && !deps.disabled.get(mine.id))
    return { hook: { id: mine.id, token: mine.token }, created: false };
  const made = await ch.createWebhook({
    name: 'Twitch live',
    reason: `/live add by ${i.user.username}`,
  });
  return { hook: { id: made.id, token: made.token as string }, created: true };
}

async function add(
  i: ChatInputCommandInteraction,
  deps: GoLiveDeps,
  api: TrackingApi,
  reply: Reply,
) {
  const login = i.options.getString('streamer', true).toLowerCase();
  const channelId = i.options.getChannel('channel')?.id ?? i.channelId;
  const role = i.options.getRole('role');
  const { hook, created } = await channelWebhook(
    i,
    channelId,
    (await api.channel(channelId)).webhook,
    deps,
  );
  const owner = { kind: 'discord' as const, userId: i.user.id, guildId: i.guildId ?? undefined };
  const done = await api.track(channelId, login, hook, owner, {
    roleId: role?.id,
    guildId: i.guildId ?? undefined,
  });
  if (!('channel' in done)) return reply(done.message);
  if (done.replacedWebhook)
    return reply(
      `Repaired <#${channelId}>: a new webhook replaces the deleted one; posting **${login}** again.`,
    );
  const how = created ? 'with a new webhook' : "with the channel's webhook";
  const ping = role ? `, pinging <@&${role.id}>` : '';
  return reply(
    done.status === 'created'
      ? `Posting **${login}** in <#${channelId}> when they go live (${how}${ping}).`
      : `**${login}** was already posted in <#${channelId}>${ping ? `; now${ping}` : ''}.`,
  );
}

/**
 * Registers `/live` on the bot's guilds: `add` creates or reuses the channel's webhook and
 * starts tracking, `remove`, `list`, and `test` (a post that pings nobody).
 *
 * @example
 * ```ts
 * if (ctx.discord) registerLiveCommand(ctx.discord, deps, api);
 * ```
 */
export function registerLiveCommand(discord: DiscordFacet, deps: GoLiveDeps, api: TrackingApi) {
  return discord.registerCommand({
    data: LIVE_COMMAND,
    async run(i) {
      const reply: Reply = (content) =>
        i.reply({ content, flags: EPHEMERAL, allowedMentions: { parse: [] } });
      if (!i.memberPermissions?.has(MANAGE_WEBHOOKS))
        return reply('You need the Manage Webhooks permission for /live.');
      const sub = i.options.getSubcommand();
      const channelId = i.options.getChannel('channel')?.id ?? i.channelId;
      if (sub === 'add') return add(i, deps, api, reply);
      if (sub === 'remove') {
        const login = i.options.getString('streamer', true).toLowerCase();
        const out = await api.untrack(channelId, login);
        return reply(
          out === 'removed'
            ? `Stopped posting **${login}** in <#${channelId}>.`
            : `**${login}** is not posted in <#${channelId}>.`,
        );
      }
      const view = await api.channel(channelId);
      if (sub === 'list') {
        if (view.names.length === 0)
          return reply(`Nothing is posted in <#${channelId}>. Use /live add.`);
        const off = view.disabled
          ? `\n⚠️ Stopped: ${view.disabled.reason}. Run /live add to repair.`
          : '';
        return reply(
          `Posted in <#${channelId}>: ${view.names.map((n) => `**${n}**`).join(', ')}${off}`,
        );
      }
      const login = i.options.getString('streamer')?.toLowerCase() ?? view.names[0];
      if (!login || !view.webhook)
        return reply(`Nothing is posted in <#${channelId}> yet. Use /live add first.`);
      const [user] = await deps.twitch.users([login]);
      const live = user ? await deps.twitch.stream(user.id) : null;
      const targets = await deps.targets.forStreamer(login);
      const options =
        targets.find((t) => t.id === view.webhook?.id)?.options ?? deps.targets.defaults;
      const post = renderLive(
        {
          login,
          displayName: user?.displayName ?? login,
          avatarUrl: user?.avatarUrl,
          title: live?.title ?? 'Test stream',
          game: live?.game ?? 'Just Chatting',
          viewers: live?.viewers ?? 0,
          startedAt: live?.startedAt ?? new Date().toISOString(),
          thumbnailUrl: live?.thumbnailUrl,
        },
        options,
        { bust: String(Date.now()), test: true },
      );
      try {
        await deps.ctx.webhooks.execute(view.webhook, post, { channelId });
      } catch (err) {
        const target = await deps.targets.find(login, view.webhook.id);
        if (!(err instanceof WebhookError) || err.kind !== 'gone' || !target) throw err;
        await deps.notifier.webhookGone(target, err.message);
        return reply(
          `The webhook of <#${channelId}> was deleted, so posts stopped. Run /live add to repair it.`,
        );
      }
      return reply(`Sent a test post for **${login}** to <#${channelId}> (nobody was pinged).`);
    },
  });
}
