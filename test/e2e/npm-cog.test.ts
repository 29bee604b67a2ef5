import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-process.js';
import { ROOT, tempProject, type TempProject } from '../dev/temp-project.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}/`, import.meta.url));

/** Runs `streamcogs <args>` to the end. */
function cli(
  args: string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${ROOT}bin/streamcogs.js`, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

let project: TempProject;
beforeAll(async () => {
  project = await tempProject();
  await project.install(fixture('npm-cog'), 'streamcogs-fixture-hello');
  await project.install(fixture('npm-cog-future'), 'streamcogs-fixture-future');
});
afterAll(async () => {
  await project?.remove();
});

describe('a cog installed from npm', () => {
  it('is listed in bots.yaml by package name, and checks', async () => {
    await project.write(
      'bots.yaml',
      'npm_bot:\n  channels: [streamer]\n  cogs:\n    - streamcogs-fixture-hello: { reply: hi from the package }\n',
    );
    const check = await cli(['check'], project.dir);
    expect(check.stderr).toBe('');
    expect(check.stdout).toContain('OK, 1 bot(s): npm_bot (streamcogs-fixture-hello)');
    expect(check.code).toBe(0);
  }, 90_000);

  it('runs in the bot', async () => {
    const app = runCli(['start'], {
      cwd: project.dir,
      env: { PORT: '0', SANDBOX: '1', DATA_DIR: `${project.dir}/data` },
    });
    try {
      const url = String((await app.waitForLog((l) => l.msg === 'listening', 60_000)).url);
      await app.waitForLog(
        (l) => l.msg === 'cog started' && l.cog === 'streamcogs-fixture-hello',
        60_000,
      );
      const res = await fetch(`${url}/bots/npm_bot/streamcogs-fixture-hello/`);
      expect(await res.json()).toEqual({ reply: 'hi from the package', bot: 'npm_bot' });
    } finally {
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
    }
  }, 90_000);

  it('is refused at check when made for another plugin API, saying which package and what to do', async () => {
    await project.write(
      'bots.yaml',
      'npm_bot:\n  channels: [streamer]\n  cogs:\n    - streamcogs-fixture-future\n',
    );
    const check = await cli(['check'], project.dir);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('bots.yaml:4:7');
    expect(check.stderr).toContain(
      'npm package streamcogs-fixture-future@3.0.0 is a cog for plugin API v2, but this streamcogs implements plugin API v1',
    );
    expect(check.stderr).toContain(
      'upgrade streamcogs to a release with plugin API v2, or install a release of streamcogs-fixture-future made for plugin API v1',
    );
  }, 90_000);
});
