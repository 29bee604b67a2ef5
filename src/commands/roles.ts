import type { Command } from 'commander';
import { describeError } from '../../core/errors.js';
import { createLogger } from '../../core/log.js';
import { createStorage } from '../../core/storage.js';
import { diffLinks, formatDiff, type DiffRow } from '../../plugins/sub-roles/diff.js';
import type { Meta } from '../../plugins/sub-roles/cog.js';
import { HelixPacer, readSubscribers } from '../../plugins/sub-roles/helix.js';
import { LinkStore } from '../../plugins/sub-roles/links.js';
import type { SubState } from '../../plugins/sub-roles/model.js';
import type { SubRolesSettings } from '../../plugins/sub-roles/settings.js';
import { readEndpoints } from '../endpoints.js';
import { loadEverything } from '../load.js';
import { TOKEN_NAMESPACE } from '../platform/connections.js';
import { accountTokenName, AccountTokens } from '../twitch/auth/account-tokens.js';
import { TwitchOAuthApi } from '../twitch/auth/oauth-api.js';
import { loadSecretKey, SecretBox } from '../twitch/auth/secret-box.js';
import { TwitchTokenStore } from '../twitch/auth/token-store.js';

/**
 * Options of {@link rolesDiff}.
 *
 * @example
 * ```ts
 * await rolesDiff({ bot: 'alice', cwd: '/srv/bots', env: process.env });
 * ```
 */
export interface RolesDiffOptions {
  bot: string;
  cwd?: string;
  /** bots.yaml; default `CONFIG_FILENAME` or `bots.yaml`. */
  file?: string;
  env?: Record<string, string | undefined>;
}

/**
 * What {@link rolesDiff} found.
 *
 * @example
 * ```ts
 * const { rows, subscribers } = await rolesDiff({ bot: 'alice' });
 * ```
 */
export interface RolesDiff {
  rows: DiffRow[];
  /** Role id -> name, as the running cog last saw them. */
  names: Record<string, string>;
  subscribers: number;
  links: number;
  pages: number;
}

/** A user error: printed without a stack, exit code 2. */
class RolesError extends Error {}

/**
 * What the next reconciliation of `bot`'s sub-roles would change, without changing
 * anything: reads the broadcaster's subscriber list from Twitch (with the stored, encrypted
 * token) and the links from storage, and applies the cog's own rule. Needs the same
 * storage, `STREAMCOGS_SECRET_KEY` and Twitch app credentials as the server.
 *
 * @example
 * ```ts
 * const diff = await rolesDiff({ bot: 'alice' });
 * process.stdout.write(formatDiff(diff.rows, diff.names));
 * ```
 */
export async function rolesDiff(options: RolesDiffOptions): Promise<RolesDiff> {
  const cwd = options.cwd ?? process.cwd();
  const loaded = await loadEverything({ cwd, file: options.file, env: options.env });
  if (!loaded.config)
    throw new RolesError(
      `bots.yaml is invalid: ${loaded.errors.map((e) => e.message).join('; ')} (fix: npx streamcogs check)`,
    );
  const env = loaded.env;
  const bot = loaded.config.bots.find((b) => b.name === options.bot);
  if (!bot)
    throw new RolesError(
      `there is no bot "${options.bot}" in bots.yaml (bots: ${loaded.config.bots.map((b) => b.name).join(', ')})`,
    );
  const cog = bot.cogs.find((c) => c.name === 'sub-roles');
  if (!cog) throw new RolesError(`bot "${bot.name}" has no sub-roles cog`);
  const { clientId, clientSecret } = bot.secrets;
  if (!clientId || !clientSecret)
    throw new RolesError(
      `bot "${bot.name}" has no Twitch app credentials: set ${bot.envPrefix}_CLIENT_ID and ${bot.envPrefix}_CLIENT_SECRET as for the server`,
    );
  const settings = cog.settings as unknown as SubRolesSettings;
  const dataDir = env.DATA_DIR ?? `${cwd}/data`;
  const storage = await createStorage({ url: env.STORAGE_URL, dataDir });
  try {
    const { key } = await loadSecretKey({ env, sandbox: env.SANDBOX === '1', dataDir });
    const tokens = new TwitchTokenStore(storage.core(TOKEN_NAMESPACE), new SecretBox(key));
    const accounts = new AccountTokens({
      tokens,
      oauth: new TwitchOAuthApi(readEndpoints(env)),
      appOf: () => bot.secrets,
      log: createLogger({ level: 'silent', pretty: false }),
    });
    const store = storage.forCog(bot.name, 'sub-roles');
    const meta = (await store.get<Meta>('meta')) ?? {};
    const api = await accounts.api(
      bot.name,
      accountTokenName(bot.name, 'sub-roles', 'broadcaster'),
    );
    if (!api || !meta.broadcaster)
      throw new RolesError(
        `the broadcaster of bot "${bot.name}" has not linked Twitch yet: the guild owner runs /subroles setup`,
      );
    const links = await new LinkStore(store).all();
    const linked = new Set(links.map((l) => l.twitchId));
    const subs = new Map<string, SubState>();
    let subscribers = 0;
    const pages = await readSubscribers(
      api,
      meta.broadcaster.id,
      new HelixPacer(settings.helix_points_per_minute),
      (page) => {
        subscribers += page.length;
        for (const s of page) if (linked.has(s.userId)) subs.set(s.userId, s);
      },
    );
    const rows = diffLinks(
      links,
      subs,
      meta.roles ?? { tiers: {} },
      Date.now(),
      settings.grace_days * 86_400_000,
    );
    return { rows, names: meta.roleNames ?? {}, subscribers, links: links.length, pages };
  } finally {
    await storage.close();
  }
}

/**
 * `streamcogs roles diff <bot> [--json]`: prints what the next reconciliation would change.
 * Exit 0 when nothing would change, 1 when something would, 2 on an error.
 *
 * @example
 * ```ts
 * registerRoles(program);
 * ```
 */
export function registerRoles(program: Command): void {
  const roles = program
    .command('roles')
    .description('sub-roles: Twitch subscriptions as Discord roles');
  roles
    .command('diff <bot>')
    .description('print what the next reconciliation would change, without changing anything')
    .option('--json', 'print the rows as JSON')
    .action(async (bot: string, opts: { json?: boolean }) => {
      try {
        const diff = await rolesDiff({ bot });
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(diff)}\n`
            : `${bot}: ${diff.subscribers} subscriber(s) in ${diff.pages} page(s), ${diff.links} link(s)\n${formatDiff(diff.rows, diff.names)}`,
        );
        process.exitCode = diff.rows.length > 0 ? 1 : 0;
      } catch (err) {
        process.stderr.write(`streamcogs roles diff: ${describeError(err)}\n`);
        process.exitCode = 2;
      }
    });
}
