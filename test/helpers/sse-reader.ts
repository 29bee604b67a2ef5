import http from 'node:http';
import { expect } from 'vitest';
import type { FeedEvent } from '../../src/sandbox/console/index.js';
import { waitUntil } from '../../src/testing/index.js';

/**
 * Reads the sandbox console's `text/event-stream` (`/sandbox/events`, which replays what
 * happened before it opened) into parsed feed records. Uses node:http, not fetch: an aborted
 * fetch leaves undici's spare connection open on the server, holding its graceful stop.
 *
 * @example
 * ```ts
 * const feed = await SseReader.open(`${url}/sandbox/events`);
 * await feed.next('chat', (e) => e.bot && e.text === 'pong');
 * feed.close();
 * ```
 */
export class SseReader {
  readonly events: FeedEvent[] = [];
  readonly ended: Promise<void>;
  readonly #req: http.ClientRequest;

  private constructor(req: http.ClientRequest, res: http.IncomingMessage) {
    this.#req = req;
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const data = buffer
          .slice(0, end)
          .split('\n')
          .find((l) => l.startsWith('data: '));
        buffer = buffer.slice(end + 2);
        if (data) this.events.push(JSON.parse(data.slice(6)) as FeedEvent);
      }
    });
    this.ended = new Promise((resolve) => res.once('close', () => resolve()));
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
    return new Promise((resolve, reject) => {
      const req = http.get(url, { headers }, (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
        resolve(new SseReader(req, res));
      });
      req.once('error', reject);
    });
  }

  /** Waits (up to `timeoutMs`) for a record matching `match`; returns it. */
  next<K extends FeedEvent['kind']>(
    kind: K,
    match: (e: Extract<FeedEvent, { kind: K }>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Extract<FeedEvent, { kind: K }>> {
    return waitUntil(
      () =>
        this.events.find(
          (e): e is Extract<FeedEvent, { kind: K }> =>
            e.kind === kind && match(e as Extract<FeedEvent, { kind: K }>),
        ),
      `a ${kind} record on the console feed (saw ${JSON.stringify(this.events)})`,
      timeoutMs,
    );
  }

  close(): void {
    this.#req.destroy();
  }
}
