import { z } from 'zod';

/**
 * A Twitch login: letters, digits and `_`, up to 25; lower-cased, `#`/`@` stripped.
 *
 * @example
 * ```ts
 * login.parse('#Streamer'); // 'streamer'
 * ```
 */
export const login = z
  .string()
  .trim()
  .transform((s) => s.replace(/^[#@]/, '').toLowerCase())
  .pipe(
    z
      .string()
      .regex(/^[a-z0-9_]{1,25}$/, 'a Twitch login: 1-25 letters, digits or _ (like viewer_1)'),
  );

const tier = z.enum(['1000', '2000', '3000']).default('1000');
const count = (max: number) => z.number().int().min(0).max(max);

/**
 * Body of each action endpoint, by its path under `/sandbox/api/`.
 *
 * @example
 * ```ts
 * actionSchemas.raid.parse({ channel: 'amy', from: 'bob', viewers: 5 });
 * ```
 */
export const actionSchemas = {
  chat: z.object({
    channel: login,
    viewer: login,
    text: z
      .string()
      .trim()
      .min(1, 'type something to say')
      .max(500, 'chat lines are 500 characters at most'),
    badges: z
      .object({
        broadcaster: z.boolean().optional(),
        moderator: z.boolean().optional(),
        vip: z.boolean().optional(),
        /** Months subscribed; 0 or absent = not a subscriber. */
        subscriber: count(240).optional(),
      })
      .default({}),
  }),
  live: z.object({
    channel: login,
    title: z.string().max(140).optional(),
    game: z.string().max(100).optional(),
    viewers: count(10_000_000).optional(),
  }),
  offline: z.object({ channel: login }),
  subscribe: z.object({
    channel: login,
    user: login,
    tier,
    message: z.string().max(500).optional(),
  }),
  gift: z.object({
    channel: login,
    /** Absent = an anonymous gift. */
    gifter: login.optional(),
    recipient: login,
    tier,
  }),
  cheer: z.object({
    channel: login,
    /** Absent = an anonymous cheer. */
    user: login.optional(),
    bits: z.number().int().min(1).max(1_000_000),
    message: z.string().max(500).optional(),
  }),
  raid: z.object({ channel: login, from: login, viewers: count(1_000_000) }),
  follow: z.object({ channel: login, user: login }),
  redeem: z.object({
    channel: login,
    user: login,
    reward: z.string().trim().min(1, 'name the reward').max(45),
    cost: z.number().int().min(1).max(10_000_000),
    input: z.string().max(500).optional(),
  }),
} as const;

/**
 * The action names (`POST /sandbox/api/<name>`).
 *
 * @example
 * ```ts
 * const name: ActionName = 'live';
 * ```
 */
export type ActionName = keyof typeof actionSchemas;

/**
 * The parsed body of an action.
 *
 * @example
 * ```ts
 * const raid: ActionInput<'raid'> = { channel: 'amy', from: 'bob', viewers: 5 };
 * ```
 */
export type ActionInput<K extends ActionName> = z.output<(typeof actionSchemas)[K]>;

/**
 * Parses an action body; on failure, one readable sentence per problem.
 *
 * @example
 * ```ts
 * const r = parseAction('raid', { channel: 'amy', from: 'bob', viewers: -1 });
 * r.ok; // false
 * r.ok || r.message; // 'viewers: Too small: expected number to be >=0'
 * ```
 */
export function parseAction<K extends ActionName>(
  name: K,
  body: unknown,
): { ok: true; value: ActionInput<K> } | { ok: false; message: string } {
  const result = actionSchemas[name].safeParse(body ?? {});
  if (result.success) return { ok: true, value: result.data as ActionInput<K> };
  const message = result.error.issues
    .map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`)
    .join('; ');
  return { ok: false, message };
}
