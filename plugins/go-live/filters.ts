import type { PostOptions } from './settings.js';

/**
 * What the filters look at.
 *
 * @example
 * ```ts
 * skipReason(options, { title: 'Hi', game: 'Art', gameId: '1', type: 'live' } satisfies FilterInput);
 * ```
 */
export interface FilterInput {
  title: string;
  game: string;
  gameId: string;
  /** EventSub `stream.online` `type`: `live`, `rerun`, `premiere`, ... */
  type: string;
}

/**
 * Why a target skips this stream, or undefined when it posts: a rerun (unless
 * `ignore_reruns: false`), a category not in `games` (names or ids, any case), a title
 * not matching `title_match`.
 *
 * @example
 * ```ts
 * skipReason({ games: ['Chess'] }, { title: 'x', game: 'Art', gameId: '1', type: 'live' });
 * // 'category "Art" is not one of: Chess'
 * ```
 */
export function skipReason(options: PostOptions, stream: FilterInput): string | undefined {
  if (stream.type !== 'live' && options.ignore_reruns !== false)
    return `a ${stream.type} (set ignore_reruns: false to post those)`;
  if (options.games && options.games.length > 0) {
    const wanted = options.games.map((g) => g.toLowerCase());
    if (!wanted.includes(stream.game.toLowerCase()) && !wanted.includes(stream.gameId))
      return `category "${stream.game}" is not one of: ${options.games.join(', ')}`;
  }
  if (options.title_match && !new RegExp(options.title_match, 'i').test(stream.title))
    return `title does not match /${options.title_match}/i`;
  return undefined;
}
