import type { AppConfig, ConfigIssue } from '../core/config/types.js';

/** How the process runs: against the real platforms, or the embedded sandbox. */
export type RunMode =
  | { kind: 'sandbox'; reason: string }
  | { kind: 'production' }
  | { kind: 'partial'; issues: ConfigIssue[] };

/**
 * Decides the mode from the credentials present. No Twitch or Discord credentials at
 * all: sandbox. Every one needed: production. Some: an error listing what is missing,
 * never a silent fallback. `SANDBOX=1` forces the sandbox; `SANDBOX=0` forbids it.
 *
 * @example
 * ```ts
 * const mode = decideMode(config, process.env);
 * if (mode.kind === 'partial') console.error(formatIssues(mode.issues));
 * ```
 */
export function decideMode(config: AppConfig, env: Record<string, string | undefined>): RunMode {
  if (env.SANDBOX === '1' || env.SANDBOX === 'true')
    return { kind: 'sandbox', reason: 'SANDBOX=1' };
  const needed: { bot: string; variable: string; present: boolean }[] = [];
  for (const bot of config.bots) {
    const p = bot.envPrefix;
    for (const v of [`${p}_CLIENT_ID`, `${p}_CLIENT_SECRET`])
      needed.push({ bot: bot.name, variable: v, present: Boolean(env[v]) });
    if (bot.discord)
      needed.push({
        bot: bot.name,
        variable: `${p}_DISCORD_TOKEN`,
        present: Boolean(env[`${p}_DISCORD_TOKEN`]),
      });
  }
  const present = needed.filter((n) => n.present);
  if (present.length === 0 && env.SANDBOX !== '0' && env.SANDBOX !== 'false')
    return { kind: 'sandbox', reason: 'no Twitch or Discord credentials in the environment' };
  const missing = needed.filter((n) => !n.present);
  if (missing.length === 0) return { kind: 'production' };
  return {
    kind: 'partial',
    issues: missing.map((m) => ({
      severity: 'error',
      file: 'environment',
      path: m.bot,
      message: `${m.variable} is not set, but other credentials are (${present.map((p) => p.variable).join(', ') || 'SANDBOX=0'})`,
      fix: `set ${m.variable} in .env, or remove every credential to run in the sandbox`,
    })),
  };
}
