import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TwitchChatServer } from '../src/sandbox/twitch/chat/index.js';
import { runCli } from '../test/helpers/cli-process.js';
import { FIXTURE_PLUGINS } from '../test/helpers/runtime.js';
import { defineBench } from './harness.js';

const BOTS = 20;

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 'NaN');
  return kb / 1024;
}

export default defineBench({
  name: 'idle-bots',
  async run() {
    const chat = await TwitchChatServer.start();
    const dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-bench-idle-'));
    const env: Record<string, string> = {
      PORT: '0',
      TWITCH_CHAT_URL: chat.url,
      PLUGIN_DIRS: FIXTURE_PLUGINS,
      DATA_DIR: path.join(dir, 'data'),
      WATCH_CONFIG: '0',
      // A production start refuses to run without the key that encrypts stored Twitch tokens.
      STREAMCOGS_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    };
    const lines: string[] = [];
    for (let i = 0; i < BOTS; i++) {
      lines.push(`bot_${i}:`, `  channels: [chan_${i}]`, '  cogs: [echo_console, good-a, good-b]');
      env[`BOT_${i}_CLIENT_ID`] = `id${i}`;
      env[`BOT_${i}_CLIENT_SECRET`] = `secret${i}`;
    }
    await writeFile(path.join(dir, 'bots.yaml'), `${lines.join('\n')}\n`);
    const cli = runCli(['start'], { cwd: dir, env });
    try {
      await cli.waitForLog((l) => l.msg === 'ready', 60_000);
      await new Promise((r) => setTimeout(r, 3000)); // settle: joins done, GC had a chance
      const rss = await rssMb(cli.child.pid as number);
      return [
        {
          name: 'idle-bots.20x3.rss',
          value: rss,
          unit: 'MB',
          goal: '< 200 MB',
          pass: rss < 200,
        },
      ];
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
      await chat.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
});
