import {
  definePlugin,
  StreamcogsError,
  type Disposer,
  type PluginContext,
} from '../../core/index.js';
import { SubRolesCog, type ReconcileSummary } from './cog.js';
import { registerCommands } from './commands.js';
import { listenToSubEvents } from './events.js';
import { startQueues } from './jobs.js';
import {
  expireDue,
  monthlyRelink,
  onMemberJoin,
  onMemberLeave,
  onMemberRoles,
  remindAgain,
} from './lifecycle.js';
import { authorizationHandler } from './linking.js';
import { reconcile } from './reconcile.js';
import type { BucketState } from './role-bucket.js';
import { subRolesSettings, type SubRolesSettings } from './settings.js';

export type { Link, RoleIds, SubState, Tier } from './model.js';
export type { SubRolesSettings } from './settings.js';

/** Waits (without blocking setup) until the guild is known, then remembers its role ids. */
async function whenGuildReady(cog: SubRolesCog, signal: AbortSignal): Promise<boolean> {
  while (!signal.aborted) {
    const ids = cog.roleIds();
    if (ids) {
      await cog.rememberRoles(ids);
      for (const p of cog.roles.problems()) cog.report(p);
      return true;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function requirePlatform(ctx: PluginContext, s: SubRolesSettings): void {
  if (!ctx.discord)
    throw new StreamcogsError(
      'SC_NOT_AVAILABLE',
      `sub-roles needs Discord, and bot "${ctx.bot.name}" has none`,
      {
        fix: `add a discord: block with the guild to ${ctx.bot.name} in bots.yaml`,
      },
    );
  if (!ctx.twitch.accounts)
    throw new StreamcogsError(
      'SC_NOT_AVAILABLE',
      'sub-roles needs the Twitch account links of streamcogs start',
    );
  const guild = s.guild ?? ctx.discord.guilds[0];
  if (!guild || !ctx.discord.guilds.includes(guild))
    throw new StreamcogsError(
      'SC_NOT_AVAILABLE',
      `sub-roles: guild ${guild ?? '(none)'} is not one of the bot's guilds`,
      {
        fix: `list it under ${ctx.bot.name}.discord.guilds, or fix sub-roles.guild`,
      },
    );
  if (!s.broadcaster && ctx.bot.channels.length === 0)
    throw new StreamcogsError('SC_NOT_AVAILABLE', 'sub-roles needs a broadcaster', {
      fix: 'set sub-roles.broadcaster, or give the bot a channel',
    });
}

/**
 * NeiBot's job, made robust and explainable: members link their Twitch account once
 * (`/link`), get the role of their tier, and lose it when the subscription ends (after a
 * grace period, warned by DM). EventSub updates roles at once; an hourly reconciliation of
 * the whole subscriber list keeps them true; every role change goes through a durable,
 * rate-limited queue.
 *
 * @example
 * ```yaml
 * alice:
 *   channels: [alice]
 *   discord: { guilds: ['123456789012345678'] }
 *   cogs:
 *   - sub-roles: { roles: { '1000': Tier 1, '2000': Tier 2, '3000': Tier 3 }, gifted_role: Gifted }
 * ```
 */
export default definePlugin({
  name: 'sub-roles',
  description:
    'Twitch subscriptions become Discord roles (by tier, gifted, any sub) and stay true: /link, EventSub, hourly reconciliation, grace period, DM reminders',
  settings: subRolesSettings,
  needs: { discordIntents: ['GuildMembers'], discordPermissions: ['ManageRoles'] },
  async setup(ctx, settings) {
    requirePlatform(ctx, settings);
    const cog = new SubRolesCog(ctx, settings, ctx.discord!, ctx.twitch.accounts!);
    // Discord's role bucket as the last process left it (saved after the queues stopped).
    cog.roles.restore(await ctx.storage.get<Record<'roles' | 'member', BucketState>>('buckets'));
    ctx.onDispose(() => ctx.storage.set('buckets', cog.roles.snapshot()));
    ctx.onDispose(cog.roles.watchRateLimits()); // until the queues below have stopped
    cog.queues = await startQueues(cog);
    ctx.discord!.manageRoles(cog.guildId, cog.roles.refList());

    let running: Promise<ReconcileSummary | undefined> | undefined;
    const reconcileNow = (reason: string): Promise<ReconcileSummary | undefined> =>
      (running ??= whenGuildReady(cog, ctx.signal)
        .then((ready) => (ready ? reconcile(cog, reason, ctx.signal) : undefined))
        .finally(() => (running = undefined)));

    let events: Disposer | undefined;
    const startEvents = async (): Promise<void> => {
      const id = (await cog.meta()).broadcaster?.id;
      if (!id || events) return;
      try {
        events = listenToSubEvents(cog, id);
      } catch (err) {
        cog.fault(
          `no EventSub (${err instanceof Error ? err.message : String(err)}): roles follow subscriptions at each reconciliation only`,
          { standing: true },
        );
      }
    };

    registerCommands(cog, () => reconcileNow('asked by the owner'));
    ctx.twitch.accounts!.onAuthorized(
      authorizationHandler(cog, () => {
        void ctx.guard('broadcaster linked', async () => {
          await startEvents();
          await reconcileNow('broadcaster linked');
        })();
      }),
    );
    ctx.discord!.on('guildMemberAdd', (m) => onMemberJoin(cog, m));
    ctx.discord!.on('guildMemberRemove', (m) => onMemberLeave(cog, m));
    ctx.discord!.on('guildMemberUpdate', (_old, m) => onMemberRoles(cog, m));
    ctx.discord!.on('guildMemberAvailable', (m) => onMemberRoles(cog, m));

    // `once`: with several instances on Redis, one of them runs each (DMs, role changes).
    ctx.schedule.every(settings.reconcile_minutes * 60_000, () => reconcileNow('scheduled'), {
      once: 'reconcile',
    });
    ctx.schedule.every(
      30_000,
      async () => {
        await expireDue(cog, Date.now());
        await remindAgain(cog, Date.now());
      },
      { once: 'expire' },
    );
    if (settings.monthly_relink)
      ctx.schedule.every(600_000, () => monthlyRelink(cog, Date.now()), { once: 'relink' });
    ctx.schedule.at(0, async () => {
      await startEvents();
      if (await reconcileNow('startup')) return; // it noted the grace deadlines on the way
      for await (const batch of cog.links.shards())
        for (const l of batch) cog.noteDeadline(l.discordId, l);
    });
  },
});
