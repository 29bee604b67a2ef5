import { z } from '../../core/index.js';

const LOGIN = /^[a-zA-Z0-9_]{2,25}$/;
const role = z
  .string()
  .min(1)
  .describe('A Discord role: its exact name, or its id (right-click > Copy Role ID)');

/**
 * Settings of the sub-roles cog in bots.yaml.
 *
 * @example
 * ```yaml
 * alice:
 *   channels: [alice]
 *   discord: { guilds: ['123456789012345678'] }
 *   cogs:
 *   - sub-roles:
 *       roles: { '1000': Tier 1, '2000': Tier 2, '3000': Tier 3 }
 *       any_sub_role: Subscriber
 *       gifted_role: Gifted
 *       grace_days: 3
 * ```
 */
export const subRolesSettings = z
  .object({
    guild: z
      .string()
      .regex(/^\d{15,21}$/, 'a Discord guild id (digits)')
      .optional()
      .describe(
        "The Discord guild whose roles follow subscriptions (default: the bot's first guild)",
      ),
    broadcaster: z
      .string()
      .regex(LOGIN, 'a Twitch login: letters, digits and _')
      .optional()
      .describe(
        "The Twitch channel whose subscribers get roles (default: the bot's first channel)",
      ),
    roles: z
      .object({ '1000': role.optional(), '2000': role.optional(), '3000': role.optional() })
      .strict()
      .default({ '1000': 'Tier 1', '2000': 'Tier 2', '3000': 'Tier 3' })
      .describe('The role of each tier (1000 = Tier 1 and Prime, 2000 = Tier 2, 3000 = Tier 3)'),
    any_sub_role: role.optional().describe('A role every subscriber gets, whatever the tier'),
    gifted_role: role.optional().describe('A role subscribers whose subscription is a gift get'),
    reconcile_minutes: z
      .number()
      .int()
      .min(5)
      .max(1440)
      .default(60)
      .describe("How often the whole subscriber list is compared with the members' roles"),
    grace_days: z
      .number()
      .min(0)
      .max(60)
      .default(3)
      .describe('How long roles stay after a subscription ends (a DM warns the member)'),
    monthly_relink: z
      .boolean()
      .default(true)
      .describe(
        'At each month start, members whose tier changed or whose Twitch token lapsed must /link again (DM sent)',
      ),
    remind_unlinked: z
      .boolean()
      .default(true)
      .describe('DM members who join without a linked Twitch account (and again a week later)'),
    remind_again_days: z
      .number()
      .int()
      .min(1)
      .max(60)
      .default(7)
      .describe('When the second reminder goes out'),
    helix_points_per_minute: z
      .number()
      .int()
      .min(10)
      .max(100_000)
      .default(800)
      .describe("The Twitch app's Helix rate limit (800 unless Twitch raised it)"),
  })
  .refine((s) => Object.values(s.roles).some(Boolean) || s.any_sub_role, {
    message: 'give at least one role: a tier role under roles, or any_sub_role',
    path: ['roles'],
  });

/**
 * Parsed settings.
 *
 * @example
 * ```ts
 * const s: SubRolesSettings = subRolesSettings.parse({ any_sub_role: 'Subscriber' });
 * ```
 */
export type SubRolesSettings = z.output<typeof subRolesSettings>;
