import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginCatalog } from '../../core/catalog.js';
import { loggerInto } from '../helpers/log-lines.js';
import { Runtime } from '../../core/runtime.js';
import { reloadCogs, type ReloadDeps } from '../../src/dev/index.js';
import { loadEverything, renderIssues } from '../../src/load.js';
import { MemoryPlatform } from '../helpers/memory-platform.js';

const CORE = path.resolve('core/index.js');

/** A one-file cog serving `GET /` with `<greeting> <version><suffix>`. */
const greeter = (version: string, extra = { schema: '', setup: '' }) => `
import { definePlugin, z } from '${CORE}';
export default definePlugin({
  name: 'greeter',
  description: 'test cog ${version}',
  settings: z.object({ greeting: z.string().default('hello')${extra.schema} }),
  setup(ctx, s) {
    ${extra.setup}
    ctx.http.router.get('/', (c) => { c.body = s.greeting + ' ${version}' + (s.suffix ?? ''); });
  },
});`;

const fan = `
import { definePlugin } from '${CORE}';
export default definePlugin({ name: 'fan', description: 'depends on greeter', dependsOn: ['greeter'], setup() {} });`;

let dir: string;
let runtime: Runtime;
let deps: ReloadDeps;
const logs: Record<string, unknown>[] = [];
const write = (cog: string, text: string) =>
  writeFile(path.join(dir, 'cogs', cog, 'index.ts'), text);
const get = async (bot: string) => (await fetch(`${runtime.url}/bots/${bot}/greeter/`)).text();
const started = (bot: string, cog: string) =>
  logs.filter((l) => l.msg === 'cog started' && l.bot === bot && l.cog === cog).length;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-reloader-'));
  for (const cog of ['greeter', 'fan'])
    await mkdir(path.join(dir, 'cogs', cog), { recursive: true });
  await write('greeter', greeter('v1'));
  await write('fan', fan);
  const file = path.join(dir, 'bots.yaml');
  await writeFile(
    file,
    'alice:\n  channels: [alice]\n  cogs: [greeter, fan]\nbob:\n  channels: [bob]\n  cogs: [{ greeter: { greeting: hi } }]\n',
  );
  const catalog = await new PluginCatalog({ dirs: [path.join(dir, 'cogs')] }).scan();
  const env = { SANDBOX: '1' };
  const loadConfig = async () => {
    const loaded = await loadEverything({ cwd: dir, file, env, catalog });
    return loaded.config ? { config: loaded.config } : { issues: renderIssues(loaded.errors) };
  };
  const { config } = await loadConfig();
  const log = loggerInto(logs);
  runtime = await Runtime.start({
    config: config!,
    catalog,
    log,
    port: 0,
    dataDir: path.join(dir, 'data'),
    platforms: (bot) => new MemoryPlatform(bot),
  });
  deps = { runtime, catalog, log, loadConfig };
});
afterAll(async () => {
  await runtime?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('reloadCogs', () => {
  it('puts the new version on every bot that runs the cog, with the cogs that depend on it', async () => {
    expect(await get('alice')).toBe('hello v1');
    await write('greeter', greeter('v2'));
    const report = await reloadCogs(['greeter'], '1', deps);
    expect(report).toEqual({
      reloaded: [{ cog: 'greeter', bots: ['alice', 'bob'] }],
      kept: [],
      rolledBack: [],
    });
    expect(await get('alice')).toBe('hello v2');
    expect(await get('bob')).toBe('hi v2');
    expect(started('alice', 'fan')).toBe(2);
  });

  it('keeps the running version when the new one does not import', async () => {
    await write('greeter', 'export default definePlugin({');
    const report = await reloadCogs(['greeter'], '2', deps);
    expect(report.reloaded).toEqual([]);
    expect(report.kept[0]?.cog).toBe('greeter');
    expect(await get('alice')).toBe('hello v2');
  });

  it('rolls every bot back when the new version fails to set up on one', async () => {
    await write(
      'greeter',
      greeter('v3', {
        schema: '',
        setup: "if (ctx.bot.name === 'bob') throw new Error('no bob');",
      }),
    );
    const report = await reloadCogs(['greeter'], '3', deps);
    expect(report.rolledBack).toEqual([{ cog: 'greeter', bot: 'bob', error: 'no bob' }]);
    expect(await get('alice')).toBe('hello v2');
    expect(await get('bob')).toBe('hi v2');
    expect(
      runtime.bots
        .get('bob')
        ?.host.status()
        .find((s) => s.name === 'greeter')?.state,
    ).toBe('running');
  });

  it('validates bots.yaml against the new settings schema and applies its defaults', async () => {
    await write(
      'greeter',
      greeter('v4', { schema: ", suffix: z.string().default('!')", setup: '' }),
    );
    await reloadCogs(['greeter'], '4', deps);
    expect(await get('bob')).toBe('hi v4!');
    const bob = runtime.config.bots.find((b) => b.name === 'bob');
    expect(bob?.cogs[0]?.settings).toEqual({ greeting: 'hi', suffix: '!' });

    await write('greeter', greeter('v5', { schema: ', suffix: z.string()', setup: '' })); // now required
    const refused = await reloadCogs(['greeter'], '5', deps);
    expect(refused.kept[0]?.error).toContain('bots.yaml does not accept the new version');
    expect(await get('bob')).toBe('hi v4!');
  });
});
