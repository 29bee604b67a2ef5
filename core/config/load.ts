import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { isValidPrefix } from './bot-fields.js';
import { readBots, type BotDraft } from './bots.js';
import { cachedLookup, resolveBotCogs } from './cogs.js';
import { quote } from './describe.js';
import {
  CONFIG_FILENAME_VAR,
  DEFAULT_CONFIG_FILE,
  DEFAULT_PREFIX_VAR,
  readSecrets,
  resolveConfigPath,
  secretVariables,
} from './env.js';
import { freezeConfig, redact, secretValues } from './finish.js';
import { sortIssues } from './issues.js';
import { IssueSink } from './issue-sink.js';
import { explainYamlError, parseYaml } from './parse-yaml.js';
import { yamlPathAt } from './yaml-path-at.js';
import type { ReadContext } from './read-node.js';
import { suggest } from './suggest.js';
import type { BotConfig, CogConfig, ConfigIssue, LoadOptions, LoadResult } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Loads and checks bots.yaml against the environment and the cog catalog. Never throws
 * for a user's mistake: every problem is returned at once, each with file, line, column,
 * path and a fix.
 *
 * Steps: find the file (`options.file`, else `CONFIG_FILENAME`, else `bots.yaml`), parse
 * it, expand `${VAR}` / `${VAR:-default}` in values, read each bot (top-level keys; keys
 * starting with `x-` are skipped, a place for YAML anchors), look its cogs up and check
 * their settings, then read secrets (`<BOT>_CLIENT_ID`, `<BOT>_CLIENT_SECRET`,
 * `<BOT>_DISCORD_TOKEN`). On success the config is deeply frozen.
 *
 * @example
 * ```ts
 * const env = { ...loadEnvFile(process.cwd()), ...process.env };
 * const result = await loadConfig({ env, catalog, requireCredentials: true });
 * if (!result.ok) {
 *   console.error(formatIssues([...result.errors, ...result.warnings], { color: true }));
 *   process.exit(1);
 * }
 * for (const bot of result.config.bots) console.log(bot.name, bot.cogs.map((c) => c.name));
 * ```
 */
export async function loadConfig(options: LoadOptions): Promise<LoadResult> {
  const env: Env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = options.file ? resolve(cwd, options.file) : resolveConfigPath(env, cwd);
  const shown = displayName(file, cwd);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, errors: [unreadable(file, shown, error, env)], warnings: [] };
  }
  const parsed = parseYaml(text);
  const sink = new IssueSink(shown, parsed.source);
  const ctx: ReadContext = {
    doc: parsed.doc,
    sink,
    env,
    substituted: new Map(),
    reported: new WeakSet(),
  };
  const diagnostics = parsed.diagnostics.map(({ severity, error }) => ({
    severity,
    ...explainYamlError(error, text),
  }));

  const drafts = readBots(ctx, defaultPrefix(env, sink), options.catalog.knownNames());
  const lookup = cachedLookup(options.catalog);
  const cogs = await Promise.all(
    drafts.map((bot) =>
      resolveBotCogs(bot.name, bot.entries, bot.scopes, options.catalog, lookup, sink),
    ),
  );
  const cutoff = Math.min(
    ...diagnostics
      .filter((d) => d.severity === 'error' && !sink.isSuppressed(d.span[0]))
      .map((d) => parsed.source.position(d.span[0]).line),
  );
  for (const bot of drafts) {
    if (options.requireCredentials && bot.line < cutoff) checkCredentials(bot, env, sink);
  }
  for (const { severity, message, fix, span } of diagnostics) {
    if (!sink.isSuppressed(span[0]))
      sink.at(severity, yamlPathAt(parsed.source.text, span[0]), span, {
        code: 'yaml-syntax',
        message,
        fix,
      });
  }
  // Past a syntax error the parser guesses: keep only errors above it, and no warnings.
  const kept = sink.issues.filter(
    (issue) =>
      issue.code === 'yaml-syntax' ||
      cutoff === Infinity ||
      (issue.severity === 'error' && (issue.file !== shown || (issue.line ?? 0) < cutoff)),
  );
  const issues = redact(kept, secretValues(drafts, env, ctx.substituted));
  const errors = sortIssues(issues.filter((issue) => issue.severity === 'error'));
  const warnings = sortIssues(issues.filter((issue) => issue.severity === 'warning'));
  if (errors.length > 0) return { ok: false, errors, warnings };
  const bots = drafts.map((draft, index) => toBotConfig(draft, cogs[index] ?? [], env));
  return { ok: true, config: freezeConfig({ file, bots }), warnings };
}

