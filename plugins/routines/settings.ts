import { z } from '../../core/index.js';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration: seconds as a number, or text like `90s`, `10m`, `1.5h`.
 *
 * @example
 * ```ts
 * durationMs('10m'); // 600000
 * durationMs(90); // 90000
 * ```
 */
export function durationMs(value: number | string): number {
  if (typeof value === 'number') return value * 1000;
  const m = /^(\d+(?:\.\d+)?)\s*([smh])$/.exec(value.trim());
  return m ? Number(m[1]) * (UNITS[m[2] as string] ?? NaN) : NaN;
}

/** Whether `tz` is an IANA time zone this Node knows. */
function knownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const duration = z
  .union([
    z.number().positive(),
    z.string().regex(/^\s*\d+(\.\d+)?\s*[smh]\s*$/, 'like 90s, 10m or 1h'),
  ])
  .transform(durationMs)
  .refine((ms) => ms >= 30_000, 'at least 30 seconds: chat is not a ticker')
  .describe('How often: seconds, or 90s, 10m, 1h');

const routine = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, - and _')
      .describe('Names the routine in logs'),
    message: z
      .union([z.string().min(1).max(500), z.array(z.string().min(1).max(500)).min(1)])
      .transform((m) => (typeof m === 'string' ? [m] : m))
      .describe('What the bot says; a list takes turns. {channel} is the channel name'),
    every: duration.optional(),
    at: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day like 08:30')
      .optional()
      .describe('Once a day at this time (HH:MM), instead of every'),
    timezone: z
      .string()
      .refine(knownTimeZone, 'an IANA time zone like Europe/Paris')
      .optional()
      .describe("Time zone of `at`; default the server's"),
    channels: z
      .array(z.string().transform((c) => c.replace(/^#/, '').toLowerCase()))
      .optional()
      .describe('Where to say it; default every channel of the bot'),
    min_chat_lines: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('Skip a turn unless viewers wrote at least this many lines since the last one'),
    only_when_live: z.boolean().default(false).describe('Skip a turn while the channel is offline'),
  })
  .refine((r) => (r.every === undefined) !== (r.at === undefined), {
    message: 'give either `every` (a period) or `at` (a time of day), not both',
  });

/**
 * Settings of the routines cog.
 *
 * @example
 * ```ts
 * settings.parse({ routines: [{ name: 'socials', every: '30m', message: 'Follow!' }] });
 * ```
 */
export const settings = z
  .object({
    routines: z.array(routine).default([]).describe('Messages the bot says on a schedule'),
  })
  .refine((s) => new Set(s.routines.map((r) => r.name)).size === s.routines.length, {
    message: 'two routines have the same name',
    path: ['routines'],
  });

/**
 * One routine after validation.
 *
 * @example
 * ```ts
 * const r: Routine = settings.parse({ routines: [{ name: 'a', at: '08:30', message: 'Hi' }] }).routines[0]!;
 * ```
 */
export type Routine = z.output<typeof routine>;
