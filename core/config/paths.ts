/** One step into a YAML value: a map key or a list index. */
export type PathSegment = string | number;

/** A location inside bots.yaml as a list of steps, e.g. `['alice', 'cogs', 1, 'go-live']`. */
export type Path = readonly PathSegment[];

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/**
 * Renders a path the way issues show it: dotted keys, `[n]` for list indexes, and
 * `["odd key"]` for keys that are not plain names.
 *
 * @example
 * ```ts
 * formatPath(['alice', 'cogs', 1, 'go-live', 'channels']); // 'alice.cogs[1].go-live.channels'
 * formatPath(['alice', 'cogs', 0, 'my cog']); // 'alice.cogs[0]["my cog"]'
 * ```
 */
export function formatPath(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (!BARE_KEY.test(segment)) out += `[${JSON.stringify(segment)}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/**
 * A string usable as a Map key for a path (unambiguous, unlike {@link formatPath}).
 *
 * @example
 * ```ts
 * pathKey(['alice', 'cogs', 0]); // '["alice","cogs",0]'
 * ```
 */
export function pathKey(path: Path): string {
  return JSON.stringify(path);
}
