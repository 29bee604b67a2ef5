import type { AppConfig } from '../../core/config/types.js';

/** A Discord token and the variable it came from (named in errors, never the value). */
export interface NamedToken {
  variable: string;
  token: string;
}

/**
 * The distinct Discord tokens of bots.yaml (`<BOT>_DISCORD_TOKEN` of each bot with a
 * `discord:` block; bots sharing an application share a token).
 *
 * @example
 * ```ts
 * discordTokens(config, process.env); // [{ variable: 'ALICE_DISCORD_TOKEN', token: '...' }]
 * ```
 */
export function discordTokens(
  config: AppConfig,
  env: Record<string, string | undefined>,
): NamedToken[] {
  const out = new Map<string, NamedToken>();
  for (const bot of config.bots) {
    const variable = `${bot.envPrefix}_DISCORD_TOKEN`;
    const token = bot.discord ? env[variable] : undefined;
    if (token && !out.has(token)) out.set(token, { variable, token });
  }
  return [...out.values()];
}

/**
 * `DISCORD_SHARDS=auto`: asks Discord (`GET /gateway/bot`, 10 s at most each) how many
 * shards each token should run and takes the largest, since one shard count applies to
 * every bot of the process. Throws naming the variable whose token Discord refused.
 *
 * @example
 * ```ts
 * const count = await recommendedShardCount(discordTokens(config, env), 'https://discord.com/api');
 * ```
 */
export async function recommendedShardCount(
  tokens: readonly NamedToken[],
  discordApi: string,
): Promise<number> {
  let count = 1;
  for (const { variable, token } of tokens) {
    const res = await fetch(`${discordApi}/v10/gateway/bot`, {
      headers: { authorization: `Bot ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok)
      throw new Error(
        `DISCORD_SHARDS=auto: Discord answered ${res.status} to GET /gateway/bot with ${variable}${res.status === 401 ? ' (check the token)' : ''}`,
      );
    const body = (await res.json()) as { shards?: unknown };
    if (typeof body.shards !== 'number' || body.shards < 1)
      throw new Error(`DISCORD_SHARDS=auto: GET /gateway/bot gave no shard count for ${variable}`);
    count = Math.max(count, body.shards);
  }
  return count;
}
