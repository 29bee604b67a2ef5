import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { inviteText } from '../../src/commands/invite.js';
import { waitUntil } from '../../src/testing/index.js';
import {
  CONNECTION_PLUGINS,
  project,
  startProduction,
  TestWorld,
  type TwitchBotAccount,
} from '../platform/helpers/world.js';

const ACME = '111111111111111111';
const BETA = '222222222222222222';
const GAMMA = '333333333333333333';

const yaml = (aliceCogs: string): string =>
  [
    'alice:',
    '  channels: [alice_chan]',
    `  discord: { guilds: ["${ACME}", "${BETA}"] }`,
    '  cogs:',
    aliceCogs,
    'bob:',
    '  channels: [bob_chan]',
    `  discord: { guilds: ["${GAMMA}"] }`,
    '  cogs:',
    '    - conn-slash: { command: hi }',
    '',
  ].join('\n');

const ALICE_SLASH = [
  '    - conn-ping',
  '    - conn-slash:',
  '        manage:',
  `          - { guild: "${ACME}", roles: ["Tier 1"] }`,
  `          - { guild: "${BETA}", roles: ["Tier 1"] }`,
].join('\n');

let world: TestWorld;
let alice: TwitchBotAccount;
let bob: TwitchBotAccount;
let discordBot: ReturnType<TestWorld['discordBot']>;
let gammaGuild: ReturnType<TestWorld['discordGuild']>;
let proj: Awaited<ReturnType<typeof project>>;
let app: App;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  world = await TestWorld.start();
  alice = world.twitchBot('alice');
  bob = world.twitchBot('bob');
  // One Discord application shared by both bots. In Acme its role lacks Manage Roles; in
  // Beta it has it, but "Tier 1" sits above its role.
  discordBot = world.discordBot('alice', [
    {
      id: ACME,
      name: 'Acme',
      botPermissions: ['ViewChannel', 'SendMessages'],
      roles: [{ name: 'Tier 1' }],
    },
    {
      id: BETA,
      name: 'Beta',
      botPermissions: ['ManageRoles'],
      roles: [{ name: 'Bot' }, { name: 'Tier 1' }],
    },
  ]);
  gammaGuild = world.discordGuild(discordBot.userId, {
    id: GAMMA,
    name: 'Gamma',
    botPermissions: ['Administrator'],
  });
  proj = await project(yaml(ALICE_SLASH));
  await world.authorise(proj.dataDir, 'alice', alice);
  await world.authorise(proj.dataDir, 'bob', bob);
  app = await startProduction(
    world,
    proj,
    { ...alice.env, ...bob.env, ...discordBot.env, BOB_DISCORD_TOKEN: discordBot.token },
    logs,
    { watch: true },
  );
});
afterAll(async () => {
  await app?.stop();
  await world?.close();
});

const commandsIn = (guild: string): string[] =>
  world.discord.commands(discordBot.appId, guild).map((c) => c.name);

type Discord = {
  connected: boolean;
  guilds: string[];
  problems: string[];
  checks: { guildId: string; missingPermissions: string[] }[];
};

describe('Discord through Sapphire, per guild', () => {
  it('registers each guild once at startup, with one bulk overwrite, on one shared gateway connection', () => {
    expect(commandsIn(ACME)).toEqual(['hello']);
    expect(commandsIn(BETA)).toEqual(['hello']);
    expect(commandsIn(GAMMA)).toEqual(['hi']);
    const puts = world.discord.received.filter(
      (r) => r.method === 'PUT' && r.path.includes('/commands'),
    );
    expect(puts.map((r) => r.path).sort()).toEqual(
      [ACME, BETA, GAMMA]
        .map((g) => `/applications/${discordBot.appId}/guilds/${g}/commands`)
        .sort(),
    );
    expect(world.discord.gatewaySessions()).toHaveLength(1);
    // Intents: Guilds plus the GuildMembers conn-slash declares.
    expect(world.discord.gatewaySessions()[0]?.intents).toBe(3);
  });

  it("a cog's slash command is callable through the sandbox gateway, each bot answering in its own guilds", async () => {
    const acme = discordBot.guilds[0]!;
    const id = world.discord.runSlashCommand({
      guildId: ACME,
      channelId: acme.channels.general!,
      userId: acme.members[`member-of-${ACME}`]!,
      name: 'hello',
      options: { who: 'zed' },
    });
    expect(await world.discord.waitForInteractionReply(id)).toMatchObject({
      content: 'hello zed from alice',
      ephemeral: true,
    });
    const gamma = world.discord.runSlashCommand({
      guildId: GAMMA,
      channelId: gammaGuild.channels.general!,
      userId: gammaGuild.members[`member-of-${GAMMA}`]!,
      name: 'hi',
    });
    expect((await world.discord.waitForInteractionReply(gamma)).content).toMatch(/from bob$/);
  });

  it('reports a missing Manage Roles at startup with the guild and the role named, and a role above the bot', async () => {
    const body = (await (await fetch(`${app.runtime.url}/readyz`)).json()) as {
      bots: Record<string, { platform: { discord: Discord } }>;
    };
    const d = body.bots.alice!.platform.discord;
    expect(d.connected).toBe(true);
    expect(d.guilds).toEqual([`Acme (${ACME})`, `Beta (${BETA})`]);
    const acmeProblem = `guild "Acme" (${ACME}): the bot lacks Manage Roles, needed to assign "Tier 1" (its highest role "Bot")`;
    expect(d.problems.some((p) => p.startsWith(acmeProblem))).toBe(true);
    expect(d.problems).toContainEqual(
      expect.stringContaining(
        `guild "Beta" (${BETA}): role "Tier 1" (used by conn-slash) is not below the bot's highest role "Bot"`,
      ),
    );
    expect(d.checks.find((c) => c.guildId === ACME)?.missingPermissions).toEqual(['ManageRoles']);
    expect(d.checks.find((c) => c.guildId === BETA)?.missingPermissions).toEqual([]);
    const logged = logs.find((l) => l.level === 40 && String(l.msg).includes(acmeProblem));
    expect(logged?.bot).toBe('alice');
    expect(body.bots.bob!.platform.discord.problems).toEqual([]);
  });

  it('streamcogs invite prints the URL with exactly the permissions the cogs declare', async () => {
    const { text, code } = await inviteText({
      bot: 'alice',
      cwd: proj.dir,
      file: proj.file,
      env: { ...world.env, ...discordBot.env, PLUGIN_DIRS: CONNECTION_PLUGINS },
    });
    expect(code).toBe(0);
    const url = new URL(text.split('\n')[1]!);
    expect(url.searchParams.get('client_id')).toBe(discordBot.appId);
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    expect(url.searchParams.get('permissions')).toBe(String(1n << 28n)); // Manage Roles only
    expect(text).toContain('Permissions its cogs declare: Manage Roles');
    expect(text).toContain(
      'privileged intents for the application (Developer Portal > Bot): GuildMembers',
    );
  });

  it('after a reload that removes the cog, its command is gone from the guild', async () => {
    await writeFile(proj.file, yaml('    - conn-ping'));
    await waitUntil(
      () => commandsIn(ACME).length === 0 && commandsIn(BETA).length === 0,
      'the commands removed',
      15_000,
    );
    expect(commandsIn(GAMMA)).toEqual(['hi']); // bob's untouched
    const acme = discordBot.guilds[0]!;
    expect(() =>
      world.discord.runSlashCommand({
        guildId: ACME,
        channelId: acme.channels.general!,
        userId: acme.members[`member-of-${ACME}`]!,
        name: 'hello',
      }),
    ).toThrow(/no chat-input command "hello"/);
  });
});
