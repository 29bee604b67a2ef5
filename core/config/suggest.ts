import { distance } from 'fastest-levenshtein';

/** Folds case and `_`/`-` so `Echo_Console` and `echo-console` compare equal. */
function fold(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}

/** How far a typo may be from the intended word, by the word's length. */
function tolerance(length: number): number {
  if (length <= 3) return 1;
  if (length <= 6) return 2;
  return 3;
}

/**
 * The candidate closest to `input` when it is close enough to be a likely typo, else
 * undefined. Comparison ignores case and treats `_` and `-` alike.
 *
 * @example
 * ```ts
 * suggest('go-lvie', ['go-live', 'eventsub']); // 'go-live'
 * suggest('weather', ['go-live', 'eventsub']); // undefined
 * ```
 */
export function suggest(input: string, candidates: Iterable<string>): string | undefined {
  const wanted = fold(input);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(wanted, fold(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= tolerance(wanted.length) ? best : undefined;
}

/**
 * A "did you mean" sentence for a fix, or a list of the valid choices when nothing is close.
 *
 * @example
 * ```ts
 * didYouMean('prefx', ['prefix', 'channels']); // 'did you mean "prefix"?'
 * didYouMean('zzz', ['prefix', 'channels']); // 'expected one of: prefix, channels'
 * ```
 */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const best = suggest(input, candidates);
  if (best !== undefined) return `did you mean "${best}"?`;
  return candidates.length > 0 ? `expected one of: ${candidates.join(', ')}` : '';
}
