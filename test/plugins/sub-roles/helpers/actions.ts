/** What users do in the sub-roles e2e tests, and what they see. */
import type { InteractionReply, SandboxMessage } from '../../../../src/sandbox/discord/index.js';
import { waitUntil } from '../../../../src/testing/wait.js';
import { BROADCASTER, type World } from './harness.js';

/** A member of the guild; returns the Discord user id. */
export function member(
  world: World,
  username: string,
  options: { dmsOpen?: boolean } = {},
): string {
  return world.sandbox.discord.addMember(world.guild.id, { username, ...options }).id;
}

/** Runs a slash command as `userId` and resolves with the bot's first visible reply. */
export async function slash(
  world: World,
  userId: string,
  name: string,
  subcommand?: string,
): Promise<InteractionReply> {
  const { discord } = world.sandbox;
  await waitUntil(
    () =>
      discord
        .commands(world.sandbox.accounts.get('subbot')!.discord!.appId, world.guild.id)
        .some((c) => c.name === name),
    `/${name} registered in the guild`,
    10_000,
  );
  const id = discord.runSlashCommand({
    guildId: world.guild.id,
    channelId: world.guild.channels.general as string,
    userId,
    name,
    ...(subcommand ? { subcommand } : {}),
  });
  const first = await discord.waitForInteractionReply(id, { timeoutMs: 10_000 });
  if (!first.deferred) return first;
  return waitUntil(
    () => discord.interaction(id)?.replies.find((r) => r.kind === 'edit'),
    `the answer to /${name}`,
    30_000,
  );
}

/** The authorize URL in a reply of /link or /subroles setup. */
export function urlIn(reply: { content: string }): string {
  const url = /https?:\/\/\S+\/auth\/authorize\?\S+/.exec(reply.content)?.[0];
  if (!url) throw new Error(`no authorize URL in: ${reply.content}`);
  return url;
}

/** What the browser shows after the callback. */
export interface Page {
  status: number;
  text: string;
}

/** Fetches a page and returns its status and text (tags removed, entities decoded). */
export async function page(url: string): Promise<Page> {
  const res = await fetch(url, { redirect: 'manual' });
  const html = await res.text();
  const text = html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/\s+/g, ' ')
    .trim();
  return { status: res.status, text };
}

/** Follows an authorize URL as Twitch user `login` (who approves) back to the callback page. */
export async function authorizeAs(url: string, login: string): Promise<Page> {
  const res = await fetch(`${url}&login=${encodeURIComponent(login)}&auto=1`, {
    redirect: 'manual',
  });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location)
    throw new Error(`Twitch answered ${res.status}: ${await res.text()}`);
  return page(location);
}

/** The guild owner links the broadcaster's Twitch account. */
export async function linkBroadcaster(world: World): Promise<Page> {
  const reply = await slash(world, world.guild.ownerId, 'subroles', 'setup');
  return authorizeAs(urlIn(reply), BROADCASTER);
}

/**
 * Each login subscribes at Tier 1, joins the guild and links (one after the other); returns
 * their Discord user ids by login.
 */
export async function linkedSubscribers(
  world: World,
  logins: string[],
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const login of logins) {
    subscribe(world, login, '1000');
    const id = member(world, login);
    ids[login] = id;
    await linkMember(world, id, login);
  }
  return ids;
}

/** A member runs /link and approves as Twitch user `login`. */
export async function linkMember(world: World, userId: string, login: string): Promise<Page> {
  return authorizeAs(urlIn(await slash(world, userId, 'link')), login);
}

/** The member's role names, sorted. */
export function roles(world: World, userId: string): string[] {
  return world.sandbox.discord
    .memberRoles(world.guild.id, userId)
    .map((r) => r.name)
    .sort();
}

/** Waits until the member's roles are exactly `expected`. */
export async function rolesBecome(
  world: World,
  userId: string,
  expected: string[],
  timeoutMs = 10_000,
): Promise<void> {
  const want = [...expected].sort().join(', ');
  await waitUntil(
    () => roles(world, userId).join(', ') === want || undefined,
    `roles [${want}] (now [${roles(world, userId).join(', ')}])`,
    timeoutMs,
  );
}

/** Role calls Discord received (PUT/DELETE member role), as `METHOD user role`. */
export function roleCalls(world: World): string[] {
  return world.discordLog
    .filter(
      (r) => r.kind === 'http' && /\/members\/\d+\/roles\/\d+$/.test(r.path) && r.status < 300,
    )
    .map((r) => `${r.method} ${r.path.split('/')[4]} ${r.path.split('/')[6]}`);
}

/** The DMs the member received, oldest first. */
export function dms(world: World, userId: string): SandboxMessage[] {
  return world.sandbox.discord.dms(userId);
}

/** A subscription on Twitch (EventSub delivers channel.subscribe when subscribed to it). */
export function subscribe(
  world: World,
  login: string,
  tier: '1000' | '2000' | '3000' = '1000',
  gift?: string,
): void {
  world.sandbox.world.subscribe(BROADCASTER, login, tier, gift ? { gift } : {});
}

/** Waits until Twitch holds enabled subscriptions of every sub-roles event type. */
export async function subEventsReady(world: World): Promise<void> {
  const id = world.sandbox.world.ensureUser(BROADCASTER).id;
  const types = [
    'channel.subscribe',
    'channel.subscription.end',
    'channel.subscription.message',
    'channel.subscription.gift',
  ];
  await waitUntil(
    () =>
      types.every((t) =>
        world.sandbox.world.eventSub
          .list()
          .some(
            (s) => s.type === t && s.status === 'enabled' && s.condition.broadcaster_user_id === id,
          ),
      ),
    'the sub EventSub subscriptions',
    10_000,
  );
}

/** Waits for the member's first DM whose text contains `text`. */
export async function dmContaining(
  world: World,
  userId: string,
  text: string,
): Promise<SandboxMessage> {
  return waitUntil(
    () => dms(world, userId).find((m) => m.content.includes(text)),
    `a DM containing "${text}"`,
    10_000,
  );
}

/** The custom ids of the buttons on a message. */
export function buttons(message: SandboxMessage): string[] {
  const rows = message.components as { components?: { custom_id?: string; label?: string }[] }[];
  return rows.flatMap((r) => r.components ?? []).map((c) => c.custom_id ?? c.label ?? '');
}

/** Clicks a button of a message as `userId`; resolves with the bot's reply. */
export function click(
  world: World,
  message: SandboxMessage,
  customId: string,
  userId: string,
): Promise<InteractionReply> {
  const id = world.sandbox.discord.clickButton({ messageId: message.id, customId, userId });
  return world.sandbox.discord.waitForInteractionReply(id, { timeoutMs: 10_000 });
}
