import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, waitUntil, type TestBot } from '../../src/testing/index.js';

const GUILD = '700000000000000001';
let t: TestBot;
let manager: string;

beforeAll(async () => {
  t = await startTestBot({ cogs: ['go-live'], discord: { guilds: [GUILD] } });
  t.sandbox.world.ensureUser('kai', { displayName: 'Kai' });
  t.sandbox.world.ensureUser('lia');
  manager = t.sandbox.discord.addMember(GUILD, { username: 'mod', roles: ['Bot'] }).id;
});
afterAll(async () => {
  await t?.stop();
});

/** Runs `/live <sub>` as `userId` in #live and returns the bot's reply. */
async function live(sub: string, options: Record<string, string> = {}, userId = manager) {
  const server = t.sandbox.discord;
  const id = server.runSlashCommand({
    guildId: GUILD,
    channelId: t.discord.channel('live'),
    userId,
    name: 'live',
    subcommand: sub,
    options,
  });
  return server.waitForInteractionReply(id, { timeoutMs: 10_000 });
}

async function channelWebhooks(): Promise<{ id: string; token: string }[]> {
  const token = t.sandbox.accounts.get('test_bot')?.discord?.token;
  const url = `${t.sandbox.discord.apiUrl}/v10/channels/${t.discord.channel('live')}/webhooks`;
  // The bot token's bucket is shared with the bot: wait when Discord says so.
  for (let attempt = 0; attempt < 5; attempt++) {
    const res = await fetch(url, { headers: { authorization: `Bot ${token}` } });
    const body = (await res.json()) as { id: string; token: string }[] & { retry_after?: number };
    if (res.ok) return body;
    if (res.status !== 429) throw new Error(`listing webhooks: ${res.status}`);
    await new Promise((r) => setTimeout(r, (body.retry_after ?? 1) * 1000));
  }
  throw new Error('listing webhooks: still rate limited');
}

describe('go-live /live commands (real Sapphire + discord.js against the sandbox)', () => {
  it('is only for members with Manage Webhooks', async () => {
    const nobody = t.sandbox.discord.addMember(GUILD, { username: 'viewer' }).id;
    const reply = await live('add', { streamer: 'kai' }, nobody);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/Manage Webhooks/);
    expect(await channelWebhooks()).toHaveLength(0);
  });

  it('add creates the channel webhook once and reuses it; list shows the streamers', async () => {
    const live1 = t.discord.channel('live');
    const first = await live('add', { streamer: 'kai' });
    expect(first.content).toBe(
      `Posting **kai** in <#${live1}> when they go live (with a new webhook).`,
    );
    const second = await live('add', { streamer: 'lia' });
    expect(second.content).toBe(
      `Posting **lia** in <#${live1}> when they go live (with the channel's webhook).`,
    );
    expect(await channelWebhooks()).toHaveLength(1);
    expect((await live('list')).content).toBe(`Posted in <#${live1}>: **kai**, **lia**`);
  });

  it('test posts a preview that pings nobody', async () => {
    const hooked = () => t.discord.posts('live').filter((m) => m.source === 'webhook');
    const before = hooked().length;
    const reply = await live('test', { streamer: 'kai' });
    expect(reply.content).toMatch(/Sent a test post for \*\*kai\*\*/);
    const posts = hooked();
    expect(posts).toHaveLength(before + 1);
    const post = posts[posts.length - 1]!;
    expect(post.content).toMatch(/^🔔 Test \(nobody is pinged\): \*\*Kai\*\* is live on Twitch!/);
    expect(post.mentions).toEqual({ users: [], roles: [], everyone: false });
    expect(post.embeds[0]).toMatchObject({
      url: 'https://www.twitch.tv/kai',
      author: { name: 'Kai' },
    });
  });

  it('a deleted webhook stops the posts, the channel is told, and /live add repairs it', async () => {
    const [hook] = await channelWebhooks();
    await fetch(`${t.sandbox.discord.apiUrl}/v10/webhooks/${hook!.id}/${hook!.token}`, {
      method: 'DELETE',
    });
    const reply = await live('test', { streamer: 'kai' });
    expect(reply.content).toMatch(/webhook of <#\d+> was deleted.*\/live add/);
    // The bot itself tells the channel (not through the dead webhook).
    const notice = t.discord
      .posts('live')
      .find(
        (m) => m.source === 'bot' && m.content.startsWith('Live notifications for **kai** stopped'),
      );
    expect(notice?.content).toMatch(/run \/live add kai in <#\d+>/);
    expect((await live('list')).content).toMatch(/⚠️ Stopped: .*was deleted/);

    const repaired = await live('add', { streamer: 'kai' });
    expect(repaired.content).toMatch(/^Repaired <#\d+>: a new webhook replaces the deleted one/);
    const hooks = await channelWebhooks();
    expect(hooks).toHaveLength(1);
    expect(hooks[0]?.id).not.toBe(hook?.id);
    expect((await live('test', { streamer: 'kai' })).content).toMatch(/Sent a test post/);
  });

  it('remove stops posting a streamer in the channel, and says so when there was nothing to stop', async () => {
    const live1 = t.discord.channel('live');
    expect((await live('remove', { streamer: 'Lia' })).content).toBe(
      `Stopped posting **lia** in <#${live1}>.`,
    );
    expect((await live('list')).content).toBe(`Posted in <#${live1}>: **kai**`);
    expect((await live('remove', { streamer: 'lia' })).content).toBe(
      `**lia** is not posted in <#${live1}>.`,
    );
    expect(await channelWebhooks()).toHaveLength(1); // kai still posts through it
  });

  it('add with a role pings exactly that role when the streamer goes live', async () => {
    const live1 = t.discord.channel('live');
    const fan = t.sandbox.discord.addMember(GUILD, { username: 'fan', roles: ['Tier 1'] }).id;
    const tier1 = t.sandbox.discord.memberRoles(GUILD, fan).find((r) => r.name === 'Tier 1')!.id;
    t.sandbox.world.ensureUser('mo', { displayName: 'Mo' });
    expect((await live('add', { streamer: 'mo', role: tier1 })).content).toBe(
      `Posting **mo** in <#${live1}> when they go live (with the channel's webhook, pinging <@&${tier1}>).`,
    );
    await t.eventsub.subscribed('stream.online', { channel: 'mo' });
    t.goLive({ title: 'Ping test' }, 'mo');
    const post = await waitUntil(
      () =>
        t.discord
          .posts('live')
          .find((m) => m.source === 'webhook' && m.content.includes('**Mo** is live')),
      'the go-live post of mo',
      10_000,
    );
    expect(post.content.startsWith(`<@&${tier1}>`)).toBe(true);
    expect(post.mentions).toEqual({ users: [], roles: [tier1], everyone: false });
  });
});
