import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { until } from './helpers.js';

const WORKER = fileURLToPath(new URL('./fixtures/worker.ts', import.meta.url));

function start(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  child.stdout.setEncoding('utf8').on('data', (d: string) => out.push(d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => out.push(d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, out, exited };
}

async function effects(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
}

describe('DurableQueue under kill -9', () => {
  it('resumes after SIGKILL: every job ran, repeats only for runs in flight at the kill', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-kill-'));
    const file = path.join(dir, 'effects.txt');
    const jobs = 300;
    const first = start([dir, file, String(jobs)]);
    let seen = 0;
    await until(
      () => {
        void effects(file).then((l) => (seen = l.length));
        return seen >= jobs / 3;
      },
      `a third of the jobs (output: ${first.out.join('')})`,
      20_000,
    );
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = (await effects(file)).length;
    expect(atKill).toBeLessThan(jobs);

    const second = start([dir, file, '0']);
    expect(await second.exited).toBe(0);
    expect(second.out.join('')).toContain('final');
    const lines = await effects(file);
    const counts = new Map<string, number>();
    for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
    expect(counts.size).toBe(jobs);
    const repeated = [...counts.values()].filter((n) => n > 1).length;
    // At most the concurrency (4) runs were in flight when the process died.
    expect(repeated).toBeLessThanOrEqual(4);
  });
});
