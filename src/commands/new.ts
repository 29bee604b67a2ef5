import path from 'node:path';
import type { Command } from 'commander';
import { loadEnvFile } from '../../core/config/index.js';
import { createCatalog } from '../load.js';
import { CogNameError, createCog, type CreatedCog } from '../scaffold/index.js';

/**
 * What `streamcogs new cog` prints: the files and the bots.yaml lines to enable the cog.
 *
 * @example
 * ```ts
 * process.stdout.write(describeCreated(cog, process.cwd()));
 * ```
 */
export function describeCreated(cog: CreatedCog, cwd: string): string {
  const rel = (f: string) => path.relative(cwd, f) || '.';
  const lines = [
    `created ${rel(cog.folder)}/`,
    ...cog.files.map((f) => `  ${rel(f)}`),
    '',
    'Enable it: add it to a bot in bots.yaml, e.g.',
    '',
    ...cog.yaml.split('\n').map((l) => `  ${l}`),
    '',
  ];
  if (cog.needsPluginDir)
    lines.push(
      `${rel(cog.needsPluginDir)} is not a cog folder yet: add it to PLUGIN_DIRS (in .env: PLUGIN_DIRS=${rel(cog.needsPluginDir)})`,
      '',
    );
  const test = `npx vitest run ${rel(cog.folder)}`;
  const pad = (s: string) => s.padEnd(Math.max(test.length, 'npm run dev'.length) + 2);
  lines.push(
    'Then:',
    `  ${pad(test)}# its test, against the sandbox`,
    `  ${pad('npm run dev')}# run the bots; an edit to the cog reloads it`,
    '',
  );
  return lines.join('\n');
}

/**
 * `streamcogs new cog <name> [--dir <folder>]`.
 *
 * @example
 * ```ts
 * registerNew(program);
 * ```
 */
export function registerNew(program: Command): void {
  const create = program.command('new').description('create something from a template');
  create
    .command('cog <name>')
    .description('create plugins/<name>/ with index.ts, README.md and a passing test')
    .option('-d, --dir <folder>', 'create it in another folder (one of PLUGIN_DIRS)', 'plugins')
    .action(async (name: string, opts: { dir: string }) => {
      const cwd = process.cwd();
      const env = { ...loadEnvFile(cwd), ...process.env };
      try {
        const catalog = await createCatalog(env, cwd);
        const cog = await createCog({ name, dir: opts.dir, cwd, catalog });
        process.stdout.write(describeCreated(cog, cwd));
      } catch (err) {
        if (!(err instanceof CogNameError)) throw err;
        process.stderr.write(`streamcogs new cog: ${err.message}\n`);
        process.exit(2);
      }
    });
}
