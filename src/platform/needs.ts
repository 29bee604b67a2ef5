import type { PluginDefinition } from '../../core/index.js';
import type { BotConfig } from '../../core/config/types.js';
import { planScopes, type CogNeeds } from '../twitch/auth/scopes.js';

/** What a bot's enabled cogs declare they need from the platforms. */
export interface BotNeeds {
  cogs: CogNeeds[];
  /** Scopes the bot's token needs: the cogs' plus chat's. */
  twitchScopes: string[];
  /** Gateway intents (discord.js names), without the implied `Guilds`. */
  discordIntents: string[];
  /** Permissions (discord.js names) for the invite link and the guild checks. */
  discordPermissions: string[];
}

/**
 * Collects the `needs` of a bot's cogs (cogs that fail to load are left out; the host
 * reports them when it mounts them).
 *
 * @example
 * ```ts
 * const needs = await resolveNeeds(bot, (name) => catalog.load(name));
 * needs.discordPermissions; // ['ManageRoles']
 * ```
 */
export async function resolveNeeds(
  bot: BotConfig,
  load: (name: string) => Promise<PluginDefinition>,
): Promise<BotNeeds> {
  const cogs: CogNeeds[] = [];
  for (const cog of bot.cogs) {
    const plugin = await load(cog.name).catch(() => undefined);
    if (plugin) cogs.push({ cog: cog.name, needs: plugin.needs });
  }
  const union = (pick: (c: CogNeeds) => readonly string[] | undefined): string[] =>
    [...new Set(cogs.flatMap((c) => [...(pick(c) ?? [])]))].sort();
  return {
    cogs,
    twitchScopes: planScopes(bot, cogs).needed,
    discordIntents: union((c) => c.needs?.discordIntents),
    discordPermissions: union((c) => c.needs?.discordPermissions),
  };
}
