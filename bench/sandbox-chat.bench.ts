/**
 * How many chat lines per second the Twitch chat simulator delivers: `viewerSays` lines
 * (full IRCv3 tags, fresh uuid each) to one raw WebSocket client, and to one tmi.js client.
 * Baseline: a bare `ws` server sending an equally long pre-built line, framed the same way
 * (lines of one tick in one frame), so the ratio is the cost of the simulator's own work.
 *
 * @example
 * ```sh
 * npx tsx bench/run.ts sandbox-chat
 * ```
 */
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import {
  RawChatClient,
  TwitchChatServer,
  connectTmiClient,
  disconnectTmiClient,
} from '../src/sandbox/twitch/chat/index.js';
import type { ViewerIdentity } from '../src/sandbox/twitch/chat/index.js';
import { defineBench } from './harness.js';

const MAX_LINES = 200_000;
const TMI_LINES = 50_000;
const TIME_LIMIT_MS = 10_000;
const CHUNK = 500;
const MAX_IN_FLIGHT = 20_000;
const GOAL = 20_000;

const viewers: ViewerIdentity[] = Array.from({ length: 8 }, (_, i) => ({
  login: `viewer${i}`,
  displayName: `Viewer${i}`,
  badges: i % 2 ? { subscriber: i } : {},
}));

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Sends lines in chunks, keeps at most MAX_IN_FLIGHT unreceived, stops at `max` or the time limit. */
async function pump(
  max: number,
  send: (i: number) => void,
  received: () => number,
): Promise<number> {
  const start = performance.now();
  const deadline = start + TIME_LIMIT_MS;
  let sent = 0;
  while (sent < max && performance.now() < deadline) {
    if (sent - received() < MAX_IN_FLIGHT) {
      for (let i = 0; i < CHUNK && sent < max; i++) send(sent++);
    }
    await tick();
  }
  while (received() < sent && performance.now() < deadline + 5_000) await tick();
  return received() / ((performance.now() - start) / 1000);
}

async function simulatorToRaw(): Promise<number> {
  const chat = await TwitchChatServer.start();
  const client = await RawChatClient.connect(chat.url, { login: 'benchbot', keepLines: false });
  try {
    const joined = client.nextLine((l) => l.includes('ROOMSTATE #bench'));
    client.send('JOIN #bench');
    await joined;
    const base = client.lineCount;
    return await pump(
      MAX_LINES,
      (i) =>
        chat.viewerSays(
          '#bench',
          viewers[i % viewers.length] as ViewerIdentity,
          `line ${i} hello chat Kappa`,
        ),
      () => client.lineCount - base,
    );
  } finally {
    await client.close();
    await chat.close();
  }
}

async function simulatorToTmi(): Promise<number> {
  const chat = await TwitchChatServer.start();
  const bot = await connectTmiClient(chat, { username: 'benchbot', channels: ['#bench'] });
  let count = 0;
  bot.on('message', () => {
    count++;
  });
  try {
    return await pump(
      TMI_LINES,
      (i) =>
        chat.viewerSays(
          '#bench',
          viewers[i % viewers.length] as ViewerIdentity,
          `line ${i} hello chat Kappa`,
        ),
      () => count,
    );
  } finally {
    await disconnectTmiClient(bot);
    await chat.close();
  }
}

async function bareWsToRaw(): Promise<number> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const sockets: WebSocket[] = [];
  const connected = new Promise<void>((resolve) =>
    wss.once('connection', (ws) => {
      sockets.push(ws);
      resolve();
    }),
  );
  const client = await RawChatClient.connect(
    `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    {
      keepLines: false,
    },
  );
  await connected;
  const socket = sockets[0] as WebSocket;
  const template =
    '@badge-info=subscriber/3;badges=subscriber/3;color=;display-name=Viewer3;emotes=;first-msg=0;flags=;' +
    'id=00000000-0000-4000-8000-000000000000;mod=0;returning-chatter=0;room-id=123456789;subscriber=1;' +
    'tmi-sent-ts=1700000000000;turbo=0;user-id=987654321;user-type= ' +
    ':viewer3!viewer3@viewer3.tmi.twitch.tv PRIVMSG #bench :line ';
  let batch: string[] = [];
  let queued = false;
  const flush = (): void => {
    queued = false;
    if (batch.length) socket.send(batch.join('\r\n') + '\r\n');
    batch = [];
  };
  try {
    return await pump(
      MAX_LINES,
      (i) => {
        batch.push(`${template}${i} hello chat Kappa`);
        if (batch.length >= 300) flush();
        else if (!queued) {
          queued = true;
          queueMicrotask(flush);
        }
      },
      () => client.lineCount,
    );
  } finally {
    await client.close();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }
}

export default defineBench({
  name: 'sandbox-chat',
  async run() {
    const baseline = await bareWsToRaw();
    const raw = await simulatorToRaw();
    const tmi = await simulatorToTmi();
    return [
      {
        name: 'sandbox-chat.viewer-lines-to-raw-ws',
        value: raw,
        unit: 'lines/s',
        baseline,
        goal: `>= ${GOAL} lines/s`,
        pass: raw >= GOAL,
      },
      { name: 'sandbox-chat.viewer-lines-to-tmi.js', value: tmi, unit: 'lines/s' },
    ];
  },
});
