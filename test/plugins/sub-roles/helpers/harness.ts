/**
 * An end-to-end harness for sub-roles: the sandbox (Twitch + Discord) with a guild whose
 * roles the bot can assign (the default sandbox guild puts the tier roles above the bot's),
 * and the bot process of ./bot.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../../../../core/log.js';
import type {
  DiscordServerOptions,
  ReceivedRequest,
  SeededGuild,
} from '../../../../src/sandbox/discord/index.js';
import { startSandbox, type Sandbox } from '../../../../src/sandbox/index.js';
import { BROADCASTER, sandboxConfig, type BotWorld } from './bot.js';

export { BOT, BROADCASTER, startBot } from './bot.js';
export type { Bot, BotOptions, BotWorld } from './bot.js';
const ROLES = ['Subscriber', 'Gifted', 'Tier 1', 'Tier 2', 'Tier 3'];

/** The sandbox and the guild, shared by the bots a test starts (and restarts). */
export interface World extends BotWorld {
  sandbox: Sandbox;
  guild: SeededGuild;
  dir: string;
  /** Every Discord request, in order (not bounded like `server.received`). */
  discordLog: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * Starts the sandbox with a Discord bot and a guild (roles Subscriber, Gifted, Tier 1-3 below
 * the bot's role, which has Manage Roles), and the broadcaster's Twitch account.
 */
export async function startWorld(
  options: {
    discord?: DiscordServerOptions;
    /** Permissions of the bot's role (default Manage Roles). */
    botPermissions?: ('ManageRoles' | 'SendMessages')[];
    /** Roles placed above the bot's role. */
    rolesAboveBot?: string[];
  } = {},
): Promise<World> {
  const dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-subroles-'));
  const quiet = createLogger({ level: 'silent', pretty: false });
  const sandbox = await startSandbox({
    config: sandboxConfig(dir),
    log: quiet,
    discord: options.discord,
  });
  Object.assign(process.env, sandbox.env); // twurple reads TWURPLE_MOCK_API_PORT per request
  const guild = sandbox.discord.createGuild({
    name: 'Sub Club',
    channels: ['general'],
    roles: [
      ...ROLES.map((name) => ({ name })),
      { name: 'Bot', permissions: options.botPermissions ?? ['ManageRoles'] },
      ...(options.rolesAboveBot ?? []).map((name) => ({ name })),
    ],
    botRoles: ['Bot'],
  });
  sandbox.world.ensureUser(BROADCASTER);
  const discordLog: ReceivedRequest[] = [];
  sandbox.discord.on('record', (r) => void discordLog.push(r));
  return {
    sandbox,
    guild,
    dir,
    guildId: guild.id,
    env: sandbox.env,
    accounts: sandbox.accounts,
    applyToConfig: (c) => sandbox.applyToConfig(c),
    discordLog,
    async close() {
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
