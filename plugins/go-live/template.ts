/**
 * The variables a go-live message may use.
 *
 * @example
 * ```ts
 * fill('{streamer} is live', { streamer: 'Ada' } as TemplateVars);
 * ```
 */
export interface TemplateVars {
  streamer: string;
  login: string;
  title: string;
  game: string;
  url: string;
  viewers: string;
  /** Discord timestamp markup (`<t:...:R>`): "5 minutes ago" in each reader's language. */
  started: string;
  /** Role and @everyone mentions of the target, followed by a space (or nothing). */
  mentions: string;
  /** After the end: how long it lasted (`2h 13m`). */
  duration?: string;
  /** After the end: the VOD's URL, when Twitch has one. */
  vod?: string;
}

/**
 * Fills `{name}` placeholders; unknown names stay as written.
 *
 * @example
 * ```ts
 * fill('{streamer} is live: {title}', { streamer: 'Ada', title: 'Speedruns' } as TemplateVars);
 * // 'Ada is live: Speedruns'
 * ```
 */
export function fill(template: string, vars: TemplateVars): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = (vars as unknown as Record<string, string | undefined>)[name];
    return value === undefined ? whole : value;
  });
}

/**
 * `2h 13m`, `45m`, `30s`.
 *
 * @example
 * ```ts
 * formatDuration(7_980_000); // '2h 13m'
 * ```
 */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m`;
  return `${s}s`;
}
