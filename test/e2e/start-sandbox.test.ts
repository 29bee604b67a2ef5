import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliProcess } from '../helpers/cli-process.js';
import { SseReader } from '../helpers/sse-reader.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** A child process starting the sandbox and every bot: generous, CI runs test files in parallel. */
const STARTUP_MS = 60_000;

let dir: string | undefined;
let cli: CliProcess | undefined;
afterAll(async () => {
  if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('streamcogs start on a fresh checkout, with no credentials and no .env', () => {
  it('runs the sample bots.yaml in the sandbox: the console is served, !ping is answered, SIGTERM exits 0', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-fresh-'));
    await copyFile(path.join(ROOT, 'bots.yaml'), path.join(dir, 'bots.yaml'));
    // Nothing but a port and a data folder: no credential, no endpoint, no SANDBOX=1.
    cli = runCli(['start'], { cwd: dir, env: { PORT: '0', DATA_DIR: path.join(dir, 'data') } });
    const listening = await cli.waitForLog((l) => l.msg === 'listening', STARTUP_MS);
    await cli.waitForLog((l) => l.msg === 'ready', STARTUP_MS);
    const url = String(listening.url);
    // The log (and, on stdout, the banner) gives the console's address.
    const announced = await cli.waitForLog((l) => typeof l.console === 'string');
    expect(announced.console).toBe(`${url}/sandbox`);
    expect(String(announced.msg)).toMatch(/^sandbox mode: no credentials/);
    await cli.waitForLog((l) => String(l.raw ?? '').includes(`Open the console:  ${url}/sandbox`));

    const page = await fetch(`${url}/sandbox`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('/sandbox/static/console.js');

    const said = await fetch(`${url}/sandbox/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: '#demo_streamer', viewer: 'Alice', text: '!ping' }),
    });
    expect(said.status).toBe(200);
    const feed = await SseReader.open(`${url}/sandbox/events`);
    try {
      const answer = await feed.next('chat', (e) => e.bot && e.text === 'pong', 30_000);
      expect(answer.channel).toBe('#demo_streamer');
    } finally {
      feed.close();
    }

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  }, 120_000); // a whole sandbox and server start in a child process: slow on a loaded machine
});
