import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from '@sapphire/framework';
import { MessageFlags } from 'discord.js';
import type { CogScope, Disposer } from '../../core/index.js';
import { createLogger } from '../../core/log.js';
import type { BotDiscord } from '../../src/discord/bot-discord.js';
import { discordFacet } from '../../src/discord/facet.js';
import { DiscordHub } from '../../src/discord/hub.js';
import { readEndpoints } from '../../src/endpoints.js';
import {
  DiscordServer,
  type SandboxBot,
  type SeededGuild,
} from '../../src/sandbox/discord/index.js';
import { waitUntil } from '../../src/testing/index.js';

let server: DiscordServer;
let hub: DiscordHub;
let bot: SandboxBot;
let g1: SeededGuild;
let g2: SeededGuild;
const errors: unknown[] = [];
const attached: BotDiscord[] = [];
const log = createLogger({ level: 'silent' });

beforeAll(async () => {
  server = await DiscordServer.start();
  bot = server.createBot({ username: 'hub-bot' });
  g1 = server.createGuild({
    name: 'One',
    channels: ['general'],
    members: [{ username: 'ann' }],
    botRoles: [],
  });
  g2 = server.createGuild({ name: 'Two', channels: ['general'], members: [{ username: 'ben' }] });
  hub = new DiscordHub({
    endpoints: readEndpoints({ DISCORD_API_URL: server.apiUrl }),
    log,
    settleMs: 50,
  });
  await hub.load();
});
afterAll(async () => {
  await server?.close();
});

/** A cog's scope as the kernel builds it: tracked disposers, guarded handlers. */
function scope(cog: string): CogScope & { dispose(): Promise<void> } {
  const disposers: Disposer[] = [];
  return {
    bot: 'alice',
    cog,
    log,
    signal: new AbortController().signal,
    track: (d) => (disposers.push(d), d),
    guard:
      (_label, fn) =>
      async (...args) => {
        try {
          await fn(...args);
        } catch (err) {
          errors.push(err);
        }
      },
    async dispose() {
      for (const d of disposers.reverse()) await d();
    },
  };
}

const puts = (guild: string) =>
  server.received.filter(
    (r) => r.method === 'PUT' && r.path === `/applications/${bot.appId}/guilds/${guild}/commands`,
  ).length;
const names = (guild: string) =>
  server
    .commands(bot.appId, guild)
    .map((c) => c.name)
    .sort();

function run(guild: SeededGuild, user: string, name: string): Promise<string | undefined> {
  const id = server.runSlashCommand({
    guildId: guild.id,
    channelId: guild.channels.general!,
    userId: guild.members[user]!,
    name,
  });
  return server.waitForInteractionReply(id).then((r) => r.content);
}

