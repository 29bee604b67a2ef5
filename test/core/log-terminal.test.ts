import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../fixtures/log-to-stdout.ts', import.meta.url));
const NODE = [process.execPath, '--import', 'tsx', SCRIPT];
/** A bound on the child (never reached when it works), not a timing assertion. */
const BOUND = { timeout: 60_000 };
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const MESSAGE = 'webhook deleted, target disabled';

/** The child's environment: no inherited LOG_LEVEL, NODE_ENV or secrets. */
function envOf(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...extra };
}

/** Runs the fixture with stdout on a pseudo-terminal (util-linux `script`), as in a shell. */
async function onTerminal(extra: Record<string, string> = {}): Promise<string> {
  const command = NODE.map((a) => JSON.stringify(a)).join(' ');
  const { stdout } = await run('script', ['-qec', command, '/dev/null'], {
    ...BOUND,
    env: envOf(extra),
  });
  return stdout;
}

/** Runs the fixture with stdout on a pipe (a service manager, a log shipper). */
async function onPipe(extra: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(NODE[0] as string, NODE.slice(1), { ...BOUND, env: envOf(extra) });
  return stdout;
}

/** The lines an operator reads: colours removed, terminal line ends normalised. */
function readable(out: string): string[] {
  return out.replace(ANSI, '').replace(/\r/g, '').split('\n').filter(Boolean);
}

/** Asserts the pretty form: `[HH:MM:ss.mmm] WARN (pid): message` then the bot and cog. */
function expectPretty(out: string): void {
  expect(readable(out)).toEqual([
    expect.stringMatching(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] WARN \(\d+\): webhook deleted, target disabled$/,
    ),
    '    bot: "alice"',
    '    cog: "go-live"',
  ]);
}

/** Asserts one JSON line with level, message, bot and cog. */
function expectJson(out: string): void {
  const lines = out.replace(/\r/g, '').trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0] as string)).toMatchObject({
    level: 40,
    msg: MESSAGE,
    bot: 'alice',
    cog: 'go-live',
  });
}

// Each test runs one or two tsx children: generous on a loaded 2-core CI machine.
describe('what an operator sees of the logs', { timeout: 130_000 }, () => {
  it('on a terminal: one readable, coloured line with time, level and message, then bot and cog', async () => {
    const out = await onTerminal();
    expectPretty(out);
    expect(out).toContain('\x1b[33mWARN\x1b[39m'); // the level stands out in yellow
  });

  it('on a terminal with NODE_ENV=production: JSON, as documented', async () => {
    expectJson(await onTerminal({ NODE_ENV: 'production' }));
  });

  it('on a pipe: JSON lines a log shipper can parse', async () => {
    expectJson(await onPipe());
  });

  it('as configured: pretty: true on a pipe is readable, pretty: false on a terminal is JSON', async () => {
    expectPretty(await onPipe({ PRETTY: '1' }));
    expectJson(await onTerminal({ PRETTY: '0' }));
  });
});
