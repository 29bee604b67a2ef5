import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApplicationCommandRegistries,
  Command,
  container,
  LogLevel,
  RegisterBehavior,
  SapphireClient,
} from '@sapphire/framework';
import { Events, GatewayIntentBits, MessageFlags } from 'discord.js';
import { DiscordServer } from '../../src/sandbox/discord/index.js';
import type { SandboxBot, SeededGuild } from '../../src/sandbox/discord/index.js';

describe('Sapphire against the Discord sandbox', () => {
  let server: DiscordServer;
  let bot: SandboxBot;
  let seeded: SeededGuild;
  let client: SapphireClient;

  beforeAll(async () => {
    server = await DiscordServer.start();
    bot = server.createBot({ username: 'sapphire-bot' });
    seeded = server.createGuild({
      name: 'Sapphire Guild',
      channels: ['general'],
      members: [{ username: 'alice' }],
    });
    const guildIds = [seeded.id];

    class PingCommand extends Command {
      override registerApplicationCommands(registry: Command.Registry): void {
        registry.registerChatInputCommand(
          (b) => b.setName('ping').setDescription('Replies with pong'),
          {
            guildIds,
          },
        );
      }
      override async chatInputRun(interaction: Command.ChatInputCommandInteraction): Promise<void> {
        await interaction.reply({ content: 'pong', flags: MessageFlags.Ephemeral });
      }
    }

    class SlowCommand extends Command {
      override registerApplicationCommands(registry: Command.Registry): void {
        registry.registerChatInputCommand(
          (b) =>
            b
              .setName('slow')
              .setDescription('Defers, then edits')
              .addUserOption((o) => o.setName('target').setDescription('Who').setRequired(true)),
          { guildIds },
        );
      }
      override async chatInputRun(interaction: Command.ChatInputCommandInteraction): Promise<void> {
        await interaction.deferReply();
        const target = interaction.options.getUser('target', true);
        await interaction.editReply(`done for ${target.username}`);
        await interaction.followUp({ content: 'and a follow-up', flags: MessageFlags.Ephemeral });
      }
    }

    ApplicationCommandRegistries.setDefaultBehaviorWhenNotIdentical(RegisterBehavior.BulkOverwrite);
    client = new SapphireClient({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: server.apiUrl },
      baseUserDirectory: null,
      loadMessageCommandListeners: false,
      logger: { level: LogLevel.None },
    });
    container.stores.loadPiece({ store: 'commands', name: 'ping', piece: PingCommand });
    container.stores.loadPiece({ store: 'commands', name: 'slow', piece: SlowCommand });
    const registered = new Promise<void>((resolve) =>
      client.once('applicationCommandRegistriesRegistered', () => resolve()),
    );
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(bot.token);
    await ready;
    await registered;
  });

  afterAll(async () => {
    await client?.destroy();
    await server?.close();
  });

  it('registers guild commands with one bulk-overwrite PUT', () => {
    expect(
      server
        .commands(bot.appId, seeded.id)
        .map((c) => c.name)
        .sort(),
    ).toEqual(['ping', 'slow']);
    const puts = server.received.filter((r) => r.method === 'PUT' && r.route.includes('/commands'));
    expect(puts.map((r) => r.path)).toContain(
      `/applications/${bot.appId}/guilds/${seeded.id}/commands`,
    );
    expect(puts.every((r) => r.status === 200)).toBe(true);
    // Nothing Sapphire asked for at start-up was unknown or refused.
    expect(server.received.filter((r) => r.status >= 400)).toEqual([]);
  });

  it('runs a slash command whose chatInputRun replies ephemerally', async () => {
    const id = server.runSlashCommand({
      guildId: seeded.id,
      channelId: seeded.channels.general as string,
      userId: seeded.members.alice as string,
      name: 'ping',
    });
    const reply = await server.waitForInteractionReply(id);
    expect(reply).toMatchObject({
      kind: 'message',
      content: 'pong',
      ephemeral: true,
      deferred: false,
    });
    const callback = server.received.find((r) => r.path.startsWith(`/interactions/${id}/`));
    expect(callback).toMatchObject({ auth: 'none', status: 204, body: { type: 4 } });
  });

  it('defers, edits @original and follows up', async () => {
    const alice = seeded.members.alice as string;
    const id = server.runSlashCommand({
      guildId: seeded.id,
      channelId: seeded.channels.general as string,
      userId: alice,
      name: 'slow',
      options: { target: alice },
    });
    const reply = await server.waitForInteractionReply(id);
    expect(reply).toMatchObject({
      kind: 'edit',
      content: 'done for alice',
      deferred: true,
      ephemeral: false,
    });
    const interaction = server.interaction(id);
    await expect.poll(() => server.interaction(id)?.replies.length).toBe(3);
    expect(interaction?.replies.map((r) => r.kind)).toEqual(['deferred', 'edit', 'followup']);
    expect(interaction?.replies[2]).toMatchObject({ content: 'and a follow-up', ephemeral: true });
    const edit = server.received.find(
      (r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original'),
    );
    expect(edit).toMatchObject({ status: 200, auth: 'webhook' });
    expect(server.messages(seeded.channels.general as string).map((m) => m.content)).toContain(
      'done for alice',
    );
  });
});
