import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliProcess } from '../helpers/cli-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** A child process starting the sandbox and every bot: generous, CI runs test files in parallel. */
const STARTUP_MS = 60_000;

interface ChatRecord {
  kind: string;
  channel?: string;
  text?: string;
  bot?: boolean;
}

/**
 * Reads the console's event stream (which replays what happened before it opened) until a
 * record matches, then closes it. node:http rather than fetch: an aborted fetch leaves a
 * spare connection that would hold the server's graceful stop.
 */
function seeOnFeed(url: string, match: (e: ChatRecord) => boolean): Promise<ChatRecord> {
  return new Promise((resolve, reject) => {
    const seen: ChatRecord[] = [];
    const req = http.get(url, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .find((l) => l.startsWith('data: '));
          buffer = buffer.slice(end + 2);
          if (!data) continue;
          const record = JSON.parse(data.slice(6)) as ChatRecord;
          seen.push(record);
          if (match(record)) {
            clearTimeout(timer);
            req.destroy();
            resolve(record);
          }
        }
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`not on the console feed within 30 s; saw ${JSON.stringify(seen)}`));
    }, 30_000);
    req.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

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
    const answer = await seeOnFeed(
      `${url}/sandbox/events`,
      (e) => e.kind === 'chat' && e.bot === true && e.text === 'pong',
    );
    expect(answer.channel).toBe('#demo_streamer');

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  }, 120_000); // a whole sandbox and server start in a child process: slow on a loaded machine
});
