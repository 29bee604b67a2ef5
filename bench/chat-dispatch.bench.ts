/**
 * Chat command dispatch in process: tagged PRIVMSG lines -> tmi.js parses them -> our
 * layer (ChatMessage and sender from tags, prefix parse, registry match, permission,
 * cooldown, the guarded handler) -> the handler. Baselines in the same run: tmi.js's own
 * line parser alone (`parser.msg`), and tmi.js's whole handling of the line (parser plus
 * its tag transforms and event emit) with no listener. The ratio is lines/s with our layer
 * over lines/s of the parser alone: >= 0.5 means our layer costs at most what parsing does.
 * (The stack is wired as `createBotPlatform` wires it; a wrapper around the connection,
 * such as a supervisor swapping connections, is not measured here.)
 *
 * @example
 * ```sh
 * npx tsx bench/run.ts chat-dispatch
 * ```
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import tmi from 'tmi.js';
import { CommandRegistry } from '../core/commands/registry.js';
import { EventBus } from '../core/events.js';
import { guardHandler } from '../core/guard.js';
import { createLogger } from '../core/log.js';
import { Metrics } from '../core/metrics.js';
import { ChatConnection } from '../src/twitch/chat-connection.js';
import { defineBench } from './harness.js';

const require = createRequire(import.meta.url);
const parser = require('tmi.js/lib/parser.js') as { msg(line: string): unknown };

const LINES = 20_000;
const ROUNDS = 15;

/** Twitch-shaped PRIVMSG lines: 90% chat, 10% commands (known, unknown, sub-only). */
function buildLines(): string[] {
  const texts = [
    'hello chat how is everyone doing today',
    'PogChamp that was amazing',
    'lol',
    'what game is this?',
    'GG',
    'can you play the song again please',
    'first time here, love the stream',
    'LUL LUL LUL',
    'this is a longer message with a few more words in it to look like real chat',
  ];
  const commands = ['!hug @someone', '!dice', '!nope', '!subonly'];
  return Array.from({ length: LINES }, (_, i) => {
    const u = `viewer${i % 97}`;
    const sub = i % 3 === 0;
    const badges = sub ? 'subscriber/6,premium/1' : i % 11 === 0 ? 'vip/1' : '';
    const text = i % 10 === 0 ? (commands[(i / 10) % 4] as string) : (texts[i % 9] as string);
    const tags = [
      `badge-info=${sub ? 'subscriber/8' : ''}`,
      `badges=${badges}`,
      'color=#1E90FF',
      `display-name=Viewer${i % 97}`,
      'emotes=',
      'first-msg=0',
      'flags=',
      `id=6b1c3f2e-0000-4000-8000-${String(i).padStart(12, '0')}`,
      'mod=0',
      'returning-chatter=0',
      'room-id=12345',
      `subscriber=${sub ? 1 : 0}`,
      `tmi-sent-ts=${1_700_000_000_000 + i}`,
      'turbo=0',
      `user-id=${1000 + (i % 97)}`,
      'user-type=',
    ].join(';');
    return `@${tags} :${u}!${u}@${u}.tmi.twitch.tv PRIVMSG #streamer :${text}`;
  });
}

const drain = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What tmi.js calls for each parsed line (not in its typings). */
type Handles = { handleMessage(message: unknown): void };

/**
 * Lines per second of each variant over every line. Rounds alternate between the variants
 * so drift in machine load hits them alike; each keeps its best round after warm-up.
 */
async function rates(lines: string[], variants: ((line: string) => void)[]): Promise<number[]> {
  const best = variants.map(() => 0);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, feed] of variants.entries()) {
      const start = performance.now();
      for (const line of lines) feed(line);
      await drain();
      const perSecond = lines.length / ((performance.now() - start) / 1000);
      if (round >= 2) best[i] = Math.max(best[i] as number, perSecond);
    }
  }
  return best;
}

/** Our chat connection (not connected) wired to a registry the way the bot platform does it. */
function ourStack(): { client: tmi.Client; handled: () => number } {
  const log = createLogger({ level: 'silent', pretty: false });
  const chat = new ChatConnection({
    endpoints: { twitchChat: { server: '127.0.0.1', port: 1, secure: false } } as never,
    channels: ['streamer'],
    log,
    identity: { login: 'bench_bot', token: async () => 'x' },
  });
  const registry = new CommandRegistry('!');
  const deps = { bot: 'bench', cog: 'bench', log, bus: new EventBus(), metrics: new Metrics() };
  let handled = 0;
  const run = () => void handled++;
  for (const def of [
    { name: 'hug', aliases: ['cuddle'], run },
    { name: 'dice', cooldown: { user: 0 }, run },
    { name: 'subonly', permission: 'subscriber' as const, run },
  ])
    registry.register('bench', def, guardHandler(deps, `command:${def.name}`, def.run));
  const send = { reply: async () => {}, say: async () => {} };
  chat.onMessage((message) => registry.handle(message, send));
  return { client: chat.client, handled: () => handled };
}

export default defineBench({
  name: 'chat-dispatch',
  async run() {
    const lines = buildLines();
    const bare = new tmi.Client({ options: { skipUpdatingEmotesets: true } }) as unknown as Handles;
    (bare as unknown as tmi.Client).on('message', () => {});
    const ours = ourStack();
    const client = ours.client as unknown as Handles;
    const [parseOnly = 0, tmiOnly = 0, full = 0] = await rates(lines, [
      (line) => void parser.msg(line),
      (line) => bare.handleMessage(parser.msg(line)),
      (line) => client.handleMessage(parser.msg(line)),
    ]);
    if (ours.handled() === 0) throw new Error('no command reached its handler');
    return [
      {
        name: 'chat-dispatch.lines-per-s',
        value: full,
        unit: 'lines/s',
        baseline: parseOnly,
        goal: 'ratio >= 0.5 (vs tmi.js parser alone)',
        pass: full / parseOnly >= 0.5,
      },
      {
        name: 'chat-dispatch.vs-tmi-handling',
        value: full,
        unit: 'lines/s',
        baseline: tmiOnly,
      },
    ];
  },
});
