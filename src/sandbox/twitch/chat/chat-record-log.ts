import type { ChatRecord, DropReason } from './types.js';

/**
 * The bounded log of lines received from clients, plus exact drop counters that survive
 * the log's trimming.
 *
 * @example
 * ```ts
 * const log = new ChatRecordLog(10_000);
 * log.add({ at: 0, login: 'bot', channel: '#c', command: 'PRIVMSG', text: 'hi', dropped: 'rate_limit' });
 * log.droppedCount('bot'); // 1
 * ```
 */
export class ChatRecordLog {
  readonly #limit: number;
  #records: ChatRecord[] = [];
  readonly #dropped = new Map<string, Map<DropReason, number>>();

  constructor(limit: number) {
    this.#limit = Math.max(1, Math.floor(limit));
  }

  /** The newest records, at most `limit` of them, oldest first. */
  get records(): readonly ChatRecord[] {
    const r = this.#records;
    return r.length > this.#limit ? r.slice(r.length - this.#limit) : r;
  }

  /** Appends a record (trimming in chunks so appends stay O(1) amortised). */
  add(record: ChatRecord): void {
    this.#records.push(record);
    if (this.#records.length >= this.#limit * 2) {
      this.#records = this.#records.slice(this.#records.length - this.#limit);
    }
    if (record.dropped) {
      let byReason = this.#dropped.get(record.login);
      if (!byReason) this.#dropped.set(record.login, (byReason = new Map()));
      byReason.set(record.dropped, (byReason.get(record.dropped) ?? 0) + 1);
    }
  }

  /** PRIVMSG records from `login` (optionally in one channel), delivered or dropped. */
  messagesFrom(login: string, channel?: string): ChatRecord[] {
    return this.records.filter(
      (r) =>
        r.command === 'PRIVMSG' &&
        r.login === login &&
        (channel === undefined || r.channel === channel),
    );
  }

  /** Lines of `login` that were dropped, of one reason or all; exact even after trimming. */
  droppedCount(login: string, reason?: DropReason): number {
    const byReason = this.#dropped.get(login);
    if (!byReason) return 0;
    if (reason) return byReason.get(reason) ?? 0;
    let total = 0;
    for (const n of byReason.values()) total += n;
    return total;
  }
}
