/** A problem found while expanding `${VAR}` references in one string. */
export interface InterpolationProblem {
  kind: 'missing' | 'malformed';
  /** The variable name (for `missing`). */
  name?: string;
  /** Index of the `$` in the original text. */
  index: number;
  /** The reference as written, e.g. `${TOKEN}`. */
  text: string;
}

/** The expanded string and what happened on the way. */
export interface Interpolation {
  value: string;
  /** True when the text contained at least one `${...}` reference. */
  interpolated: boolean;
  /** Variables whose values were substituted from the environment (not defaults). */
  used: string[];
  problems: InterpolationProblem[];
}

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

/**
 * Expands `${VAR}` and `${VAR:-default}` in `text` from `env`.
 *
 * - `${VAR}`: the variable's value; an unset variable is a `missing` problem (set but
 *   empty is fine and gives `''`).
 * - `${VAR:-default}`: the default when the variable is unset or empty.
 * - `$${` writes a literal `${` (so `$${HOME}` stays `${HOME}`); any other `$` is kept as is.
 * - An unclosed or invalid reference (`${}`, `${1X}`, `${A B}`) is a `malformed` problem.
 *
 * The result is always a string: `port: ${PORT}` yields `"8080"`, not `8080`.
 *
 * @example
 * ```ts
 * interpolate('https://${HOST:-localhost}/hook', { HOST: 'example.com' }).value;
 * // 'https://example.com/hook'
 * interpolate('$${KEEP}', {}).value; // '${KEEP}'
 * interpolate('${NOPE}', {}).problems; // [{ kind: 'missing', name: 'NOPE', index: 0, text: '${NOPE}' }]
 * ```
 */
export function interpolate(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): Interpolation {
  const result: Interpolation = { value: '', interpolated: false, used: [], problems: [] };
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      result.value += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      result.value += text[i];
      i += 1;
      continue;
    }
    result.interpolated = true;
    const close = text.indexOf('}', i + 2);
    if (close === -1) {
      result.problems.push({ kind: 'malformed', index: i, text: text.slice(i) });
      result.value += text.slice(i);
      break;
    }
    const written = text.slice(i, close + 1);
    const match = REFERENCE.exec(text.slice(i + 2, close));
    i = close + 1;
    if (!match) {
      result.problems.push({ kind: 'malformed', index: i - written.length, text: written });
      continue;
    }
    const [, name = '', fallback] = match;
    const value = env[name];
    if (fallback !== undefined && (value === undefined || value === '')) {
      result.value += fallback;
    } else if (value === undefined) {
      result.problems.push({ kind: 'missing', name, index: i - written.length, text: written });
    } else {
      result.value += value;
      result.used.push(name);
    }
  }
  return result;
}
