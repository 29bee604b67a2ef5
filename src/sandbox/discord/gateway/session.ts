import { WebSocket } from 'ws';
import type { SandboxBot } from '../state/model.js';
import { covers, UNSHARDED, type ShardPair } from './shards.js';

/** A dispatched event kept for RESUME replay. */
export interface BufferedEvent {
  s: number;
  t: string;
  d: unknown;
}

/**
 * One gateway session (survives its socket so it can be resumed): sequence numbers,
 * intents, its shard, and a bounded replay buffer.
 *
 * @example
 * ```ts
 * const session = new GatewaySession('abc', bot, 513, 500, [0, 2]);
 * session.attach(ws);
 * session.dispatch('READY', { v: 10 });
 * ```
 */
export class GatewaySession {
  seq = 0;
  ws: WebSocket | null = null;
  readonly buffer: BufferedEvent[] = [];

  constructor(
    readonly id: string,
    readonly bot: SandboxBot,
    readonly intents: number,
    private readonly bufferSize: number,
    readonly shard: ShardPair = UNSHARDED,
  ) {}

  /** Whether this session receives the events of `guildId` (`null`: outside guilds, DMs). */
  handles(guildId: string | null): boolean {
    return covers(this.shard, guildId);
  }

  get connected(): boolean {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  attach(ws: WebSocket): void {
    this.ws = ws;
  }

  detach(ws: WebSocket): void {
    if (this.ws === ws) this.ws = null;
  }

  /** Sends (or, while disconnected, buffers) an op 0 dispatch with the next sequence number. */
  dispatch(t: string, d: unknown): void {
    this.seq += 1;
    const event: BufferedEvent = { s: this.seq, t, d };
    this.buffer.push(event);
    if (this.buffer.length > this.bufferSize) this.buffer.shift();
    this.write(event);
  }

  /** Whether events after `seq` can still be replayed. */
  canResumeFrom(seq: number): boolean {
    if (seq > this.seq) return false;
    const oldest = this.buffer[0];
    return oldest === undefined || seq >= oldest.s - 1;
  }

  /** Re-sends buffered events after `seq`; returns how many. */
  replayAfter(seq: number): number {
    let n = 0;
    for (const event of this.buffer) {
      if (event.s > seq) {
        this.write(event);
        n++;
      }
    }
    return n;
  }

  private write(event: BufferedEvent): void {
    if (this.connected)
      this.ws?.send(JSON.stringify({ op: 0, t: event.t, s: event.s, d: event.d }));
  }
}
