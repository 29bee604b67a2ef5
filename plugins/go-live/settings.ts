import { parseWebhookUrl, z } from '../../core/index.js';

const LOGIN = /^[a-zA-Z0-9_]{1,25}$/;
const SNOWFLAKE = /^\d{5,25}$/;

const webhook = z
  .union([
    z.string().refine((s) => parseWebhookUrl(s) !== undefined, {
      message: 'not a Discord webhook URL (https://discord.com/api/webhooks/<id>/<token>)',
    }),
    z.object({ id: z.string().regex(SNOWFLAKE), token: z.string().min(10) }),
  ])
  .describe('The channel webhook: its URL, or { id, token }. Keep it in .env: ${LIVE_WEBHOOK}');

const regex = z.string().refine(
  (s) => {
    try {
      new RegExp(s, 'i');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

const color = z
  .union([z.number().int().min(0).max(0xffffff), z.string().regex(/^#?[0-9a-fA-F]{6}$/)])
  .transform((c) => (typeof c === 'number' ? c : parseInt(c.replace('#', ''), 16)));

/** What a target may override; also the cog-wide defaults. */
const postOptions = {
  message: z
    .string()
    .max(1800)
    .optional()
    .describe(
      'Message text; variables {streamer} {title} {game} {url} {viewers} {started} {mentions}',
    ),
  embed: z
    .object({
      title: z.string().max(256).optional().describe('Embed title template; default {title}'),
      description: z.string().max(2000).optional(),
      color: color.optional().describe('Embed colour, e.g. "#9146FF"'),
      thumbnail: z.boolean().optional().describe('Show the stream preview image'),
      fields: z.boolean().optional().describe('Show game and viewers'),
    })
    .optional(),
  roles: z
    .array(z.string().regex(SNOWFLAKE, 'a Discord role id (digits)'))
    .optional()
    .describe('Role ids to ping; only these are ever pinged'),
  everyone: z.boolean().optional().describe('Ping @everyone (never unless set)'),
  on_end: z
    .enum(['edit', 'delete', 'keep'])
    .optional()
    .describe('When the stream ends: edit the post (ended, duration, VOD), delete it, or keep it'),
  edit_on_change: z.boolean().optional().describe('Edit the post when title or game change'),
  games: z
    .array(z.string().min(1))
    .optional()
    .describe('Only post when the category is one of these (names or ids, any case)'),
  title_match: regex.optional().describe('Only post when the title matches (case-insensitive)'),
  ignore_reruns: z.boolean().optional().describe('Skip reruns and premieres (default true)'),
};

/**
 * One place a streamer's go-live is posted.
 *
 * @example
 * ```ts
 * targetSchema.parse({ webhook: 'https://discord.com/api/webhooks/1234567/abcdefghijkl', roles: ['123456789012345678'] });
 * ```
 */
export const targetSchema = z.object({
  webhook,
  channel_id: z
    .string()
    .regex(SNOWFLAKE)
    .optional()
    .describe("The webhook's channel: paces posts per channel and lets the bot tell it"),
  ...postOptions,
});

const streamerTargets = z.union([z.array(targetSchema).min(1), targetSchema]);

/**
 * The cog's settings in bots.yaml.
 *
 * @example
 * ```ts
 * const settings = settingsSchema.parse({ streamers: { ada: { webhook: url } } });
 * ```
 */
export const settingsSchema = z.object({
  ...postOptions,
  streamers: z
    .record(z.string().regex(LOGIN, 'a Twitch login: letters, digits and _'), streamerTargets)
    .default({})
    .describe('Twitch login -> where its go-live is posted (one target or a list)'),
  debounce_minutes: z
    .number()
    .min(0)
    .max(120)
    .default(10)
    .describe('Offline and online again within this is the same stream: no second post'),
  edit_interval_minutes: z
    .number()
    .min(0.1)
    .max(120)
    .default(5)
    .describe('At most one edit per post this often when title or game change'),
  catch_up: z
    .boolean()
    .default(true)
    .describe('At start, post for tracked streams that went live while the bot was down'),
  delivery: z
    .object({
      concurrency: z.number().int().min(1).max(500).default(64),
      lease_seconds: z.number().min(1).max(600).default(30),
      max_attempts: z.number().int().min(1).max(100).default(10),
      retry_base_seconds: z.number().min(0.01).max(600).default(2),
    })
    .default({ concurrency: 64, lease_seconds: 30, max_attempts: 10, retry_base_seconds: 2 }),
});

/**
 * Settings after defaults.
 *
 * @example
 * ```ts
 * const minutes: GoLiveSettings['debounce_minutes'] = 10;
 * ```
 */
export type GoLiveSettings = z.output<typeof settingsSchema>;
/**
 * One configured target after defaults.
 *
 * @example
 * ```ts
 * const t: TargetSettings = targetSchema.parse({ webhook: url });
 * ```
 */
export type TargetSettings = z.output<typeof targetSchema>;
/**
 * Options a target may override (and the cog-wide defaults).
 *
 * @example
 * ```ts
 * const options: PostOptions = { roles: ['123456789012345678'], on_end: 'delete' };
 * ```
 */
export type PostOptions = Pick<
  TargetSettings,
  | 'message'
  | 'embed'
  | 'roles'
  | 'everyone'
  | 'on_end'
  | 'edit_on_change'
  | 'games'
  | 'title_match'
  | 'ignore_reruns'
>;
