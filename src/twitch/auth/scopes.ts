import type { PluginNeeds } from '../../../core/index.js';
import type { BotConfig } from '../../../core/config/types.js';
import { ALL_SCOPES, KNOWN_TWITCH_SCOPES } from '../../../core/config/twitch-scopes.js';

/**
 * The scopes chat needs: reading and sending.
 *
 * @example
 * ```ts
 * CHAT_SCOPES.includes('chat:edit'); // true
 * ```
 */
export const CHAT_SCOPES = ['chat:read', 'chat:edit'] as const;

/** One enabled cog and what it declares it needs. */
export interface CogNeeds {
  cog: string;
  needs: PluginNeeds | undefined;
}

/** What `streamcogs auth` asks Twitch for, and why. */
export interface ScopePlan {
  /** Sent to Twitch. */
  request: string[];
  /** What the bot's cogs (and chat) actually need. */
  needed: string[];
  /** `scope -> who needs it` (`chat`, or cog names). */
  reasons: Record<string, string[]>;
  /** Things to tell the user, e.g. that `all_scopes` asks for far more than needed. */
  warnings: string[];
}

/**
 * Works out the scopes to request for a bot: the union of its enabled cogs'
 * `needs.twitchScopes`, plus `chat:read`/`chat:edit` when it has channels. `scopes:
 * all_scopes` (twitch-creamery) still requests everything, with a warning naming what is
 * needed; an explicit `scopes:` list is requested, plus anything a cog needs that it lacks.
 *
 * @example
 * ```ts
 * const plan = planScopes(bot, [{ cog: 'eventsub', needs: { twitchScopes: ['bits:read'] } }]);
 * plan.request; // ['bits:read', 'chat:edit', 'chat:read']
 * ```
 */
export function planScopes(bot: BotConfig, cogs: readonly CogNeeds[]): ScopePlan {
  const reasons: Record<string, string[]> = {};
  const add = (scope: string, why: string): void => {
    (reasons[scope] ??= []).push(why);
  };
  if (bot.channels.length > 0) for (const s of CHAT_SCOPES) add(s, 'chat');
  for (const { cog, needs } of cogs) for (const s of needs?.twitchScopes ?? []) add(s, cog);
  const needed = Object.keys(reasons).sort();
  const warnings: string[] = [];
  let request: string[];
  if (bot.scopes === ALL_SCOPES) {
    request = [...new Set([...KNOWN_TWITCH_SCOPES, ...needed])].sort();
    warnings.push(
      `bot "${bot.name}": scopes: all_scopes asks Twitch for all ${request.length} scopes; its cogs need only ${needed.length > 0 ? needed.join(', ') : 'none'}. Replace all_scopes with that list so the account grants no more than it must.`,
    );
  } else {
    const listed = new Set(bot.scopes);
    const missing = needed.filter((s) => !listed.has(s));
    for (const s of missing)
      warnings.push(
        `bot "${bot.name}": ${(reasons[s] ?? []).join(', ')} needs scope ${s}, which scopes: does not list; requesting it anyway (add it to bots.yaml)`,
      );
    request = [...new Set([...bot.scopes, ...needed])].sort();
  }
  return { request, needed, reasons, warnings };
}

/**
 * The needed scopes a granted token lacks.
 *
 * @example
 * ```ts
 * missingScopes(['chat:read'], ['chat:read', 'chat:edit']); // ['chat:edit']
 * ```
 */
export function missingScopes(granted: readonly string[], needed: readonly string[]): string[] {
  const have = new Set(granted);
  return needed.filter((s) => !have.has(s));
}
