import type {
  APIActionRowComponent,
  APIButtonComponent,
  ButtonInteraction,
  ChatInputCommandInteraction,
  Interaction,
} from 'discord.js';
import type { ReconcileSummary, SubRolesCog } from './cog.js';
import { buttonId } from './dm.js';
import { broadcasterLinkUrl, memberLinkUrl } from './linking.js';
import { nextVersion } from './model.js';
import { statusText } from './status.js';

const EPHEMERAL = 64 as const;
/** Administrator: the `/subroles` command is hidden from other members by default. */
const ADMIN_ONLY = '8';

function linkReply(
  url: string,
  what: string,
): { content: string; flags: 64; components: APIActionRowComponent<APIButtonComponent>[] } {
  const button: APIButtonComponent = { type: 2, style: 5, label: 'Authorize on Twitch', url };
  return {
    content: `${what} Open this link within 10 minutes (it works once):\n${url}`,
    flags: EPHEMERAL,
    // Discord refuses link buttons over 512 characters; the URL is in the text anyway.
    components: url.length <= 512 ? [{ type: 1, components: [button] }] : [],
  };
}

async function unlink(cog: SubRolesCog, i: ChatInputCommandInteraction): Promise<void> {
  const id = i.user.id;
  const link = await cog.links.get(id);
  if (!link) {
    await i.reply({ content: 'No Twitch account is linked to you here.', flags: EPHEMERAL });
    return;
  }
  await cog.links.update(id, () => null);
  await cog.accounts.forget(`member:${id}`);
  await cog.queues.sync(
    { discordId: id, version: nextVersion(link.version) },
    { discordId: id, reason: 'unlinked', clear: link.roles },
  );
  cog.ctx.log.info({ member: id, login: link.login }, 'Twitch account unlinked');
  await i.reply({
    content: `Unlinked Twitch account ${link.login}: your subscriber roles are being removed and your Twitch authorisation was deleted.`,
    flags: EPHEMERAL,
  });
}

async function admin(
  cog: SubRolesCog,
  i: ChatInputCommandInteraction,
  reconcileNow: () => Promise<ReconcileSummary | undefined>,
): Promise<void> {
  if (!i.guild || i.guild.ownerId !== i.user.id) {
    await i.reply({ content: 'Only the server owner can use /subroles.', flags: EPHEMERAL });
    return;
  }
  if (i.options.getSubcommand() === 'setup') {
    const what = `Log in to Twitch as ${cog.broadcasterLogin} so the bot can read the subscriber list.`;
    await i.reply(linkReply(broadcasterLinkUrl(cog, i.user.id), what));
    return;
  }
  await i.deferReply({ flags: EPHEMERAL });
  const s = await reconcileNow();
  await i.editReply(
    s
      ? `Checked ${s.subscribers} subscriber(s) against ${s.links} link(s): ${s.changed} changed, ${s.jobs} role update(s) queued, ${s.graceStarted} grace period(s) started.`
      : `Could not check: ${cog.faults().join('; ') || 'see the logs'}`,
  );
}

async function onButton(cog: SubRolesCog, i: ButtonInteraction): Promise<void> {
  if (i.customId === buttonId(cog.ctx.bot.name, 'optout')) {
    await cog.ctx.storage.set(`optout:${i.user.id}`, Date.now());
    await cog.reminders.forget(i.user.id);
    await i.reply({ content: 'Done: no more reminders from this server.', flags: EPHEMERAL });
    return;
  }
  await i.reply(linkReply(memberLinkUrl(cog, i.user.id), 'Link your Twitch account.'));
}

/**
 * Registers `/link`, `/unlink`, `/status` and the owner's `/subroles setup|sync`, and
 * answers the cog's buttons (in the server and in DMs).
 *
 * @example
 * ```ts
 * registerCommands(cog, () => reconcile(cog, 'asked by the owner'));
 * ```
 */
export function registerCommands(
  cog: SubRolesCog,
  reconcileNow: () => Promise<ReconcileSummary | undefined>,
): void {
  const d = cog.discord;
  const guilds = [cog.guildId];
  d.registerCommand({
    data: { name: 'link', description: 'Link your Twitch account to get your subscriber role' },
    guilds,
    run: (i) => i.reply(linkReply(memberLinkUrl(cog, i.user.id), 'Link your Twitch account.')),
  });
  d.registerCommand({
    data: {
      name: 'unlink',
      description: 'Unlink your Twitch account and drop your subscriber roles',
    },
    guilds,
    run: (i) => unlink(cog, i),
  });
  d.registerCommand({
    data: { name: 'status', description: 'Why you have (or not) your subscriber roles' },
    guilds,
    run: async (i) => {
      await i.deferReply({ flags: EPHEMERAL });
      await i.editReply(await statusText(cog, i.user.id));
    },
  });
  d.registerCommand({
    data: {
      name: 'subroles',
      description: 'Subscriber roles: link the broadcaster, check everyone now',
      default_member_permissions: ADMIN_ONLY,
      options: [
        {
          type: 1,
          name: 'setup',
          description: "Link the broadcaster's Twitch account (owner only)",
        },
        { type: 1, name: 'sync', description: 'Check every subscriber now (owner only)' },
      ],
    },
    guilds,
    run: (i) => admin(cog, i, reconcileNow),
  });
  const prefix = `sub-roles:${cog.ctx.bot.name}:`;
  // A listener rather than registerButton: DM buttons (no guild) must reach the cog too.
  d.on('interactionCreate', async (i: Interaction) => {
    if (i.isButton() && i.customId.startsWith(prefix)) await onButton(cog, i);
  });
}
