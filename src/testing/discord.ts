import type { InteractionReply, SandboxMessage, SeededGuild } from '../sandbox/discord/index.js';
import type { Sandbox } from '../sandbox/index.js';
import { waitUntil } from './wait.js';

/**
 * A channel webhook in the sandbox Discord, for a cog's webhook URL setting.
 *
 * @example
 * ```ts
 * const { url } = t.discord.webhook('announcements');
 * await t.setCogs([{ shoutout: { discord_webhook_url: url } }]);
 * ```
 */
export interface TestWebhook {
  /** `http://127.0.0.1:PORT/api/v10/webhooks/<id>/<token>`: what the cog posts to. */
  url: string;
  id: string;
  channelId: string;
}

/**
 * The sandbox Discord as a test sees it: channels by name, webhooks, the messages that
 * arrived (webhook posts and bot messages), and slash commands run as a member.
 * Channels are those of the bot's `discord:` guild, or of a test guild made on first use
 * (`general`, `announcements`, `live`).
 *
 * @example
 * ```ts
 * const hook = t.discord.webhook('announcements');
 * await t.setCogs([{ 'redemption-to-discord': { webhook_url: hook.url } }]);
 * // ... something posts ...
 * expect((await t.discord.nextPost('announcements')).content).toBe('ada redeemed Hydrate');
 * ```
 */
export interface TestDiscord {
  /** The channel id of a channel name (or an id, returned as is). */
  channel(name: string): string;
  /** Creates a webhook in a channel (default `announcements`). */
  webhook(channel?: string): TestWebhook;
  /** Messages in a channel (default: every channel of the guild), oldest first. */
  posts(channel?: string): SandboxMessage[];
  /** Waits for the next message in a channel (default: any) after now. */
  nextPost(channel?: string, timeoutMs?: number): Promise<SandboxMessage>;
  /**
   * Runs a slash command the bot registered, as guild member `user` (created on first use),
   * and resolves with the bot's first visible reply.
   */
  slash(
    name: string,
    options?: {
      options?: Record<string, string | number | boolean>;
      user?: string;
      channel?: string;
    },
  ): Promise<InteractionReply>;
}

const CHANNELS = ['general', 'announcements', 'live'];

/** The guild of the bot's `discord:` block with its channels, read over REST. */
async function botGuild(sandbox: Sandbox, bot: string): Promise<SeededGuild | undefined> {
  const acc = sandbox.accounts.get(bot)?.discord;
  const id = acc ? Object.keys(acc.guilds)[0] : undefined;
  if (!acc || !id) return undefined;
  const res = await fetch(`${sandbox.discord.apiUrl}/v10/guilds/${id}/channels`, {
    headers: { authorization: `Bot ${acc.token}` },
  });
  if (!res.ok) throw new Error(`sandbox Discord: listing channels of ${id} gave ${res.status}`);
  const list = (await res.json()) as { id: string; name: string }[];
  const channels = Object.fromEntries(list.map((c) => [c.name, c.id]));
  const name = acc.guilds[id] ?? id;
  return { id, name, ownerId: '', everyoneRoleId: id, roles: {}, channels, members: {} };
}

/**
 * The {@link TestDiscord} of a test bot.
 *
 * @example
 * ```ts
 * const discord = await testDiscord(sandbox, 'test_bot');
 * const hook = discord.webhook();
 * ```
 */
export async function testDiscord(sandbox: Sandbox, bot: string): Promise<TestDiscord> {
  const server = sandbox.discord;
  let guild = await botGuild(sandbox, bot);
  const members = new Map<string, string>();
  const theGuild = (): SeededGuild =>
    (guild ??= server.createGuild({ name: 'test guild', channels: CHANNELS }));
  const channel = (name: string): string => {
    if (/^\d{15,}$/.test(name)) return name;
    const g = theGuild();
    const id = g.channels[name];
    if (!id)
      throw new Error(
        `no channel "${name}" in the sandbox guild; it has ${Object.keys(g.channels).join(', ')}`,
      );
    return id;
  };
  const posts = (name?: string): SandboxMessage[] => {
    if (name) return server.messages(channel(name));
    return Object.values(theGuild().channels)
      .flatMap((id) => server.messages(id))
      .sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  };

  return {
    channel,
    webhook(name = 'announcements') {
      const channelId = channel(name);
      const hook = server.createWebhook({ channelId, name: 'streamcogs test' });
      const url = `${server.apiUrl}/v10/webhooks/${hook.id}/${hook.token}`;
      return { url, id: hook.id, channelId };
    },
    posts,
    nextPost(name, timeoutMs = 5000) {
      const seen = new Set(posts(name).map((m) => m.id));
      return waitUntil(
        () => posts(name).find((m) => !seen.has(m.id)),
        `a Discord message${name ? ` in #${name}` : ''}`,
        timeoutMs,
      );
    },
    async slash(name, o = {}) {
      const g = theGuild();
      const username = o.user ?? 'member';
      let userId = members.get(username);
      if (!userId) members.set(username, (userId = server.addMember(g.id, { username }).id));
      const id = server.runSlashCommand({
        guildId: g.id,
        channelId: channel(o.channel ?? 'general'),
        userId,
        name,
        options: o.options,
      });
      return server.waitForInteractionReply(id);
    },
  };
}
