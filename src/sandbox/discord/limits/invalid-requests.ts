/**
 * Counts invalid requests (401, 403, and 429 other than `shared` scope) over a sliding
 * window, like the counter behind Discord's temporary Cloudflare bans. One-second
 * resolution, bounded memory.
 *
 * @example
 * ```ts
 * const invalid = new InvalidRequestCounter(600_000, () => Date.now());
 * invalid.record(403, null);
 * invalid.count(); // 1
 * ```
 */
export class InvalidRequestCounter {
  readonly #slots: number[];
  readonly #slotSeconds: number[];

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {
    const size = Math.max(1, Math.ceil(windowMs / 1000));
    this.#slots = new Array<number>(size).fill(0);
    this.#slotSeconds = new Array<number>(size).fill(-1);
  }

  /** Whether a response with this status (and 429 scope) counts as invalid. */
  static isInvalid(status: number, scope: string | null): boolean {
    return status === 401 || status === 403 || (status === 429 && scope !== 'shared');
  }

  /** Records a response; only invalid ones are counted. */
  record(status: number, scope: string | null): void {
    if (!InvalidRequestCounter.isInvalid(status, scope)) return;
    const second = Math.floor(this.now() / 1000);
    const i = second % this.#slots.length;
    if (this.#slotSeconds[i] !== second) {
      this.#slotSeconds[i] = second;
      this.#slots[i] = 0;
    }
    this.#slots[i] = (this.#slots[i] ?? 0) + 1;
  }

  /** Invalid requests within the window ending now. */
  count(): number {
    const oldest = Math.floor((this.now() - this.windowMs) / 1000);
    let total = 0;
    this.#slots.forEach((n, i) => {
      if ((this.#slotSeconds[i] ?? -1) > oldest) total += n;
    });
    return total;
  }
}
