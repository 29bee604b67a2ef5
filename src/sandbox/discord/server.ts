import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { createRequestHandler } from './http/pipeline.js';
import { Router } from './http/router.js';
import { allRoutes } from './routes/index.js';
import { DiscordSandbox } from './sandbox.js';
import type { DiscordServerOptions } from './sandbox.js';
import { DiscordServerEventsBase } from './server-events.js';

/**
 * A local Discord: REST (`/api/v10`) and gateway on one loopback port, with real rate
 * limits, for the real discord.js and Sapphire to talk to.
 *
 * @example
 * ```ts
 * const server = await DiscordServer.start();
 * const bot = server.createBot({ username: 'helper' });
 * server.createGuild({ name: 'Test', channels: ['general'] });
 * const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: server.apiUrl } });
 * await client.login(bot.token);
 * // ...
 * await client.destroy();
 * await server.close();
 * ```
 */
export class DiscordServer extends DiscordServerEventsBase {
  readonly #http: Server;
  readonly #wss: WebSocketServer;
  #port = 0;

  private constructor(sb: DiscordSandbox, http: Server, wss: WebSocketServer) {
    super(sb);
    this.#http = http;
    this.#wss = wss;
  }

  /**
   * Starts listening on 127.0.0.1 (free port unless `port` is given).
   *
   * @example
   * ```ts
   * const server = await DiscordServer.start({ rateLimits: { webhookExecute: { limit: 5, windowMs: 500 } } });
   * ```
   */
  static async start(
    options: DiscordServerOptions & { port?: number } = {},
  ): Promise<DiscordServer> {
    const holder: { server?: DiscordServer } = {};
    const sb = new DiscordSandbox(options, (record) => holder.server?.emit('record', record));
    const http = createServer({ keepAlive: true }, createRequestHandler(sb, new Router(allRoutes)));
    const wss = new WebSocketServer({ noServer: true });
    http.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => sb.gateway.accept(ws, req));
    });
    const server = new DiscordServer(sb, http, wss);
    holder.server = server;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port ?? 0, '127.0.0.1', () => {
        http.off('error', reject);
        resolve();
      });
    });
    server.#port = (http.address() as AddressInfo).port;
    sb.setBaseUrl('127.0.0.1', server.#port);
    return server;
  }

  /**
   * The listening port.
   *
   * @example
   * ```ts
   * const url = `http://127.0.0.1:${server.port}/api/v10/gateway`;
   * ```
   */
  get port(): number {
    return this.#port;
  }

  /**
   * `http://127.0.0.1:PORT/api`: pass as `rest: { api }` to discord.js and Sapphire.
   *
   * @example
   * ```ts
   * new WebhookClient({ id, token }, { rest: { api: server.apiUrl } });
   * ```
   */
  get apiUrl(): string {
    return `${this.sb.httpUrl}/api`;
  }

  /**
   * `ws://127.0.0.1:PORT`: what `GET /gateway/bot` returns.
   *
   * @example
   * ```ts
   * const ws = new WebSocket(`${server.gatewayUrl}/?v=10&encoding=json`);
   * ```
   */
  get gatewayUrl(): string {
    return this.sb.wsUrl;
  }

  /**
   * Makes webhook executes hang `ms` before answering (0 turns it off). For benchmarks
   * and timeout tests.
   *
   * @example
   * ```ts
   * server.stall(2000);
   * ```
   */
  stall(ms: number): void {
    this.sb.stallMs = Math.max(0, ms);
  }

  /**
   * Webhook executes currently held by {@link DiscordServer.stall}.
   *
   * @example
   * ```ts
   * await expect.poll(() => server.stalledRequests).toBe(1);
   * ```
   */
  get stalledRequests(): number {
    return this.sb.pendingSleeps;
  }

  /**
   * Stops listening, closes every socket (HTTP keep-alive and gateway), cancels stalls
   * and pending waits; resolves when all sockets are gone.
   *
   * @example
   * ```ts
   * await server.close();
   * ```
   */
  async close(): Promise<void> {
    this.sb.dispose();
    const closed = new Promise<void>((resolve) => this.#http.close(() => resolve()));
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    await closed;
    this.removeAllListeners();
  }
}
