import type { Command } from 'commander';
import { applicationIdFromToken, buildInvite, describeInvite } from '../discord/invite.js';
import { readEndpoints } from '../endpoints.js';
import { loadEverything, renderIssues } from '../load.js';
import { resolveNeeds } from '../platform/needs.js';

/**
 * The invite text of one bot, or an error message (with the fix) and exit code.
 *
 * @example
 * ```ts
 * const { text, code } = await inviteText({ bot: 'alice' });
 * ```
 */
export async function inviteText(options: {
  bot: string;
  guild?: string;
  cwd?: string;
  file?: string;
  env?: Record<string, string | undefined>;
}): Promise<{ text: string; code: number }> {
  const loaded = await loadEverything({ cwd: options.cwd, file: options.file, env: options.env });
  if (!loaded.config) return { text: renderIssues(loaded.errors), code: 2 };
  const bot = loaded.config.bots.find((b) => b.name === options.bot);
  if (!bot)
    return {
      text: `streamcogs: there is no bot "${options.bot}" in ${loaded.file} (bots: ${loaded.config.bots.map((b) => b.name).join(', ')})\n`,
      code: 2,
    };
  if (!bot.discord)
    return {
      text: `streamcogs: bot "${bot.name}" has no discord: block (fix: add discord: { guilds: ["<guild id>"] } to it in bots.yaml)\n`,
      code: 2,
    };
  const token = bot.secrets.discordToken;
  const appId = bot.discord.application ?? (token ? applicationIdFromToken(token) : undefined);
  if (!appId)
    return {
      text: `streamcogs: the application id of "${bot.name}" is unknown (fix: set discord.application in bots.yaml, or ${bot.envPrefix}_DISCORD_TOKEN)\n`,
      code: 2,
    };
  const needs = await resolveNeeds(bot, (n) => loaded.catalog.load(n));
  const invite = buildInvite(
    readEndpoints(loaded.env),
    appId,
    needs.discordPermissions,
    needs.discordIntents,
    options.guild,
  );
  return { text: describeInvite(bot.name, invite), code: 0 };
}

/**
 * `streamcogs invite <bot> [--guild <id>]`: prints the bot's Discord invite URL with
 * exactly the permissions its enabled cogs declare.
 *
 * @example
 * ```ts
 * registerInvite(program);
 * ```
 */
export function registerInvite(program: Command): void {
  program
    .command('invite <bot>')
    .description("print the bot's Discord invite URL with the permissions its cogs declare")
    .option('-c, --config <file>', 'bots.yaml to use (default: CONFIG_FILENAME or bots.yaml)')
    .option('-g, --guild <id>', 'preselect this server')
    .action(async (bot: string, opts: { config?: string; guild?: string }) => {
      const { text, code } = await inviteText({ bot, guild: opts.guild, file: opts.config });
      (code === 0 ? process.stdout : process.stderr).write(text);
      process.exitCode = code;
    });
}
