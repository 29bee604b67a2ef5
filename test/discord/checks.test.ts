import { Client, Events, GatewayIntentBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkGuild } from '../../src/discord/checks.js';
import { DiscordServer, type SeededGuild } from '../../src/sandbox/discord/index.js';

let server: DiscordServer;
let client: Client;
let joined: SeededGuild;

beforeAll(async () => {
  server = await DiscordServer.start();
  const bot = server.createBot({ username: 'checker' });
  joined = server.createGuild({
    name: 'Joined',
    // Positions follow list order: the bot's role sits above the role it assigns.
    roles: [{ name: 'Tier 1' }, { name: 'Bot', permissions: ['ManageRoles', 'ViewChannel'] }],
    botRoles: ['Bot'],
  });
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: server.apiUrl } });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(bot.token);
  await ready;
});
afterAll(async () => {
  await client?.destroy();
  await server?.close();
});

describe('the startup check of a Discord guild (real discord.js against the sandbox)', () => {
  it('says when the bot is not in a configured guild, and how to fix it', async () => {
    const check = await checkGuild(client, {
      bot: 'alice',
      guildId: '999999999999999999',
      permissions: ['ManageRoles'],
      roles: [],
    });
    expect(check).toMatchObject({ guildId: '999999999999999999', present: false });
    expect(check.problems).toEqual([
      'the bot is not in guild 999999999999999999: invite it with the URL from `npx streamcogs invite alice`, or remove the guild from bots.yaml',
    ]);
  });

  it('finds nothing wrong where the bot is present with what its cogs declare', async () => {
    const check = await checkGuild(client, {
      bot: 'alice',
      guildId: joined.id,
      permissions: ['ManageRoles'],
      roles: [{ cog: 'sub-roles', role: 'Tier 1' }],
    });
    expect(check).toMatchObject({ present: true, guildName: 'Joined', missingPermissions: [] });
    expect(check.problems).toEqual([]);
  });
});