describe('DiscordHub and ctx.discord', () => {
  const cogA = scope('cog-a');
  const cogB = scope('cog-b');

  it('holds registrations during startup, then overwrites each guild once', async () => {
    hub.hold();
    const bd = hub.attach({
      bot: 'alice',
      token: bot.token,
      guilds: [g1.id, g2.id],
      permissions: [],
      intents: [],
    });
    attached.push(bd);
    await hub.start(bd);
    const a = discordFacet(cogA, bd);
    const b = discordFacet(cogB, bd);
    a.registerCommand({ data: { name: 'one', description: 'first' }, run: (i) => i.reply('one!') });
    a.registerCommand({
      data: { name: 'two', description: 'second' },
      guilds: [g2.id],
      run: (i) => i.reply('two!'),
    });
    b.registerCommand({
      data: { toJSON: () => ({ name: 'boom', description: 'throws' }) },
      run: () => {
        throw new Error('kaboom');
      },
    });
    expect(() =>
      a.registerCommand({ data: { name: 'x', description: 'x' }, guilds: ['999'], run: () => {} }),
    ).toThrow(/guild 999 is not in the discord.guilds of bot "alice"/);
    expect(() =>
      a.registerCommand({ data: { name: 'one', description: 'again' }, run: () => {} }),
    ).toThrow(/already registered/);
    expect(puts(g1.id)).toBe(0);
    await hub.release();
    expect(puts(g1.id)).toBe(1);
    expect(puts(g2.id)).toBe(1);
    expect(names(g1.id)).toEqual(['boom', 'one']);
    expect(names(g2.id)).toEqual(['boom', 'one', 'two']);
    expect(await run(g2, 'ben', 'two')).toBe('two!');
    expect(await run(g1, 'ann', 'one')).toBe('one!');
  });

  it('a handler that throws is contained: the user gets an ephemeral apology, the error goes to the guard', async () => {
    const id = server.runSlashCommand({
      guildId: g1.id,
      channelId: g1.channels.general!,
      userId: g1.members.ann!,
      name: 'boom',
    });
    expect(await server.waitForInteractionReply(id)).toMatchObject({
      ephemeral: true,
      content: expect.stringContaining('Something went wrong'),
    });
    await waitUntil(() => errors.length > 0, 'the guarded error');
    expect(String(errors[0])).toContain('kaboom');
  });

  it('unloading a cog overwrites its guilds again (debounced: one request per guild), so its commands disappear', async () => {
    const before = [puts(g1.id), puts(g2.id)];
    await cogB.dispose();
    await hub.settled();
    expect([puts(g1.id), puts(g2.id)]).toEqual([before[0]! + 1, before[1]! + 1]);
    expect(names(g1.id)).toEqual(['one']);
    expect(names(g2.id)).toEqual(['one', 'two']);
    expect(await run(g1, 'ann', 'one')).toBe('one!'); // new ids still routed
  });

  it('buttons, listeners and raw Sapphire pieces go through the same realm', async () => {
    const cog = scope('cog-c');
    // A second bot of bots.yaml on the same Discord application shares the client.
    const entry = hub.attach({
      bot: 'alice2',
      token: bot.token,
      guilds: [g1.id],
      permissions: [],
      intents: [],
    });
    attached.push(entry);
    await hub.start(entry);
    const d = discordFacet(cog, entry);
    const clicks: string[] = [];
    d.registerButton({
      customId: 'cog-c:pick',
      run: async (i) => (
        clicks.push(i.customId),
        i.reply({ content: 'picked', flags: MessageFlags.Ephemeral })
      ),
    });
    class Raw extends Command {
      override registerApplicationCommands(registry: Command.Registry): void {
        registry.registerChatInputCommand((x) => x.setName('raw').setDescription('a raw piece'));
      }
      override async chatInputRun(i: Command.ChatInputCommandInteraction): Promise<void> {
        await i.reply({
          content: 'raw!',
          components: [
            {
              type: 1,
              components: [{ type: 2, style: 1, label: 'Pick', custom_id: 'cog-c:pick:7' }],
            },
          ],
        });
      }
    }
    d.registerPiece('commands', 'raw', Raw as never);
    const seen: (string | null)[] = [];
    d.on('interactionCreate', (i) => void seen.push(i.guildId));
    await hub.settled();
    expect(names(g1.id)).toEqual(['one', 'raw']);
    const id = server.runSlashCommand({
      guildId: g1.id,
      channelId: g1.channels.general!,
      userId: g1.members.ann!,
      name: 'raw',
    });
    expect((await server.waitForInteractionReply(id)).content).toBe('raw!');
    const message = server.messages(g1.channels.general!).find((m) => m.content === 'raw!');
    const click = server.clickButton({
      messageId: message!.id,
      customId: 'cog-c:pick:7',
      userId: g1.members.ann!,
    });
    expect((await server.waitForInteractionReply(click)).content).toBe('picked');
    expect(clicks).toEqual(['cog-c:pick:7']);
    // Events of guilds this bot does not serve are not delivered to its listeners.
    expect(await run(g2, 'ben', 'two')).toBe('two!');
    expect(seen).toEqual([g1.id, g1.id]);
    await cog.dispose();
    await hub.settled();
    expect(names(g1.id)).toEqual(['one']);
  });

  it('a refused login is reported on the bot, not thrown', async () => {
    const bd = hub.attach({
      bot: 'mallory',
      token: 'Ym9ndXM.bogus.token',
      guilds: [g1.id],
      permissions: [],
      intents: [],
    });
    await hub.start(bd);
    expect(bd.connection.connected).toBe(false);
    expect(bd.problems()).toEqual([expect.stringMatching(/^Discord login failed: /)]);
    await hub.detach(bd);
  });

  it('logs out when the last bot leaves', async () => {
    const sessions = () => server.gatewaySessions().filter((s) => s.connected).length;
    expect(sessions()).toBe(1);
    await cogA.dispose();
    await hub.detach(attached[0]!);
    expect(sessions()).toBe(1); // alice2 still uses it
    await hub.detach(attached[1]!);
    await waitUntil(() => sessions() === 0, 'the gateway session closed');
  });
});
