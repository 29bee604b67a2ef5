import type { Command } from 'commander';
import type { BotPlatformStatus } from '../../core/index.js';
import { loadEnvFile } from '../../core/config/index.js';
import { describeError } from '../../core/errors.js';

interface BotBody {
  ready?: boolean;
  platform?: BotPlatformStatus;
  cogs?: { name: string; state: string; error?: string }[];
}

/**
 * Renders `/readyz` as text: per bot, Twitch chat, token, scopes, whether it needs
 * authorising, Discord connection, guilds and problems.
 *
 * @example
 * ```ts
 * formatStatus('http://127.0.0.1:8000', await (await fetch(url + '/readyz')).json());
 * ```
 */
export function formatStatus(
  url: string,
  body: { status?: string; bots?: Record<string, BotBody> },
): string {
  const lines = [`streamcogs at ${url}: ${body.status === 'ready' ? 'ready' : 'NOT READY'}`];
  for (const [name, bot] of Object.entries(body.bots ?? {})) {
    lines.push(`${name}: ${bot.ready ? 'ready' : 'NOT READY'}`);
    const t = bot.platform?.twitch;
    if (t) {
      const who = t.login ? ` as ${t.login}` : '';
      const parts = [`chat ${t.chat}${who}`];
      if (t.tokenValidUntil) parts.push(`token valid until ${t.tokenValidUntil}`);
      if (t.scopes) parts.push(`scopes ${t.scopes.join(' ') || '(none)'}`);
      if (t.missingScopes?.length) parts.push(`MISSING SCOPES ${t.missingScopes.join(' ')}`);
      lines.push(`  twitch: ${parts.join('; ')}`);
      if (t.needsAuth)
        lines.push(
          `  twitch: NEEDS AUTH${t.detail ? ` (${t.detail})` : ''}${t.command ? `: run ${t.command}` : ''}`,
        );
    }
    const d = bot.platform?.discord;
    if (d) {
      lines.push(
        `  discord: ${d.connected ? 'connected' : 'NOT CONNECTED'}; guilds ${d.guilds.join(', ') || '(none)'}`,
      );
      const missing = (d.checks ?? []).flatMap((c) =>
        c.missingPermissions.map((p) => `${p} in ${c.guildName ?? c.guildId}`),
      );
      if (missing.length > 0) lines.push(`  discord: missing permissions: ${missing.join(', ')}`);
      for (const p of d.problems) lines.push(`  discord: problem: ${p}`);
    }
    for (const cog of bot.cogs ?? [])
      if (cog.state !== 'running')
        lines.push(`  cog ${cog.name}: ${cog.state}${cog.error ? `: ${cog.error}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `streamcogs status [--url <url>] [--json]`: asks the running server's `/readyz` and
 * prints each bot's connections. Exit 0 when ready, 1 when not, 2 when unreachable.
 *
 * @example
 * ```ts
 * registerStatus(program);
 * ```
 */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description("show each bot's Twitch and Discord connections from the running server")
    .option('--url <url>', 'the server (default http://HOST:PORT from the environment)')
    .option('--json', 'print the /readyz body as JSON')
    .action(async (opts: { url?: string; json?: boolean }) => {
      const env = { ...loadEnvFile(process.cwd()), ...process.env };
      const url = (opts.url ?? `http://${env.HOST ?? '127.0.0.1'}:${env.PORT ?? 8000}`).replace(
        /\/$/,
        '',
      );
      try {
        const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(10_000) });
        const body = (await res.json()) as { status?: string; bots?: Record<string, BotBody> };
        process.stdout.write(
          opts.json ? `${JSON.stringify(body, null, 2)}\n` : formatStatus(url, body),
        );
        process.exitCode = res.status === 200 ? 0 : 1;
      } catch (err) {
        process.stderr.write(
          `streamcogs status: cannot reach ${url}/readyz: ${describeError(err)} (fix: start it with npx streamcogs start, or pass --url)\n`,
        );
        process.exitCode = 2;
      }
    });
}
