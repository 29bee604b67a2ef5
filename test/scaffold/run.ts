import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../dev/temp-project.js';

/** What a finished command printed. */
export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node <args>` in `cwd` to the end, with a clean environment (no VITEST_* of ours).
 *
 * @example
 * ```ts
 * const r = await runNode(['bin/streamcogs.js', 'check'], dir);
 * ```
 */
export function runNode(args: string[], cwd: string, timeoutMs = 120_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', CI: '1' },
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')} took over ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Top-level entries a copy of the project leaves out. */
const SKIP = new Set(['node_modules', '.git', 'data', 'scratch', 'coverage', 'dist']);

/**
 * Copies this checkout (sources only; node_modules linked) to a temp folder, so a test can
 * write into its `plugins/` and leave the real one untouched.
 *
 * @example
 * ```ts
 * const copy = await copyProject();
 * await rm(copy, { recursive: true });
 * ```
 */
export async function copyProject(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-copy-'));
  await cp(ROOT, dir, {
    recursive: true,
    filter: (src) => !SKIP.has(path.relative(ROOT, src).split(path.sep)[0] ?? ''),
  });
  await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Removes a copy made by {@link copyProject}. */
export const removeCopy = (dir: string) => rm(dir, { recursive: true, force: true });
