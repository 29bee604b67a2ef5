/**
 * Discord's epoch (2015-01-01T00:00:00Z) in ms.
 *
 * @example
 * ```ts
 * const ms = Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
 * ```
 */
export const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * Generates real-format Discord snowflakes (17-19 digits), so client libraries that
 * match ids with `\d{17,19}` (discord.js rate-limit routing) treat them as ids.
 *
 * @example
 * ```ts
 * const ids = new SnowflakeFactory(() => Date.now());
 * const id = ids.next(); // '1300000000000000000'-ish
 * ```
 */
export class SnowflakeFactory {
  #lastMs = 0n;
  #increment = 0n;

  constructor(private readonly now: () => number) {}

  /** The next unique id, increasing. */
  next(): string {
    let ms = BigInt(Math.floor(this.now()));
    if (ms <= this.#lastMs) {
      ms = this.#lastMs;
      this.#increment += 1n;
      if (this.#increment > 4095n) {
        // More than 4096 ids in one ms: borrow the next millisecond.
        ms += 1n;
        this.#increment = 0n;
      }
    } else {
      this.#increment = 0n;
    }
    this.#lastMs = ms;
    return (((ms - DISCORD_EPOCH) << 22n) | (1n << 17n) | this.#increment).toString();
  }
}

/**
 * The creation time (ms since 1970) encoded in a snowflake.
 *
 * @example
 * ```ts
 * new Date(snowflakeTime('175928847299117063')); // 2016-04-30T11:18:25.796Z
 * ```
 */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}
