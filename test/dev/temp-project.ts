import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The streamcogs checkout the tests run from. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A user's project in a temp folder, with streamcogs installed. */
export interface TempProject {
  dir: string;
  /** Writes a file (folders created), relative to the project. */
  write(file: string, text: string): Promise<void>;
  /** Installs a package folder into node_modules, as `npm install <folder> --install-links` would. */
  install(folder: string, name: string): Promise<void>;
  remove(): Promise<void>;
}

/**
 * A temp project depending on streamcogs (`node_modules/streamcogs` links to this
 * checkout, as `npm link streamcogs` would), with an ESM package.json.
 *
 * @example
 * ```ts
 * const project = await tempProject();
 * await project.write('bots.yaml', 'my_bot:\n  cogs: [echo_console]\n');
 * ```
 */
export async function tempProject(): Promise<TempProject> {
  const dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-project-'));
  await mkdir(path.join(dir, 'node_modules'));
  await symlink(ROOT, path.join(dir, 'node_modules', 'streamcogs'), 'dir');
  const pkg = { name: 'my-bots', private: true, type: 'module', dependencies: { streamcogs: '*' } };
  await writeFile(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  return {
    dir,
    async write(file, text) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    },
    async install(folder, name) {
      await cp(folder, path.join(dir, 'node_modules', name), { recursive: true });
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
