import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { buildJsonSchema } from '../../core/config/index.js';
import type { CogDescriptor } from '../../core/config/types.js';
import { createCatalog } from '../load.js';

/**
 * The JSON Schema of bots.yaml with every installed cog's settings.
 *
 * @example
 * ```ts
 * const schema = await currentSchema(process.env, process.cwd());
 * ```
 */
export async function currentSchema(
  env: Record<string, string | undefined>,
  cwd: string,
): Promise<Record<string, unknown>> {
  const catalog = await createCatalog(env, cwd);
  const descriptors: CogDescriptor[] = [];
  for (const name of catalog.knownNames()) {
    const d = await catalog.resolve(name);
    if (d) descriptors.push(d);
  }
  return buildJsonSchema(descriptors);
}

/**
 * `streamcogs schema [--out file]`.
 *
 * @example
 * ```ts
 * registerSchema(program);
 * ```
 */
export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of bots.yaml, with every installed cog, for editors')
    .option('-o, --out <file>', 'write it to a file (bots.yaml points at docs/bots.schema.json)')
    .action(async (opts: { out?: string }) => {
      const text = `${JSON.stringify(await currentSchema(process.env, process.cwd()), null, 2)}\n`;
      if (opts.out) await writeFile(opts.out, text);
      else process.stdout.write(text);
    });
}
