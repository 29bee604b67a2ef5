import type { BotDraft } from './bots.js';
import { secretVariables } from './env.js';
import { deepFreeze } from './freeze.js';
import type { AppConfig, ConfigIssue } from './types.js';

const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|WEBHOOK|CREDENTIAL|AUTH/i;

/**
 * Values that must never appear in an issue: every bot's secrets, and values substituted
 * for `${VAR}` when the variable's name looks secret or the value is long.
 *
 * @example
 * ```ts
 * secretValues(drafts, env, substituted); // ['abc123...', ...]
 * ```
 */
export function secretValues(
  bots: readonly BotDraft[],
  env: Readonly<Record<string, string | undefined>>,
  substituted: ReadonlyMap<string, string>,
): string[] {
  const values = new Set<string>();
  for (const bot of bots) {
    for (const name of Object.values(secretVariables(bot.envPrefix))) {
      const value = env[name];
      if (value && value.length >= 4) values.add(value);
    }
  }
  for (const [name, value] of substituted) {
    if (value.length >= 4 && (SECRET_NAME.test(name) || value.length >= 12)) values.add(value);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/**
 * Replaces any secret value found in messages, fixes and source excerpts with `***`.
 *
 * @example
 * ```ts
 * redact([{ ...issue, message: 'bad token abc12345' }], ['abc12345'])[0].message; // 'bad token ***'
 * ```
 */
export function redact(issues: readonly ConfigIssue[], secrets: readonly string[]): ConfigIssue[] {
  if (secrets.length === 0) return [...issues];
  const scrub = (text: string) =>
    secrets.reduce((out, secret) => out.split(secret).join('***'), text);
  return issues.map((issue) => {
    const clean: ConfigIssue = { ...issue, message: scrub(issue.message) };
    if (issue.fix !== undefined) clean.fix = scrub(issue.fix);
    if (issue.excerpt !== undefined) clean.excerpt = scrub(issue.excerpt);
    return clean;
  });
}

/**
 * Freezes the loaded configuration, settings included: mutating it throws in strict mode.
 *
 * @example
 * ```ts
 * const config = freezeConfig({ file: '/srv/bots.yaml', bots });
 * Object.isFrozen(config.bots[0].cogs[0].settings); // true
 * ```
 */
export function freezeConfig(config: AppConfig): AppConfig {
  return deepFreeze(config);
}
