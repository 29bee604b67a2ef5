import type { Command } from 'commander';
import { loadEverything, renderIssues } from '../load.js';

/**
 * `streamcogs check [file]`: validates bots.yaml and the environment without connecting.
 *
 * @example
 * ```ts
 * registerCheck(program);
 * ```
 */
export function registerCheck(program: Command): void {
  program
    .command('check [file]')
    .description('validate bots.yaml and the environment without connecting anything')
    .option('--production', 'also require every credential (<BOT>_CLIENT_ID, ...)')
    .action(async (file: string | undefined, opts: { production?: boolean }) => {
      const loaded = await loadEverything({ file, requireCredentials: opts.production });
      const issues = [...loaded.errors, ...loaded.warnings];
      if (issues.length > 0) process.stderr.write(renderIssues(issues));
      if (loaded.errors.length > 0) process.exit(2);
      const bots = loaded.config?.bots ?? [];
      const summary = bots
        .map((b) => `${b.name} (${b.cogs.map((c) => c.name).join(', ') || 'no cogs'})`)
        .join('; ');
      process.stdout.write(`${loaded.file}: OK, ${bots.length} bot(s): ${summary}\n`);
    });
}
