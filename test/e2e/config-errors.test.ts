import { access, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwitchChatServer } from '../../src/sandbox/twitch/chat/index.js';
import { runCli } from '../helpers/cli-process.js';

let chat: TwitchChatServer;
beforeAll(async () => {
  chat = await TwitchChatServer.start();
});
afterAll(async () => {
  await chat.close();
});

const BROKEN = [
  'alice:',
  '  prefix: "a b"',
  '  channels: [alice]',
  '  cogs:',
  '    - echo_consle',
  '    - pubsub',
  '    - echo_console: { includeSelf: "yes" }',
  '  token: ${MISSING_VAR}',
  '',
].join('\n');

async function project(yaml: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-cfg-'));
  await writeFile(path.join(dir, 'bots.yaml'), yaml);
  return dir;
}

describe('configuration errors stop startup before anything connects', () => {
  it('start: every error at once with file:line:col, path and fix; exit 2; no connection, nothing written', async () => {
    const dir = await project(BROKEN);
    const cli = runCli(['start'], {
      cwd: dir,
      env: {
        PORT: '0',
        ALICE_CLIENT_ID: 'id',
        ALICE_CLIENT_SECRET: 'secret',
        TWITCH_CHAT_URL: chat.url,
        DATA_DIR: path.join(dir, 'data'),
      },
    });
    expect(await cli.exited).toBe(2);
    const err = cli.stderr.join('');
    expect(err).toMatch(/bots\.yaml:2:\d+ error alice\.prefix/);
    expect(err).toMatch(/bots\.yaml:5:\d+ error alice\.cogs\[0\].*unknown cog "echo_consle"/);
    expect(err).toMatch(/did you mean "echo_console"\?|did you mean "echo-console"\?/);
    expect(err).toMatch(/bots\.yaml:6:\d+ error alice\.cogs\[1\].*pubsub[\s\S]*eventsub/);
    expect(err).toMatch(/bots\.yaml:7:\d+ error alice\.cogs\[2\]\.echo[-_]console\.includeSelf/);
    expect(err).toMatch(/MISSING_VAR/);
    expect(err).toContain('nothing was started');
    expect(chat.connectionCount).toBe(0);
    expect(chat.received).toHaveLength(0);
    await expect(access(path.join(dir, 'data'))).rejects.toThrow();
  });

  it('check: the twitch-creamery example loads, with a warning about the bare !', async () => {
    const dir = await project(
      'example_bot:\n   prefix: !\n   cogs:\n   -   echo_console\n   channels:\n   -   AnonymousUser\n   scopes:\n   -   all_scopes\n',
    );
    const cli = runCli(['check'], { cwd: dir, env: {} });
    expect(await cli.exited).toBe(0);
    expect(cli.stderr.join('')).toMatch(/bots\.yaml:2:\d+ warning example_bot\.prefix[\s\S]*"!"/);
    expect(cli.lines.map((l) => l.raw).join('\n')).toMatch(
      /OK, 1 bot\(s\): example_bot \(echo-console\)/,
    );
  });

  it('start: some credentials but not all is an error naming the missing variable', async () => {
    const dir = await project('alice:\n  cogs: [echo_console]\nbob:\n  cogs: [echo_console]\n');
    const cli = runCli(['start'], {
      cwd: dir,
      env: {
        PORT: '0',
        ALICE_CLIENT_ID: 'id',
        ALICE_CLIENT_SECRET: 's',
        DATA_DIR: path.join(dir, 'data'),
      },
    });
    expect(await cli.exited).toBe(2);
    const err = cli.stderr.join('');
    expect(err).toContain('BOB_CLIENT_ID is not set');
    expect(err).toContain('BOB_CLIENT_SECRET is not set');
    expect(err).not.toContain('ALICE_CLIENT_SECRET=');
  });
});
