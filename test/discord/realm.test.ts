import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command, LogLevel, SapphireClient, container } from '@sapphire/framework';
import { Events, GatewayIntentBits, MessageFlags } from 'discord.js';
import { SapphireRealm } from '../../src/discord/realm.js';
import {
  DiscordServer,
  type SandboxBot,
  type SeededGuild,
} from '../../src/sandbox/discord/index.js';

let server: DiscordServer;
const clients: SapphireClient[] = [];

beforeAll(async () => {
  server = await DiscordServer.start();
});
afterAll(async () => {
  for (const c of clients) await c.destroy();
  await server?.close();
});

function pingPiece(label: string) {
  return class extends Command {
    override async chatInputRun(i: Command.ChatInputCommandInteraction): Promise<void> {
      // `this.container.client` must be this bot's client, not the last one created.
      await i.reply({
        content: `${label} answered as ${this.container.client.user?.username}`,
        flags: MessageFlags.Ephemeral,
      });
    }
  };
}

async function login(realm: SapphireRealm | undefined, bot: SandboxBot): Promise<SapphireClient> {
  const make = () =>
    new SapphireClient({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: server.apiUrl },
      baseUserDirectory: null,
      logger: { level: LogLevel.None },
    });
  const client = realm ? realm.run(make) : make();
  clients.push(client);
  const ready = new Promise<void>((r) => client.once(Events.ClientReady, () => r()));
  await (realm ? realm.run(() => client.login(bot.token)) : client.login(bot.token));
  await ready;
  return client;
}

async function ask(guild: SeededGuild, user: string): Promise<string | undefined> {
  const id = server.runSlashCommand({
    guildId: guild.id,
    channelId: guild.channels.general!,
    userId: guild.members[user]!,
    name: 'ping',
  });
  return (await server.waitForInteractionReply(id)).content;
}

describe('SapphireRealm: several Sapphire clients in one process', () => {
  it('each client dispatches interactions to its own pieces and sees itself as container.client', async () => {
    const a = server.createBot({ username: 'bot-a' });
    const b = server.createBot({ username: 'bot-b' });
    const ga = server.createGuild({
      name: 'A',
      channels: ['general'],
      members: [{ username: 'ann' }],
      bots: [a.userId],
    });
    const gb = server.createGuild({
      name: 'B',
      channels: ['general'],
      members: [{ username: 'ben' }],
      bots: [b.userId],
    });
    const realms = [
      new SapphireRealm({ skipCorePieces: ['CoreReady'] }),
      new SapphireRealm({ skipCorePieces: ['CoreReady'] }),
    ];
    const pairs = [
      { realm: realms[0]!, bot: a, guild: ga, label: 'a' },
      { realm: realms[1]!, bot: b, guild: gb, label: 'b' },
    ];
    for (const p of pairs) {
      const client = await login(p.realm, p.bot);
      // Both bots name their command piece "ping": each realm has its own store.
      await p.realm.run(() =>
        p.realm.stores.loadPiece({ store: 'commands', name: 'ping', piece: pingPiece(p.label) }),
      );
      const result = await client.application!.commands.set(
        [{ name: 'ping', description: 'p' }],
        p.guild.id,
      );
      for (const [id] of result)
        p.realm.stores.get('commands').aliases.set(id, p.realm.stores.get('commands').get('ping')!);
    }
    expect(await ask(ga, 'ann')).toBe('a answered as bot-a');
    expect(await ask(gb, 'ben')).toBe('b answered as bot-b');
    expect(realms[0]!.stores).not.toBe(realms[1]!.stores);
  });

  it('outside any realm, a plain SapphireClient still gets the built-in listeners', async () => {
    const c = server.createBot({ username: 'plain' });
    const g = server.createGuild({
      name: 'C',
      channels: ['general'],
      members: [{ username: 'cat' }],
      bots: [c.userId],
    });
    class Ping extends Command {
      override registerApplicationCommands(registry: Command.Registry): void {
        registry.registerChatInputCommand((x) => x.setName('ping').setDescription('p'), {
          guildIds: [g.id],
        });
      }
      override async chatInputRun(i: Command.ChatInputCommandInteraction): Promise<void> {
        await i.reply({ content: 'plain pong', flags: MessageFlags.Ephemeral });
      }
    }
    const client = await login(undefined, c);
    await container.stores.loadPiece({ store: 'commands', name: 'plain-ping', piece: Ping });
    await container.stores.get('commands').loadAll(); // Sapphire registers commands here
    await expect.poll(() => server.commands(c.appId, g.id).map((x) => x.name)).toEqual(['ping']);
    expect(await ask(g, 'cat')).toBe('plain pong');
    expect(container.client).toBe(client);
  });
});
