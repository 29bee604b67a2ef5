import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliProcess } from '../helpers/cli-process.js';
import { tempProject, type TempProject } from './temp-project.js';

const cog = (name: string, extra = '') => `import { definePlugin, z } from 'streamcogs';
import { word } from './words.js';

export default definePlugin({
  name: '${name}',
  description: 'a cog under development',
  settings: z.object({ greeting: z.string().default('hello') }),
  setup(ctx, s) {
    ${extra}
    ctx.http.router.get('/', (c) => {
      c.body = \`\${s.greeting} \${word}\`;
    });
  },
});
`;
const words = (w: string) => `export const word: string = '${w}';\n`;
const yaml = (greeting?: string, more = '') =>
  `dev_bot:\n  channels: [streamer]\n  cogs:\n    - greeter${greeting ? `: { greeting: ${greeting} }` : ''}\n    - steady\n${more}`;

let project: TempProject;
let dev: CliProcess;
let url = '';
/** Waits for a log line written after now. */
const next = (match: (l: Record<string, unknown>) => boolean) => {
  const from = dev.lines.length;
  return dev.waitForLog((l) => dev.lines.indexOf(l) >= from && match(l));
};
const msg = (text: string) => (l: Record<string, unknown>) => String(l.msg ?? '').includes(text);
const get = async (cogName = 'greeter') => (await fetch(`${url}/bots/dev_bot/${cogName}/`)).text();
const startedCount = (cogName: string) =>
  dev.lines.filter((l) => l.msg === 'cog started' && l.cog === cogName).length;

beforeAll(async () => {
  project = await tempProject();
  await project.write(
    'cogs/greeter/index.ts',
    cog('greeter', "if (word === 'boom') throw new Error('boom at setup');"),
  );
  await project.write('cogs/greeter/words.ts', words('v1'));
  await project.write('cogs/steady/index.ts', cog('steady'));
  await project.write('cogs/steady/words.ts', words('steady'));
  await project.write('bots.yaml', yaml());
  dev = runCli(['dev'], {
    cwd: project.dir,
    env: { PORT: '0', SANDBOX: '1', PLUGIN_DIRS: 'cogs', DATA_DIR: `${project.dir}/data` },
  });
  url = String((await dev.waitForLog(msg('listening'), 60_000)).url);
  await dev.waitForLog(msg('dev: watching'), 60_000);
}, 90_000);
afterAll(async () => {
  dev?.child.kill('SIGTERM');
  expect(await dev?.exited).toBe(0);
  await project?.remove();
}, 30_000);

describe('streamcogs dev', () => {
  it('runs the cogs', async () => {
    expect(await get()).toBe('hello v1');
    expect(await get('steady')).toBe('hello steady');
  });

  it('reloads the cog that imports an edited file, and only that cog', async () => {
    const reloaded = next(msg('cog "greeter" reloaded on dev_bot'));
    await project.write('cogs/greeter/words.ts', words('v2'));
    await reloaded;
    expect(await get()).toBe('hello v2');
    expect(startedCount('steady')).toBe(1);
  });

  it('keeps the old version running and prints the error when the edit does not compile', async () => {
    const refused = next(msg('cog "greeter" was not reloaded, the previous version keeps running'));
    await project.write('cogs/greeter/words.ts', "export const word: string = 'v3");
    const line = await refused;
    expect(String(line.msg)).toMatch(/words\.ts:1:\d+: ERROR: Unterminated string literal/);
    expect(await get()).toBe('hello v2');
  });

  it('goes back to the old version when the new one fails to set up', async () => {
    const rolledBack = next(msg('the new version failed to set up on bot "dev_bot"'));
    await project.write('cogs/greeter/words.ts', words('boom'));
    expect(String((await rolledBack).msg)).toContain('boom at setup');
    expect(await get()).toBe('hello v2');
  });

  it('picks the fix up', async () => {
    const reloaded = next(msg('cog "greeter" reloaded on dev_bot'));
    await project.write('cogs/greeter/words.ts', words('v4'));
    await reloaded;
    expect(await get()).toBe('hello v4');
  });

  it('applies bots.yaml edits, including a cog created meanwhile', async () => {
    await project.write('cogs/fresh/index.ts', cog('fresh'));
    await project.write('cogs/fresh/words.ts', words('new'));
    const applied = next(msg('bots.yaml reloaded'));
    await project.write('bots.yaml', yaml('hey', '    - fresh\n'));
    await applied;
    expect(await get()).toBe('hey v4');
    expect(await get('fresh')).toBe('hello new');
  });
});
