import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginCatalog } from '../../core/catalog.js';
import { createCog } from '../../src/scaffold/index.js';

let dir: string;
let catalog: PluginCatalog;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-scaffold-'));
  catalog = await new PluginCatalog().scan(); // the built-in cogs
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createCog outside the streamcogs checkout', () => {
  it('imports streamcogs by package name and asks for PLUGIN_DIRS', async () => {
    const cog = await createCog({ name: 'hype-train', dir: 'cogs', cwd: dir, catalog });
    expect(cog.folder).toBe(path.join(dir, 'cogs', 'hype-train'));
    expect(cog.needsPluginDir).toBe(path.join(dir, 'cogs'));
    const index = await readFile(path.join(cog.folder, 'index.ts'), 'utf8');
    expect(index).toContain("from 'streamcogs';");
    const test = await readFile(path.join(cog.folder, 'hype-train.test.ts'), 'utf8');
    expect(test).toContain("from 'streamcogs/testing';");
    expect(test).toContain("pluginDirs: [fileURLToPath(new URL('../', import.meta.url))]");
  });

  it('never overwrites: an existing folder or a built-in name is refused', async () => {
    await expect(createCog({ name: 'hype-train', dir: 'cogs', cwd: dir, catalog })).rejects.toThrow(
      'already exists',
    );
    await expect(
      createCog({ name: 'echo-console', dir: 'cogs', cwd: dir, catalog }),
    ).rejects.toThrow('a cog named "echo-console" already exists');
    await expect(createCog({ name: 'pubsub', dir: 'cogs', cwd: dir, catalog })).rejects.toThrow(
      '"pubsub" is a retired cog (Twitch shut PubSub down',
    );
  });
});
