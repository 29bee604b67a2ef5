import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  WebhookClient,
} from 'discord.js';
import type { Guild, GuildMember, TextChannel } from 'discord.js';
import { DiscordServer } from '../../src/sandbox/discord/index.js';
import type { SandboxBot, SeededGuild } from '../../src/sandbox/discord/index.js';

describe('discord.js against the Discord sandbox', () => {
  let server: DiscordServer;
  let bot: SandboxBot;
  let seeded: SeededGuild;
  let client: Client;
  let guild: Guild;
  let general: TextChannel;

  beforeAll(async () => {
    server = await DiscordServer.start();
    bot = server.createBot({ username: 'helper' });
    seeded = server.createGuild({
      name: 'Test Guild',
      roles: [
        { name: 'Member' },
        { name: 'Subscriber' },
        {
          name: 'Bot',
          permissions: ['ManageRoles', 'ManageWebhooks', 'ViewChannel', 'SendMessages'],
        },
        { name: 'Admin', permissions: ['Administrator'] },
      ],
      channels: ['general', 'logs'],
      members: [
        { username: 'alice', roles: ['Member'] },
        { username: 'bob', dmsOpen: false },
      ],
      botRoles: ['Bot'],
    });
    client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers],
      rest: { api: server.apiUrl },
    });
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(bot.token);
    await ready;
    guild = client.guilds.cache.get(seeded.id) as Guild;
    general = guild.channels.cache.get(seeded.channels.general as string) as TextChannel;
  });

  afterAll(async () => {
    await client?.destroy();
    await server?.close();
  });

  it('logs in: READY then GUILD_CREATE fill the guild cache', () => {
    expect(client.user?.id).toBe(bot.userId);
    expect(client.application?.id).toBe(bot.appId);
    expect(guild.name).toBe('Test Guild');
    expect(guild.roles.cache.map((r) => r.name).sort()).toEqual([
      '@everyone',
      'Admin',
      'Bot',
      'Member',
      'Subscriber',
    ]);
    expect(guild.channels.cache.map((c) => c.name).sort()).toEqual(['general', 'logs']);
    expect(guild.memberCount).toBe(4); // owner, alice, bob, the bot
    // Without GUILD_PRESENCES, GUILD_CREATE carries only the bot's own member (Discord's rule).
    expect([...guild.members.cache.keys()]).toEqual([bot.userId]);
    expect(guild.members.me?.roles.cache.has(seeded.roles.Bot as string)).toBe(true);
    const identify = server.received.find((r) => r.kind === 'gateway' && r.route === 'IDENTIFY');
    expect(identify?.body).toMatchObject({ intents: 3, token: '[redacted]' });
    expect(server.gatewaySessions()).toMatchObject([
      { botUserId: bot.userId, intents: 3, connected: true },
    ]);
  });

  it('fetches members over REST and over the gateway (REQUEST_GUILD_MEMBERS)', async () => {
    const listed = await guild.members.list({ limit: 2 });
    expect(listed.size).toBe(2);
    const all = await guild.members.fetch();
    expect(all.map((m) => m.user.username).sort()).toEqual([
      'Test Guild owner',
      'alice',
      'bob',
      'helper',
    ]);
    expect(server.received.some((r) => r.route === 'REQUEST_GUILD_MEMBERS')).toBe(true);
  });

  it('adds a role with an audit-log reason; GUILD_MEMBER_UPDATE updates the cache', async () => {
    const alice = await guild.members.fetch(seeded.members.alice as string);
    const updated = new Promise<GuildMember>((resolve) =>
      client.once(Events.GuildMemberUpdate, (_old, m) => resolve(m)),
    );
    await alice.roles.add(seeded.roles.Subscriber as string, 'verified subscriber');
    expect(server.memberRoles(seeded.id, alice.id).map((r) => r.name)).toEqual([
      'Subscriber',
      'Member',
    ]);
    const put = server.received.find((r) => r.method === 'PUT' && r.path.includes('/roles/'));
    expect(put).toMatchObject({ status: 204, reason: 'verified subscriber', auth: 'bot' });
    expect(put?.bucket).toMatch(/^[0-9a-f]{32}$/);
    expect(server.auditLog(seeded.id)).toMatchObject([
      { action: 'member_role_add', targetId: alice.id, reason: 'verified subscriber' },
    ]);
    const fromGateway = await updated;
    expect(fromGateway.roles.cache.has(seeded.roles.Subscriber as string)).toBe(true);
    await alice.roles.remove(seeded.roles.Subscriber as string);
    expect(server.memberRoles(seeded.id, alice.id).map((r) => r.name)).toEqual(['Member']);
  });

  it('refuses a role above the bot with DiscordAPIError 50013', async () => {
    const before = server.invalidRequests();
    const alice = await guild.members.fetch(seeded.members.alice as string);
    const error = await alice.roles.add(seeded.roles.Admin as string).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: 50013, status: 403, message: 'Missing Permissions' });
    expect(server.invalidRequests()).toBe(before + 1);
    expect(server.memberRoles(seeded.id, alice.id).map((r) => r.name)).toEqual(['Member']);
  });

  it('DMs a member; a member with DMs closed gives 50007', async () => {
    const alice = await guild.members.fetch(seeded.members.alice as string);
    await alice.send('welcome aboard');
    expect(server.dms(alice.id).map((m) => m.content)).toEqual(['welcome aboard']);
    const bob = await guild.members.fetch(seeded.members.bob as string);
    await expect(bob.send('hi')).rejects.toMatchObject({ code: 50007, status: 403 });
    expect(server.dms(bob.id)).toEqual([]);
  });

  it('posts in a channel with allowed_mentions honoured', async () => {
    const alice = seeded.members.alice as string;
    await general.send({ content: `hi <@${alice}>`, allowedMentions: { parse: [] } });
    await general.send({ content: `hey <@${alice}>` });
    const [quiet, loud] = server.messages(general.id).slice(-2);
    expect(quiet?.mentions.users).toEqual([]);
    expect(loud?.mentions.users).toEqual([alice]);
  });

  it('handles button clicks: update the message, or show a modal', async () => {
    client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isButton()) return;
      if (interaction.customId === 'confirm') {
        await interaction.update({ content: 'confirmed', components: [] });
      } else {
        const input = new TextInputBuilder()
          .setCustomId('why')
          .setLabel('Why?')
          .setStyle(TextInputStyle.Short);
        await interaction.showModal(
          new ModalBuilder()
            .setCustomId('feedback')
            .setTitle('Feedback')
            .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input)),
        );
      }
    });
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('confirm').setLabel('Confirm').setStyle(ButtonStyle.Primary),
      new ButtonBuilder()
        .setCustomId('feedback')
        .setLabel('Feedback')
        .setStyle(ButtonStyle.Secondary),
    );
    const prompt = await general.send({ content: 'Sure?', components: [row] });
    const alice = seeded.members.alice as string;
    const modal = await server.waitForInteractionReply(
      server.clickButton({ messageId: prompt.id, customId: 'feedback', userId: alice }),
    );
    expect(modal).toMatchObject({
      kind: 'modal',
      data: { custom_id: 'feedback', title: 'Feedback' },
    });
    const update = await server.waitForInteractionReply(
      server.clickButton({ messageId: prompt.id, customId: 'confirm', userId: alice }),
    );
    expect(update).toMatchObject({ kind: 'update', content: 'confirmed', components: [] });
    expect(server.messages(general.id).find((m) => m.id === prompt.id)?.content).toBe('confirmed');
  });

  it('creates a webhook; WebhookClient sends, edits, deletes; a deleted webhook gives 10015', async () => {
    const hook = await general.createWebhook({ name: 'Alerts', reason: 'alerts feed' });
    expect(hook.token).toBeTruthy();
    const hookClient = new WebhookClient(
      { id: hook.id, token: hook.token as string },
      { rest: { api: server.apiUrl } },
    );
    try {
      const sent = await hookClient.send({
        content: 'deploy finished',
        username: 'CI',
        embeds: [{ title: 'ok' }],
      });
      expect(sent.content).toBe('deploy finished');
      expect(sent.author.username).toBe('CI');
      const [post] = server.webhookPosts(general.id);
      expect(post).toMatchObject({ id: sent.id, content: 'deploy finished', webhookId: hook.id });
      expect(post?.embeds).toEqual([{ title: 'ok' }]);
      const edited = await hookClient.editMessage(sent.id, { content: 'deploy finished (edited)' });
      expect(edited.edited_timestamp).toBeTruthy();
      expect(server.webhookPosts(general.id)[0]?.content).toBe('deploy finished (edited)');
      await hookClient.deleteMessage(sent.id);
      expect(server.webhookPosts(general.id)).toEqual([]);
      const fetched = await client.fetchWebhook(hook.id);
      expect(fetched.name).toBe('Alerts');
      await fetched.delete('done');
      await expect(hookClient.send('still there?')).rejects.toMatchObject({
        code: 10015,
        status: 404,
        message: 'Unknown Webhook',
      });
      expect(error429s(server)).toBe(0);
    } finally {
      hookClient.destroy();
    }
  });

  it('answers a raw execute without ?wait with 204 and stores the post', async () => {
    const hook = server.createWebhook({ channelId: seeded.channels.logs as string, name: 'Feed' });
    const res = await fetch(`${server.apiUrl}/v10/webhooks/${hook.id}/${hook.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'raw post' }),
    });
    expect(res.status).toBe(204);
    expect(server.webhookPosts(seeded.channels.logs)).toHaveLength(1);
    expect(server.webhookPosts(seeded.channels.logs)[0]?.author.username).toBe('Feed');
  });
});

function error429s(server: DiscordServer): number {
  return server.received.filter((r) => r.status === 429).length;
}
