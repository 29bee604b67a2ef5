/**
 * The day (`YYYY-MM-DD`) and time of day (`HH:MM`) of `when` in a time zone.
 *
 * @example
 * ```ts
 * clockIn(new Date('2025-05-05T06:30:00Z'), 'Europe/Paris'); // { day: '2025-05-05', time: '08:30' }
 * ```
 */
export function clockIn(when: Date, timeZone: string | undefined): { day: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(when);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    day: `${get('year')}-${get('month')}-${get('day')}`,
    time: `${get('hour')}:${get('minute')}`,
  };
}
