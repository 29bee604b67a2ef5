import type { ZodType } from 'zod';

/** Where in a file a value sits: 1-based line and column. */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * One problem found in bots.yaml or the environment.
 *
 * @example
 * ```ts
 * const issue: ConfigIssue = {
 *   severity: 'error',
 *   file: 'bots.yaml',
 *   line: 7,
 *   column: 5,
 *   path: 'alice.cogs[1].go-live.channels',
 *   message: 'expected a list of channel names, got a string',
 *   fix: 'write it as a list: `channels: [alice]`',
 * };
 * ```
 */
export interface ConfigIssue {
  severity: 'error' | 'warning';
  /** The file the problem is in (as given, usually relative), or `environment`. */
  file: string;
  line?: number;
  column?: number;
  /** Dotted path with list indexes, e.g. `alice.cogs[1].go-live.channels`. */
  path: string;
  message: string;
  /** How to fix it, in one sentence. */
  fix?: string;
  /** Stable kebab-case identifier of the kind of problem, e.g. `unknown-cog`, `yaml-syntax`. */
  code?: string;
  /** Where the offending text ends (1-based, exclusive column), when known: for carets and editors. */
  endLine?: number;
  endColumn?: number;
  /** The source line at {@link ConfigIssue.line}, for display under the message. */
  excerpt?: string;
}

/** What the loader needs to know about a cog to validate its entry in bots.yaml. */
export interface CogDescriptor {
  /** kebab-case (or twitch-creamery snake_case) name as written in bots.yaml, or an npm package name. */
  name: string;
  description?: string;
  /** Settings schema; absent means the cog takes no settings. */
  settings?: ZodType;
  /** Other cogs this one needs on the same bot. */
  dependsOn?: readonly string[];
  /** Twitch OAuth scopes the cog needs for the bot's own account. */
  twitchScopes?: readonly string[];
}

/** A cog that existed once and can no longer work. */
export interface RetiredCog {
  name: string;
  reason: string;
  replacement?: string;
}

/** Resolves cog names written in bots.yaml to their descriptors. */
export interface CogCatalog {
  /** Looks a cog up by name (built-in folder name or npm package name). */
  resolve(name: string): Promise<CogDescriptor | undefined>;
  /** Names of every cog known without loading packages: used for "did you mean". */
  knownNames(): readonly string[];
  /** Cogs that were removed, with the reason and the replacement. */
  retired(name: string): RetiredCog | undefined;
}

/** One cog mounted on one bot, settings validated, defaults applied and frozen. */
export interface CogConfig {
  /** The cog's own name ({@link CogDescriptor.name}), even when bots.yaml spelled it another way. */
  name: string;
  settings: Readonly<Record<string, unknown>>;
  /**
   * Names of the cogs on the same bot this one depends on; they come earlier in
   * {@link BotConfig.cogs}. Always set by `loadConfig`; optional for hand-built configs.
   */
  dependsOn?: readonly string[];
}

/** The `discord:` block of a bot. */
export interface DiscordBotConfig {
  /** Application (client) id; optional, read from the token at login otherwise. */
  application?: string;
  /** Guilds the bot serves; slash commands are registered per guild. */
  guilds: readonly string[];
}

/** Secrets of one bot, read from the environment, never from the file. */
export interface BotSecrets {
  clientId?: string;
  clientSecret?: string;
  discordToken?: string;
}

/** One top-level key of bots.yaml, validated. */
export interface BotConfig {
  name: string;
  /** Upper-case, underscore-separated: the prefix of this bot's environment variables. */
  envPrefix: string;
  prefix: string;
  channels: readonly string[];
  /** `all_scopes` (twitch-creamery) or the explicit list. */
  scopes: 'all_scopes' | readonly string[];
  /** In mount order: every cog comes after the cogs it depends on. */
  cogs: readonly CogConfig[];
  discord?: DiscordBotConfig;
  secrets: BotSecrets;
}

/** The whole validated configuration. */
export interface AppConfig {
  /** Absolute path of the file it came from. */
  file: string;
  bots: readonly BotConfig[];
}

/** Result of loading: either a config or every error at once. */
export type LoadResult =
  | { ok: true; config: AppConfig; warnings: ConfigIssue[] }
  | { ok: false; errors: ConfigIssue[]; warnings: ConfigIssue[] };

/** Options of {@link loadConfig}. */
export interface LoadOptions {
  /** Path of bots.yaml; defaults to `CONFIG_FILENAME` or `bots.yaml` in the working directory. */
  file?: string;
  /** The environment; defaults to `process.env`. `.env` is merged in by the caller. */
  env?: Record<string, string | undefined>;
  catalog: CogCatalog;
  /** Require Twitch credentials for every bot (production). Sandbox mode passes false. */
  requireCredentials?: boolean;
  /** Directory relative paths are resolved against and shown from; defaults to `process.cwd()`. */
  cwd?: string;
}

/** Options of `formatIssues`. */
export interface FormatOptions {
  /** ANSI colours (for a terminal). Default false. */
  color?: boolean;
  /** End with a count line such as `2 errors, 1 warning`. Default true. */
  summary?: boolean;
}

/** A cog whose running instance must be reloaded, and why. */
export interface CogChange {
  name: string;
  /**
   * `settings`: its own settings changed; `dependency`: a cog it depends on is added or
   * reloaded, or its list of dependencies changed.
   */
  reason: 'settings' | 'dependency';
  /** For `dependency`: the cog whose change causes this reload. */
  dependency?: string;
}

/** Why a bot must be restarted (its connections rebuilt) rather than patched. */
export type RestartReason = 'prefix' | 'scopes' | 'discord' | 'secrets';

/** What changed on one bot present in both configurations. */
export interface BotDiff {
  name: string;
  /** True when the bot must be rebuilt: see {@link BotDiff.restartReasons}. */
  restart: boolean;
  restartReasons: readonly RestartReason[];
  channels: { joined: readonly string[]; left: readonly string[] };
  cogs: {
    added: readonly string[];
    removed: readonly string[];
    /** In mount order (dependencies first): unload in reverse, load in this order. */
    changed: readonly CogChange[];
  };
}

/** Result of `diffConfig`: what a hot reload must do. */
export interface ConfigDiff {
  added: readonly string[];
  removed: readonly string[];
  /** Only bots where something differs. */
  changed: readonly BotDiff[];
  /** True when the two configurations are equivalent. */
  empty: boolean;
}
