import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyProject, removeCopy, runNode } from './run.js';

let dir: string;
beforeAll(async () => {
  dir = await copyProject();
}, 60_000);
afterAll(async () => {
  if (dir) await removeCopy(dir);
});

const streamcogs = (...args: string[]) => runNode(['bin/streamcogs.js', ...args], dir);

describe('streamcogs new cog', () => {
  it('creates plugins/<name>/ and prints the bots.yaml lines, which check accepts', async () => {
    const made = await streamcogs('new', 'cog', 'shout-box');
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    for (const file of ['index.ts', 'README.md', 'shout-box.test.ts'])
      expect(existsSync(path.join(dir, 'plugins/shout-box', file))).toBe(true);
    const index = await readFile(path.join(dir, 'plugins/shout-box/index.ts'), 'utf8');
    expect(index).toContain("import { definePlugin, z } from '../../core/index.js';");

    // The printed lines, as the user would paste them into bots.yaml.
    const lines = made.stdout.split('\n');
    const from = lines.findIndex((l) => l.trim() === 'my_bot:');
    const to = lines.findIndex((l, i) => i > from && l.trim() === '');
    const yaml = lines
      .slice(from, to)
      .map((l) => l.slice(2))
      .join('\n');
    expect(yaml).toContain('    - shout-box:');
    await writeFile(path.join(dir, 'bots.yaml'), `${yaml}\n`);
    const check = await streamcogs('check');
    expect(check.stdout).toContain('my_bot (shout-box)');
    expect(check.code).toBe(0);
  }, 120_000);

  it('generates a test that passes as it is', async () => {
    const run = await runNode(['node_modules/vitest/vitest.mjs', 'run', 'plugins/shout-box'], dir);
    expect(run.stdout).toMatch(/Tests\s+2 passed/);
    expect(run.code).toBe(0);
  }, 120_000);

  it('refuses a bad name with exit code 2 and a fix, creating nothing', async () => {
    const snake = await streamcogs('new', 'cog', 'Shout_Box');
    expect(snake.code).toBe(2);
    expect(snake.stderr).toBe(
      'streamcogs new cog: "Shout_Box" is not a valid cog name: use lower-case letters, digits and dashes, starting with a letter (fix: call it "shout-box")\n',
    );
    expect(existsSync(path.join(dir, 'plugins/Shout_Box'))).toBe(false);
  }, 120_000);
});
