import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HOOKS = fileURLToPath(new URL('./fixtures/record-loads.mjs', import.meta.url));

let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The module URLs loaded by importing `file` (a real node process with tsx, as the CLI runs). */
async function modulesLoadedBy(file: string): Promise<string[]> {
  dir ??= await mkdtemp(path.join(tmpdir(), 'streamcogs-imports-'));
  const record = path.join(dir, `${path.basename(file)}.txt`);
  const code = `await import(${JSON.stringify(path.join(ROOT, file))});`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', HOOKS, '--input-type=module', '-e', code],
    {
      cwd: ROOT,
      env: { ...process.env, RECORD_LOADS: record },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(stderr).toBe('');
  expect(exit).toBe(0);
  return (await readFile(record, 'utf8')).split('\n').filter(Boolean);
}

describe('streamcogs start imports', () => {
  it('loads no Discord bot framework, sandbox, Redis, pretty-log or JWT library until something uses it', async () => {
    const loaded = await modulesLoadedBy('src/commands/start.ts');
    // The import chain reached the app, the EventSub service and the platform code.
    expect(loaded.some((u) => u.endsWith('/src/app.ts'))).toBe(true);
    expect(loaded.some((u) => u.includes('/node_modules/@twurple/eventsub-http/'))).toBe(true);
    // discord.js itself is loaded by the webhook sender (every start builds one); Sapphire,
    // with its bot client, is not.
    const unwanted = [
      '/node_modules/@sapphire/',
      '/src/sandbox/',
      '/node_modules/@keyv/redis/',
      '/node_modules/pino-pretty/',
      '/node_modules/jose/',
    ];
    expect(loaded.filter((u) => unwanted.some((part) => u.includes(part)))).toEqual([]);
  });
});
