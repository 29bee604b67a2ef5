import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { frontMiddleware } from './front-middleware.js';

/** Options of {@link createHttpServer}. */
export interface HttpServerOptions {
  log: Logger;
  metrics: Metrics;
  /** Trust X-Forwarded-* from the reverse proxy (Nginx); default true. */
  proxy?: boolean;
}

/**
 * The one shared Koa server of the process. Routes are added with `app.use` before
 * `listen`; no global body parser runs (EventSub needs the raw bytes).
 */
export interface HttpServer {
  app: Koa;
  server: http.Server;
  /** Listens and resolves with the bound address. */
  listen(host: string, port: number): Promise<AddressInfo>;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
  /** Requests being served right now. */
  readonly inFlight: number;
}

/**
 * Creates the shared server with security headers, JSON errors, request logs and
 * latency metrics. Mount routers on `app` before calling `listen`.
 *
 * @example
 * ```ts
 * const web = createHttpServer({ log, metrics });
 * web.app.use(healthRoutes(() => runtime.readiness()).routes());
 * const addr = await web.listen('127.0.0.1', 8000);
 * await web.close();
 * ```
 */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const app = new Koa({ proxy: options.proxy ?? true });
  app.silent = true;
  const inFlight = { count: 0 };
  // In-flight count, request log and metrics, JSON errors, security headers: one middleware.
  app.use(
    frontMiddleware({
      log: options.log,
      metrics: options.metrics,
      inFlight,
      security: {
        contentSecurityPolicy: {
          useDefaults: true,
          directives: { 'script-src': ["'self'"], 'connect-src': ["'self'"] },
        },
      },
    }),
  );
  // Koa composes its middleware when `callback()` is called: do it at listen time, so
  // routers added after creation are served.
  let handler: ReturnType<Koa['callback']> | undefined;
  const server = http.createServer((req, res) => {
    handler ??= app.callback();
    void handler(req, res);
  });
  server.keepAliveTimeout = 65_000; // longer than Nginx's upstream keepalive_timeout
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  return {
    app,
    server,
    get inFlight() {
      return inFlight.count;
    },
    listen(host, port) {
      handler = app.callback();
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    async close(graceMs = 8000) {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      timer.unref();
      // Connections that finish their request become idle: close them as they do. Once
      // nothing is in flight, close the rest too (sockets that never sent a request,
      // browser pre-connects), so they cannot hold the shutdown for the whole grace period.
      const sweep = setInterval(() => {
        if (inFlight.count === 0) server.closeAllConnections();
        else server.closeIdleConnections();
      }, 50);
      sweep.unref();
      try {
        await closed;
      } finally {
        clearTimeout(timer);
        clearInterval(sweep);
      }
    },
  };
}
