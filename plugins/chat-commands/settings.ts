import { z } from '../../core/index.js';
import { parseDuration } from './duration.js';
import { parseTemplate } from './template.js';
import type { TemplateUse } from './variables.js';

/**
 * Permission levels, lowest first.
 *
 * @example
 * ```ts
 * LEVELS.indexOf('vip') > LEVELS.indexOf('subscriber'); // true
 * ```
 */
export const LEVELS = ['everyone', 'subscriber', 'vip', 'moderator', 'broadcaster'] as const;

const level = z.enum(LEVELS);
const LOGIN = /^#?[A-Za-z0-9_]{1,25}$/;
const login = z
  .string()
  .regex(LOGIN, 'a Twitch login: letters, digits and _')
  .transform((s) => s.replace(/^#/, '').toLowerCase());
/**
 * A command name as typed after the prefix: one word, no braces.
 *
 * @example
 * ```ts
 * COMMAND_NAME.test('discord'); // true
 * ```
 */
export const COMMAND_NAME = /^[^\s{}]{1,64}$/;
const name = z.string().regex(COMMAND_NAME, 'one word without spaces or braces, at most 64 long');

/**
 * Whether `name` can name a command: one word, and not a name plain objects already have
 * (`constructor`, `__proto__`), since commands are kept in maps keyed by name.
 *
 * @example
 * ```ts
 * isCommandName('discord'); // true
 * isCommandName('__proto__'); // false
 * ```
 */
export function isCommandName(name: string): boolean {
  return COMMAND_NAME.test(name) && !(name in Object.prototype);
}

const cooldown = z
  .union([
    z.number().min(0),
    z.object({ user: z.number().min(0).optional(), global: z.number().min(0).optional() }).strict(),
  ])
  .transform((c) =>
    typeof c === 'number' ? { global: c, user: 0 } : { global: c.global ?? 0, user: c.user ?? 0 },
  )
  .describe('Seconds: a number (for everyone), or { global, user }');

const commandObject = z
  .object({
    response: z.string().describe('What the bot answers; may use variables like {user}'),
    aliases: z.array(name).default([]).describe('Other names for it'),
    description: z.string().optional(),
    permission: level.default('everyone').describe('Lowest level that may use it'),
    cooldown: cooldown.optional(),
    cooldown_bypass: z
      .boolean()
      .default(true)
      .describe('Broadcaster and moderators ignore the cooldowns (default true)'),
    allow: z.array(login).default([]).describe('Logins that may always use it'),
    deny: z.array(login).default([]).describe('Logins that may never use it'),
    reply: z.boolean().default(false).describe('Answer as a threaded reply instead of a message'),
    channels: z.array(login).optional().describe('Only in these channels (default: all)'),
  })
  .strict();

const timer = z
  .object({
    name: z.string().optional().describe('For logs'),
    every: z
      .union([z.number().positive(), z.string()])
      .default(15)
      .describe('Minutes between posts, or a duration like "90s", "15m", "1h"'),
    min_chat_lines: z
      .number()
      .int()
      .min(0)
      .default(5)
      .describe('Chat lines needed since its last post before it posts again'),
    messages: z.array(z.string()).min(1).describe('Posted in turn'),
    channels: z.array(login).optional().describe('Only in these channels (default: all)'),
    only_when_live: z.boolean().default(true).describe('Post only while the channel is live'),
  })
  .strict();

/**
 * The settings of the chat-commands cog in bots.yaml. Every response and timer message is
 * checked when the file loads: an unknown variable is an error naming it.
 *
 * @example
 * ```yaml
 * - chat-commands:
 *     commands:
 *       discord: "Join us at https://discord.gg/xyz"
 *       hug: { response: "{displayName} hugs {touser}", cooldown: { user: 30 } }
 *     timers:
 *       - { every: 15m, min_chat_lines: 5, messages: ["Follow!", "Join the Discord: !discord"] }
 * ```
 */
export const chatCommandsSettings = z
  .object({
    commands: z
      .record(z.string(), z.union([z.string(), commandObject]))
      .default({})
      .describe('Text commands by name (without the prefix): a response, or a map of options'),
    timers: z.array(timer).default([]).describe('Messages posted every so often while live'),
    manage: z
      .object({
        enabled: z.boolean().default(true),
        command: name.default('cmd'),
        permission: level.default('moderator'),
      })
      .strict()
      .default({ enabled: true, command: 'cmd', permission: 'moderator' })
      .describe('Chat command to add, edit and delete text commands: !cmd add|edit|del|alias'),
    list: z
      .object({ enabled: z.boolean().default(true), command: name.default('commands') })
      .strict()
      .default({ enabled: true, command: 'commands' })
      .describe('Chat command listing the commands the asker may use'),
    default_cooldown: cooldown
      .default({ global: 5, user: 0 })
      .describe('Cooldown of text commands that set none (default 5 s for everyone)'),
    helix_cache_seconds: z
      .number()
      .min(0)
      .max(60)
      .default(60)
      .describe('How long {uptime}, {game}, {title} and live checks are cached (at most 60)'),
  })
  .strict()
  .superRefine((s, issue) => {
    const check = (source: string, use: TemplateUse, path: (string | number)[]) => {
      for (const p of parseTemplate(source, use).problems)
        issue.addIssue({ code: 'custom', path, message: p.message, params: { fix: p.fix } });
    };
    const owner = new Map<string, string>();
    const claim = (n: string, by: string, path: (string | number)[]) => {
      const key = n.toLowerCase();
      const taken = owner.get(key);
      if (taken)
        issue.addIssue({
          code: 'custom',
          path,
          message: `command name "${key}" is used twice (${taken} and ${by})`,
          params: { fix: 'rename one of them' },
        });
      else owner.set(key, by);
    };
    if (s.manage.enabled) claim(s.manage.command, 'manage.command', ['manage', 'command']);
    if (s.list.enabled) claim(s.list.command, 'list.command', ['list', 'command']);
    for (const [key, value] of Object.entries(s.commands)) {
      if (!isCommandName(key)) {
        issue.addIssue({
          code: 'custom',
          path: ['commands', key],
          message: `command name "${key}" must be one word without spaces or braces`,
          params: { fix: 'write the name without the prefix, e.g. discord' },
        });
        continue;
      }
      claim(key, `command "${key}"`, ['commands', key]);
      if (typeof value === 'string') {
        check(value, 'command', ['commands', key]);
        continue;
      }
      check(value.response, 'command', ['commands', key, 'response']);
      value.aliases.forEach((a, i) =>
        claim(a, `an alias of "${key}"`, ['commands', key, 'aliases', i]),
      );
    }
    s.timers.forEach((t, i) => {
      if (parseDuration(t.every) === undefined)
        issue.addIssue({
          code: 'custom',
          path: ['timers', i, 'every'],
          message: `cannot read the duration "${t.every}"`,
          params: { fix: 'write minutes (15) or a duration like "90s", "15m", "1h30m"' },
        });
      t.messages.forEach((m, j) => check(m, 'timer', ['timers', i, 'messages', j]));
    });
  });

/** The settings as the cog receives them (defaults applied). */
export type ChatCommandsSettings = z.output<typeof chatCommandsSettings>;
/** One text command as written in bots.yaml, in its long form. */
export type CommandSettings = z.output<typeof commandObject>;
/** One timer as written in bots.yaml. */
export type TimerSettings = z.output<typeof timer>;
