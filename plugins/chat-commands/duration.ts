const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Reads a duration: a number of minutes (`15`, `0.5`) or text like `90s`, `15m`, `1h`,
 * `1h30m`. Returns milliseconds, or undefined when it cannot be read.
 *
 * @example
 * ```ts
 * parseDuration('1h30m'); // 5_400_000
 * parseDuration(15); // 900_000
 * parseDuration('soon'); // undefined
 * ```
 */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return value > 0 ? value * 60_000 : undefined;
  const text = value.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(text)) return parseDuration(Number(text));
  if (!/^(\d+(\.\d+)?\s*[hms]\s*)+$/.test(text)) return undefined;
  let ms = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*([hms])/g))
    ms += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  return ms > 0 ? ms : undefined;
}

/**
 * A stream's uptime the way chat bots print it: `2h 5m`, `12m 3s`, `40s`.
 *
 * @example
 * ```ts
 * formatUptime(7_500_000); // '2h 5m'
 * ```
 */
export function formatUptime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}
