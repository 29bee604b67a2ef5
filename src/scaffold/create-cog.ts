import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PluginCatalog } from '../../core/catalog.js';
import { checkCogName, CogNameError } from './names.js';
import { indexTemplate, readmeTemplate, testTemplate, type TemplateInput } from './templates.js';

/** The streamcogs package folder (where core/ and src/testing/ live). */
const FRAMEWORK_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Options of {@link createCog}.
 *
 * @example
 * ```ts
 * await createCog({ name: 'hello', dir: 'cogs', catalog });
 * ```
 */
export interface CreateCogOptions {
  name: string;
  /** Folder to create the cog in; default `<cwd>/plugins`. */
  dir?: string;
  cwd?: string;
  /** Looks for names already taken (every cog folder it scans). */
  catalog: PluginCatalog;
}

/**
 * What {@link createCog} wrote.
 *
 * @example
 * ```ts
 * const { folder, yaml, needsPluginDir } = await createCog({ name: 'hello', catalog });
 * ```
 */
export interface CreatedCog {
  name: string;
  folder: string;
  files: string[];
  /** The folder is not scanned yet: `PLUGIN_DIRS` must list it. */
  needsPluginDir: string | undefined;
  /** What to paste into bots.yaml (under a bot). */
  yaml: string;
}

function importPath(from: string, target: string): string {
  const rel = path.relative(from, target).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** Imports for a cog in `folder`: relative inside the streamcogs repo, else the package. */
function imports(folder: string): Pick<TemplateInput, 'core' | 'testing'> {
  const inside = !path.relative(FRAMEWORK_ROOT, folder).startsWith('..');
  if (!inside) return { core: 'streamcogs', testing: 'streamcogs/testing' };
  return {
    core: importPath(folder, path.join(FRAMEWORK_ROOT, 'core/index.js')),
    testing: importPath(folder, path.join(FRAMEWORK_ROOT, 'src/testing/index.js')),
  };
}

/**
 * Creates `plugins/<name>/` (or `<dir>/<name>/`) with `index.ts` (definePlugin, a zod
 * settings schema with defaults, a command), `README.md` and `<name>.test.ts` written with
 * the test kit. Refuses an invalid or taken name, and never overwrites a file.
 *
 * @example
 * ```ts
 * const cog = await createCog({ name: 'shout-box', catalog: await createCatalog(env, cwd) });
 * console.log(cog.yaml);
 * ```
 */
export async function createCog(options: CreateCogOptions): Promise<CreatedCog> {
  const cwd = options.cwd ?? process.cwd();
  const { name, catalog } = options;
  checkCogName(name, catalog.knownNames());
  const retired = catalog.retired(name);
  if (retired)
    throw new CogNameError(`"${name}" is a retired cog (${retired.reason})`, 'pick another name');
  const dir = path.resolve(cwd, options.dir ?? 'plugins');
  const folder = path.join(dir, name);
  if (await stat(folder).catch(() => undefined))
    throw new CogNameError(`${folder} already exists`, 'pick another name or remove the folder');
  const scanned = catalog.dirs.some((d) => path.resolve(d) === dir);
  const input: TemplateInput = { name, ...imports(folder), ownFolder: !scanned };
  const files: [string, string][] = [
    ['index.ts', indexTemplate(input)],
    ['README.md', readmeTemplate(input)],
    [`${name}.test.ts`, testTemplate(input)],
  ];
  await mkdir(folder, { recursive: true });
  for (const [file, text] of files) await writeFile(path.join(folder, file), text, { flag: 'wx' });
  return {
    name,
    folder,
    files: files.map(([f]) => path.join(folder, f)),
    needsPluginDir: scanned ? undefined : dir,
    yaml: [
      'my_bot:',
      '  cogs:',
      `    - ${name}:`,
      '        greeting: Hello',
      '        cooldown_seconds: 10',
    ].join('\n'),
  };
}
