/**
 * One streamcogs-like process for the multi-process tests: a runtime with the EventSub ingress
 * (on STORAGE_URL, else SQLite in DATA_DIR, else a temp dir) and one cog listening to
 * `stream.online` of BROADCASTER_ID, its handler sleeping DELAY_MS (0) first. Prints JSON
 * lines: `{"ready": url}` once reconciled, `{"started": messageId}` when a handler call begins,
 * `{"handled": messageId}` when it ends.
 * Env: STORAGE_URL, DATA_DIR, DELAY_MS, INBOX_LEASE_MS, TWURPLE_MOCK_API_PORT, EVENTSUB_SECRET,
 * BROADCASTER_ID, CLIENT_ID, CLIENT_SECRET.
 */
import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { PluginCatalog } from '../../../../core/catalog.js';
import type { AppConfig } from '../../../../core/config/types.js';
import { createLogger } from '../../../../core/log.js';
import { Runtime } from '../../../../core/runtime.js';
import { EventSubService } from '../../../../src/twitch/eventsub/index.js';
import { listenerCalls, listenerStarts } from '../fixtures/listener.js';
import { FIXTURES, PUBLIC_URL } from './harness.js';
import { EventSubTestPlatform } from './platform.js';

const env = process.env;
const say = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
const log = createLogger({ level: 'warn', pretty: false, destination: process.stderr });
const dataDir = env.DATA_DIR ?? (await mkdtemp(path.join(tmpdir(), 'streamcogs-instance-')));
const config: AppConfig = {
  file: path.join(dataDir, 'bots.yaml'),
  bots: [
    {
      name: 'alice',
      envPrefix: 'ALICE',
      prefix: '!',
      channels: ['alice'],
      scopes: 'all_scopes',
      secrets: { clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET },
      cogs: [
        {
          name: 'es-a',
          dependsOn: [],
          settings: {
            delayMs: Number(env.DELAY_MS ?? 0),
            subscriptions: [
              { type: 'stream.online', condition: { broadcaster_user_id: env.BROADCASTER_ID } },
            ],
          },
        },
      ],
    },
  ],
};
let eventsub: EventSubService | undefined;
const runtime = await Runtime.start({
  config,
  catalog: await new PluginCatalog({ dirs: [FIXTURES] }).scan(),
  log,
  port: 0,
  dataDir,
  storageUrl: env.STORAGE_URL,
  publicUrl: PUBLIC_URL,
  platforms: (b) => new EventSubTestPlatform(b, (eventsub as EventSubService).facetFor(b)),
  routes: async (http, rt) => {
    eventsub = await EventSubService.create({
      storage: rt.storage,
      registry: rt.metrics.registry,
      log,
      env,
      ingress: env.INBOX_LEASE_MS ? { inboxLeaseMs: Number(env.INBOX_LEASE_MS) } : {},
    });
    http.app.use(eventsub.routes());
  },
  onListening: (rt) => (eventsub as EventSubService).listen(rt.publicUrl),
});
const service = eventsub as EventSubService;
const report = await service.start();
let seen = 0;
let begun = 0;
setInterval(() => {
  for (const id of listenerStarts().slice(begun)) say({ started: id });
  begun = listenerStarts().length;
  for (const call of listenerCalls().slice(seen)) say({ handled: call.id });
  seen = listenerCalls().length;
}, 10);
say({ ready: runtime.url, created: report.created.length, kept: report.kept.length });
process.once('SIGTERM', () => {
  void service
    .stop()
    .then(() => runtime.stop())
    .finally(() => process.exit(0));
});