function toBotConfig(draft: BotDraft, cogs: CogConfig[], env: Env): BotConfig {
  const bot: BotConfig = {
    name: draft.name,
    envPrefix: draft.envPrefix,
    prefix: draft.prefix ?? '!',
    channels: draft.channels,
    scopes: draft.scopes,
    cogs,
    secrets: readSecrets(draft.envPrefix, env),
  };
  if (draft.discord) bot.discord = draft.discord;
  return bot;
}

function displayName(file: string, cwd: string): string {
  const shown = relative(cwd, file);
  return shown && !shown.startsWith('..') && !isAbsolute(shown) ? shown : file;
}

function unreadable(file: string, shown: string, error: unknown, env: Env): ConfigIssue {
  const code = (error as NodeJS.ErrnoException).code;
  const named = env[CONFIG_FILENAME_VAR]?.trim();
  const fix = named
    ? `${CONFIG_FILENAME_VAR} is ${quote(named)}: point it at an existing file, or unset it to use ${DEFAULT_CONFIG_FILE}`
    : `create ${shown}, or set ${CONFIG_FILENAME_VAR} to the configuration file to use`;
  return {
    severity: 'error',
    file: shown,
    path: '',
    code: 'config-not-found',
    message:
      code === 'ENOENT'
        ? `configuration file not found: ${file}`
        : `cannot read the configuration file ${file}: ${(error as Error).message}`,
    fix: code === 'ENOENT' || code === 'EISDIR' ? fix : 'check the file permissions',
  };
}

function defaultPrefix(env: Env, sink: IssueSink): string {
  const value = env[DEFAULT_PREFIX_VAR];
  if (value === undefined || value === '') return '!';
  if (isValidPrefix(value)) return value;
  sink.environment('error', DEFAULT_PREFIX_VAR, {
    code: 'bad-prefix',
    message: `bad prefix ${quote(value)} in ${DEFAULT_PREFIX_VAR}: a prefix is 1 to 5 characters with no spaces`,
    fix: `set ${DEFAULT_PREFIX_VAR}=! (or another short prefix), or unset it to use "!"`,
  });
  return '!';
}

function checkCredentials(bot: BotDraft, env: Env, sink: IssueSink): void {
  const names = secretVariables(bot.envPrefix);
  const missing = (name: string) => env[name] === undefined || env[name] === '';
  const near = (name: string) => {
    const candidates = Object.keys(env).filter((key) => key !== name && env[key]);
    const close = suggest(name, candidates);
    return close ? ` (${close} is set: did you mean ${name}?)` : '';
  };
  const needs: Array<[string, string]> = [
    [names.clientId, "your Twitch application's client id, from dev.twitch.tv/console"],
    [names.clientSecret, "your Twitch application's client secret, from dev.twitch.tv/console"],
  ];
  if (bot.discord)
    needs.push([
      names.discordToken,
      'the Discord bot token, from discord.com/developers/applications',
    ]);
  for (const [name, what] of needs) {
    if (!missing(name)) continue;
    sink.environment('error', bot.name, {
      code: 'missing-credential',
      message: `missing environment variable ${name} for bot "${bot.name}"${name === names.discordToken ? ' (it has a discord block)' : ''}`,
      fix: `set ${name} in .env or the environment: ${what}${near(name)}`,
    });
  }
}
