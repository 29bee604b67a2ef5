/**
 * Chat commands end to end through the sandbox: viewers send 1,000 lines/s for 10 s (one
 * in ten `!echo <n>`), the bot (real tmi.js, our dispatch, the chat-commands cog, the
 * outgoing limiter) answers each command with a threaded reply, and the sandbox notes
 * when each reply arrives. Reply latency p50/p99 and every line accounted for. Twitch's
 * 20/100 per 30 s are lifted on both sides (rate-limit queueing aside), as for a
 * verified bot. Baseline, same run: a bare tmi.js client answering `!echo` itself.
 *
 * @example
 * ```sh
 * npx tsx bench/run.ts chat-e2e
 * ```
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BUILTIN_PLUGINS_DIR, PluginCatalog } from '../core/catalog.js';
import type { BotConfig } from '../core/config/types.js';
import { definePlugin, type PluginDefinition } from '../core/index.js';
import { createLogger } from '../core/log.js';
import { Runtime } from '../core/runtime.js';
import { chatCommandsSettings } from '../plugins/chat-commands/settings.js';
import { readEndpoints } from '../src/endpoints.js';
import { createBotPlatform } from '../src/platform/bot-platform.js';
import {
  connectTmiClient,
  disconnectTmiClient,
  TwitchChatServer,
} from '../src/sandbox/twitch/chat/index.js';
import { defineBench, percentile, type BenchFigure } from './harness.js';

const RATE = 1000;
const SECONDS = 10;
const LIFTED = { privmsgPerWindow: 1e9, privmsgPerWindowPrivileged: 1e9 };

interface Run {
  latencies: number[];
  commands: number;
  /** Lines the bot's handlers saw. */
  seen: number;
  lines: number;
}

/** Drives viewers at RATE lines/s; `onReply` must be fed reply-parent ids. */
async function drive(chat: TwitchChatServer, bot: string, seen: () => number): Promise<Run> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  chat.on('record', (r) => {
    const parent = r.tags?.['reply-parent-msg-id'];
    if (r.login !== bot || r.command !== 'PRIVMSG' || !parent) return;
    const t0 = sentAt.get(parent);
    if (t0 !== undefined) latencies.push(performance.now() - t0);
  });
  const total = RATE * SECONDS;
  let sent = 0;
  let commands = 0;
  const start = performance.now();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * RATE) / 1000));
    for (; sent < due; sent++) {
      const command = sent % 10 === 0;
      const text = command ? `!echo ${sent}` : `chat line ${sent} hello everyone`;
      const id = chat.viewerSays('#streamer', `viewer${sent % 50}`, text);
      if (command) {
        sentAt.set(id, performance.now());
        commands++;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const deadline = performance.now() + 10_000;
  while ((latencies.length < commands || seen() < total) && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 10));
  return { latencies, commands, seen: seen(), lines: total };
}

/** The real stack: runtime, bot platform (tmi.js + limiter), chat-commands. */
async function streamcogs(): Promise<Run> {
  const chat = await TwitchChatServer.start({ limits: LIFTED });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-chat-e2e-'));
  let seen = 0;
  const counter: PluginDefinition = definePlugin({
    name: 'line-counter',
    description: 'counts chat lines (bench)',
    setup: (ctx) => void ctx.twitch.chat.onMessage(() => void seen++),
  });
  class Catalog extends PluginCatalog {
    override async load(name: string): Promise<PluginDefinition> {
      return name === counter.name ? counter : super.load(name);
    }
  }
  const bot: BotConfig = {
    name: 'bench_bot',
    envPrefix: 'BENCH_BOT',
    prefix: '!',
    channels: ['streamer'],
    scopes: 'all_scopes',
    secrets: {},
    cogs: [
      {
        name: 'chat-commands',
        settings: chatCommandsSettings.parse({
          commands: { echo: { response: 'echo {args}', cooldown: 0, reply: true } },
        }),
      },
      { name: 'line-counter', settings: {} },
    ],
  };
  const log = createLogger({ level: 'warn', pretty: false });
  const runtime = await Runtime.start({
    config: { file: 'bench.yaml', bots: [bot] },
    catalog: await new Catalog({ dirs: [BUILTIN_PLUGINS_DIR] }).scan(),
    log,
    port: 0,
    dataDir,
    strict: true,
    platforms: (b) =>
      createBotPlatform(b, {
        endpoints: readEndpoints({ TWITCH_CHAT_URL: chat.url }),
        log,
        identity: { login: 'bench_bot', token: async () => 'token' },
        chatLimits: { normal: 1e9, elevated: 1e9, maxQueue: 1e6 },
      }),
  });
  try {
    return await drive(chat, 'bench_bot', () => seen);
  } finally {
    await runtime.stop();
    await chat.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** A bare tmi.js client answering `!echo` itself: the floor for this path. */
async function bareTmi(): Promise<Run> {
  const chat = await TwitchChatServer.start({ limits: LIFTED });
  const client = await connectTmiClient(chat, { username: 'bare_bot', channels: ['#streamer'] });
  let seen = 0;
  client.on('message', (channel, tags, text, self) => {
    if (self) return;
    seen++;
    if (text.startsWith('!echo '))
      void client.raw(`@reply-parent-msg-id=${tags.id} PRIVMSG ${channel} :echo ${text.slice(6)}`);
  });
  try {
    return await drive(chat, 'bare_bot', () => seen);
  } finally {
    await disconnectTmiClient(client);
    await chat.close();
  }
}

export default defineBench({
  name: 'chat-e2e',
  async run(): Promise<BenchFigure[]> {
    const base = await bareTmi();
    const ours = await streamcogs();
    const lost = ours.commands - ours.latencies.length + (ours.lines - ours.seen);
    const p99 = percentile(ours.latencies, 99);
    return [
      {
        name: 'chat-e2e.reply-p50',
        value: percentile(ours.latencies, 50),
        unit: 'ms',
        baseline: percentile(base.latencies, 50),
      },
      {
        name: 'chat-e2e.reply-p99',
        value: p99,
        unit: 'ms',
        baseline: percentile(base.latencies, 99),
        goal: '< 20 ms',
        pass: p99 < 20,
      },
      {
        name: 'chat-e2e.lost',
        value: lost,
        unit: 'lines',
        goal: `= 0 (of ${ours.lines} lines, ${ours.commands} replies)`,
        pass: lost === 0,
      },
    ];
  },
});
