import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentSchema } from '../../src/commands/schema.js';

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(full)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

/** Variables only tests, benchmarks or the sandbox's internals set. */
const INTERNAL = new Set(['PATH', 'HOME', 'CI', 'UPDATE_SCREENSHOTS', 'BENCH_SECONDS', 'VITEST']);

/** Set by discord.js's ShardingManager in each shard process, never by hand. */
const SET_BY_THE_SHARD_MANAGER = new Set(['SHARDING_MANAGER', 'SHARDS', 'SHARD_COUNT']);

/** Every environment variable core/, src/ and plugins/ read (`env.X`, `env['X']`). */
async function variablesReadByCode(): Promise<Set<string>> {
  const read = new Set<string>();
  for (const dir of ['core', 'src', 'plugins']) {
    for (const file of await sourceFiles(dir)) {
      const text = await readFile(file, 'utf8');
      for (const m of text.matchAll(/\benv(?:\?)?\.([A-Z][A-Z0-9_]+)\b/g)) read.add(m[1] as string);
      for (const m of text.matchAll(/\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]/g))
        read.add(m[1] as string);
    }
  }
  return read;
}

describe('documentation stays true', () => {
  it('.env.example documents every environment variable the code reads', async () => {
    const example = await readFile('.env.example', 'utf8');
    const read = await variablesReadByCode();
    const missing = [...read].filter((v) => !INTERNAL.has(v) && !example.includes(v));
    expect(missing).toEqual([]);
  });

  it('docs/configuration.md lists every environment variable a user may set', async () => {
    const reference = await readFile('docs/configuration.md', 'utf8');
    const read = await variablesReadByCode();
    const missing = [...read].filter(
      (v) =>
        !INTERNAL.has(v) && !SET_BY_THE_SHARD_MANAGER.has(v) && !reference.includes(`\`${v}\``),
    );
    expect(missing).toEqual([]);
  });

  it('the README shows every streamcogs command', async () => {
    const readme = await readFile('README.md', 'utf8');
    const cli = await readFile('src/cli.ts', 'utf8');
    const table = cli.slice(cli.indexOf('const COMMANDS'), cli.indexOf('};'));
    const commands = [...table.matchAll(/^\s+(\w+): async/gm)].map((m) => m[1] as string);
    expect(commands).toContain('start');
    expect(commands.filter((c) => !readme.includes(`streamcogs ${c}`))).toEqual([]);
  });

  it('docs/bots.schema.json matches the installed cogs (regenerate: npx streamcogs schema --out docs/bots.schema.json)', async () => {
    const committed = JSON.parse(await readFile('docs/bots.schema.json', 'utf8')) as unknown;
    const fresh = await currentSchema({}, process.cwd());
    expect(committed).toEqual(JSON.parse(JSON.stringify(fresh)));
  });

  it('bots.yaml points editors at the schema on its first line', async () => {
    const first = (await readFile('bots.yaml', 'utf8')).split('\n')[0];
    expect(first).toBe('# yaml-language-server: $schema=./docs/bots.schema.json');
  });
});
