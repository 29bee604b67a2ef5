import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import type { ConsoleFeed, FeedEvent } from './feed.js';

/**
 * Options of {@link SseHub}.
 *
 * @example
 * ```ts
 * const hub = new SseHub(feed, { maxClients: 4, heartbeatMs: 5000 });
 * ```
 */
export interface SseHubOptions {
  /** Open streams at most; more get 503. Default 16. */
  maxClients?: number;
  /** A comment line this often keeps proxies from timing the stream out. Default 15 s. */
  heartbeatMs?: number;
  /** A client this far behind (bytes queued) is dropped. Default 1 MiB. */
  maxQueuedBytes?: number;
  /** How often to check whether the shared server stopped listening. Default 100 ms. */
  shutdownCheckMs?: number;
}

interface Client {
  stream: PassThrough;
  server: Server | undefined;
  off: () => void;
}

/**
 * Server-Sent Events for the console: each stream first replays the feed (after the
 * browser's `Last-Event-ID`), then gets every new record. Streams are bounded in number
 * and in queued bytes, and end as soon as the shared server stops listening (so its
 * graceful close does not wait on them) or {@link SseHub.close} is called.
 *
 * @example
 * ```ts
 * const hub = new SseHub(feed);
 * router.get('/sandbox/events', (ctx) => hub.open(ctx));
 * hub.close();
 * ```
 */
export class SseHub {
  readonly #clients = new Set<Client>();
  readonly #opts: Required<SseHubOptions>;
  #timers: NodeJS.Timeout[] = [];
  #closed = false;

  constructor(
    private readonly feed: ConsoleFeed,
    options: SseHubOptions = {},
  ) {
    this.#opts = {
      maxClients: options.maxClients ?? 16,
      heartbeatMs: options.heartbeatMs ?? 15_000,
      maxQueuedBytes: options.maxQueuedBytes ?? 1024 * 1024,
      shutdownCheckMs: options.shutdownCheckMs ?? 100,
    };
  }

  /** Open streams. */
  get size(): number {
    return this.#clients.size;
  }

  /** Answers `ctx` with an event stream (or 503 when closed or full). */
  open(ctx: Context): void {
    const server = (ctx.req.socket as Socket & { server?: unknown }).server as Server | undefined;
    // 503 answered here, not thrown: the error handler would hide the message and log an error.
    const refuse = (message: string): void => {
      ctx.status = 503;
      ctx.set('Retry-After', '5');
      ctx.body = { error: 'unavailable', message };
    };
    if (this.#closed || server?.listening === false) return refuse('the sandbox is stopping');
    if (this.#clients.size >= this.#opts.maxClients)
      return refuse(`too many console streams open (${this.#opts.maxClients}); close a tab`);
    const lastId = Number(ctx.get('last-event-id') || ctx.query.after || 0);
    const stream = new PassThrough();
    ctx.req.socket.setNoDelay(true);
    ctx.status = 200;
    ctx.type = 'text/event-stream; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache, no-transform');
    ctx.set('X-Accel-Buffering', 'no'); // Nginx: pass events through as they come
    ctx.body = stream;
    const client: Client = { stream, server, off: () => {} };
    stream.write('retry: 2000\n\n');
    for (const e of this.feed.since(Number.isFinite(lastId) ? lastId : 0)) this.#send(client, e);
    client.off = this.feed.subscribe((e) => this.#send(client, e));
    const drop = (): void => this.#drop(client);
    ctx.req.once('close', drop);
    ctx.res.once('close', drop);
    stream.once('close', drop);
    stream.on('error', drop);
    this.#clients.add(client);
    this.#startTimers();
  }

  /** Ends every stream and refuses new ones. */
  close(): void {
    this.#closed = true;
    for (const c of [...this.#clients]) this.#drop(c);
  }

  #send(client: Client, e: FeedEvent): void {
    if (client.stream.destroyed) return this.#drop(client);
    if (client.stream.writableLength > this.#opts.maxQueuedBytes) return this.#drop(client);
    client.stream.write(`id: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`);
  }

  #drop(client: Client): void {
    if (!this.#clients.delete(client)) return;
    client.off();
    client.stream.end();
    if (this.#clients.size === 0) this.#stopTimers();
  }

  #startTimers(): void {
    if (this.#timers.length > 0) return;
    const heartbeat = setInterval(() => {
      for (const c of this.#clients) if (!c.stream.destroyed) c.stream.write(': ping\n\n');
    }, this.#opts.heartbeatMs);
    const shutdownCheck = setInterval(() => {
      for (const c of [...this.#clients]) if (c.server?.listening === false) this.#drop(c);
    }, this.#opts.shutdownCheckMs);
    this.#timers = [heartbeat, shutdownCheck];
    for (const t of this.#timers) t.unref();
  }

  #stopTimers(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
  }
}
