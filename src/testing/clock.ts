/**
 * Which timer functions fake time replaces (vitest's `toFake` names).
 *
 * @example
 * ```ts
 * startTestBot({ cogs, fakeTime: { toFake: ['Date', 'setTimeout', 'clearTimeout'] } });
 * ```
 */
export type FakedTimer =
  | 'Date'
  | 'setInterval'
  | 'clearInterval'
  | 'setTimeout'
  | 'clearTimeout'
  | 'performance';

/**
 * Options of fake time: `true` fakes `Date` and `setInterval` (see {@link TestClock}).
 *
 * @example
 * ```ts
 * startTestBot({ cogs: ['routines'], fakeTime: true });
 * ```
 */
export type FakeTimeOption = boolean | { toFake: FakedTimer[] };

/**
 * Time as a test sees it. With `startTestBot({ fakeTime: true })`, `Date` and
 * `setInterval` are vitest fake timers that still flow with real time, and
 * {@link TestClock.advance} jumps ahead: cooldowns (they read `Date.now()`) expire and
 * `ctx.schedule.every` timers run. `setTimeout` stays real (network libraries rely on it),
 * so `ctx.schedule.at` runs on real time unless you fake it too
 * (`fakeTime: { toFake: ['Date', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] }`).
 *
 * @example
 * ```ts
 * const t = await startTestBot({ cogs: ['routines'], fakeTime: true });
 * await t.clock.advance(5 * 60_000); // a 5-minute routine runs once
 * expect(await t.nextBotMessage()).toBe('Remember to hydrate!');
 * ```
 */
export interface TestClock {
  /** Whether time is fake. */
  readonly fake: boolean;
  /** `Date.now()` as the bot sees it. */
  now(): number;
  /** Moves time forward by `ms`, running the intervals that fall due (each at most once per period). */
  advance(ms: number): Promise<void>;
  /** Sets the wall clock (`Date.now()`) without running timers, e.g. just before 08:30. */
  set(time: Date | number): void;
}

/**
 * A clock that can be put back to real time.
 *
 * @example
 * ```ts
 * const clock = await installClock(true);
 * clock.restore();
 * ```
 */
export interface InstalledClock extends TestClock {
  restore(): void;
}

const DEFAULT_FAKES: FakedTimer[] = ['Date', 'setInterval', 'clearInterval'];

/**
 * Installs vitest fake timers (before the bot starts, so every timer and clock the bot
 * creates is fake), or returns a real clock whose `advance` explains how to enable it.
 *
 * @example
 * ```ts
 * const clock = await installClock(true);
 * await clock.advance(30_000);
 * clock.restore();
 * ```
 */
export async function installClock(option: FakeTimeOption | undefined): Promise<InstalledClock> {
  if (!option) {
    const real = (): never => {
      throw new Error(
        'time is real in this test bot: start it with startTestBot({ ..., fakeTime: true }) to move it',
      );
    };
    return {
      fake: false,
      now: () => Date.now(),
      advance: async () => real(),
      set: real,
      restore() {},
    };
  }
  const { vi } = await import('vitest');
  const toFake = option === true ? DEFAULT_FAKES : option.toFake;
  vi.useFakeTimers({ toFake, shouldAdvanceTime: true });
  return {
    fake: true,
    now: () => Date.now(),
    async advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`advance needs a duration in ms >= 0, got ${ms}`);
      await vi.advanceTimersByTimeAsync(ms);
    },
    set: (time) => vi.setSystemTime(time),
    restore: () => vi.useRealTimers(),
  };
}
