import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PluginCatalog } from '../core/catalog.js';
import { loadConfig } from '../core/config/index.js';
import { defineBench, percentile } from './harness.js';

const BOTS = 100;
const COGS = 10;
const RUNS = 7;

/** Ten cogs with settings schemas of typical size, written to a temp plugins folder. */
async function writeCogs(dir: string): Promise<void> {
  const core = path.resolve('core/index.ts');
  for (let i = 0; i < COGS; i++) {
    await mkdir(path.join(dir, `cog-${i}`), { recursive: true });
    await writeFile(
      path.join(dir, `cog-${i}`, 'index.ts'),
      `import { definePlugin, z } from ${JSON.stringify(core)};
export default definePlugin({
  name: 'cog-${i}',
  description: 'bench cog ${i}',
  settings: z.object({
    channels: z.array(z.string()).default([]),
    message: z.string().default('hello {user}'),
    cooldown: z.number().int().min(0).default(30),
    enabled: z.boolean().default(true),
    targets: z.array(z.object({ webhook: z.string().url(), role: z.string().optional() })).default([]),
  }),
  setup() {},
});
`,
    );
  }
}

function botsYaml(): string {
  const lines: string[] = [];
  for (let b = 0; b < BOTS; b++) {
    lines.push(`bot_${b}:`, '  prefix: "!"', `  channels: [chan_${b}, other_${b}]`, '  cogs:');
    for (let c = 0; c < COGS; c++) {
      lines.push(
        `    - cog-${c}:`,
        `        channels: [chan_${b}]`,
        `        message: "hi {user} from ${b}/${c}"`,
        '        targets:',
        `          - webhook: "https://discord.com/api/webhooks/${b}${c}/token"`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export default defineBench({
  name: 'config-load',
  async run() {
    const dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-bench-config-'));
    try {
      await writeCogs(path.join(dir, 'plugins'));
      const file = path.join(dir, 'bots.yaml');
      await writeFile(file, botsYaml());
      const catalog = await new PluginCatalog({ dirs: [path.join(dir, 'plugins')] }).scan();
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const result = await loadConfig({ file, env: {}, catalog, cwd: dir });
        times.push(performance.now() - t0);
        if (!result.ok) throw new Error(`bench config invalid: ${result.errors[0]?.message}`);
        if (result.config.bots.length !== BOTS) throw new Error('wrong bot count');
      }
      // The first run includes importing the cog modules; report it and the warm median.
      const warm = percentile(times.slice(1), 50);
      return [
        {
          name: 'config-load.100x10.first',
          value: times[0] as number,
          unit: 'ms',
          goal: '< 300 ms',
          pass: (times[0] as number) < 300,
        },
        {
          name: 'config-load.100x10.median',
          value: warm,
          unit: 'ms',
          goal: '< 300 ms',
          pass: warm < 300,
        },
      ];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
});
