import type { Context } from 'koa';
import type { Runtime } from '../../core/runtime.js';
import type { TwitchEventSub } from '../../core/index.js';
import type { EventSubService } from '../../src/twitch/eventsub/index.js';

/** Options of {@link startEventSubRuntime}. */
export interface EventSubRuntimeOptions {
  dataDir: string;
  /** `redis://...`; SQLite under `dataDir` when absent. */
  storageUrl?: string;
  secret: string;
  /** The body of `GET /stats`. */
  stats: () => unknown;
}

/** A running bench runtime: its URL and a cog-like `ctx.twitch.eventsub` facet. */
export interface EventSubRuntime {
  url: string;
  runtime: Runtime;
  service: EventSubService;
  facet: TwitchEventSub;
}

/**
 * The shared server as the app wires it (Runtime, EventSubService on the runtime's storage,
 * no bots), quiet logs, `GET /stats` for the bench, and the facet one cog would get.
 * Imports lazily: bench files load this only in their server child.
 *
 * @example
 * ```ts
 * const es = await startEventSubRuntime({ dataDir, secret, stats: () => ({ handled }) });
 * es.facet.on('channel.cheer', { broadcaster_user_id: '42' }, async () => void handled++);
 * ```
 */
export async function startEventSubRuntime(o: EventSubRuntimeOptions): Promise<EventSubRuntime> {
  const path = await import('node:path');
  const { Runtime } = await import('../../core/runtime.js');
  const { PluginCatalog } = await import('../../core/catalog.js');
  const { createLogger } = await import('../../core/log.js');
  const { EventSubService } = await import('../../src/twitch/eventsub/index.js');
  const log = createLogger({ level: 'warn', pretty: false, destination: { write: () => {} } });
  let service: EventSubService | undefined;
  const runtime = await Runtime.start({
    config: { file: path.join(o.dataDir, 'bots.yaml'), bots: [] },
    catalog: new PluginCatalog({ dirs: [] }),
    platforms: () => {
      throw new Error('no bots in this bench');
    },
    log,
    port: 0,
    dataDir: o.dataDir,
    storageUrl: o.storageUrl,
    publicUrl: 'https://bench.example.test',
    routes: async (http, rt) => {
      service = await EventSubService.create({
        storage: rt.storage,
        registry: rt.metrics.registry,
        log,
        env: { EVENTSUB_SECRET: o.secret },
      });
      http.app.use(service.routes());
      http.app.use(async (ctx: Context, next) => {
        if (ctx.path !== '/stats') return next();
        ctx.body = o.stats();
      });
    },
    onListening: (rt) => (service as EventSubService).listen(rt.publicUrl),
  });
  const scope = {
    bot: 'bench',
    cog: 'bench',
    log,
    signal: new AbortController().signal,
    track: <D>(d: D) => d,
    guard:
      <A extends unknown[]>(_label: string, fn: (...args: A) => unknown) =>
      async (...args: A) =>
        void (await fn(...args)),
  };
  const secrets = { clientId: 'bench-client', clientSecret: 'bench-secret' };
  const es = service as EventSubService;
  return {
    url: runtime.url,
    runtime,
    service: es,
    facet: es.facetFor({ name: 'bench', secrets })(scope),
  };
}
