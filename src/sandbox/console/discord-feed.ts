import type {
  DiscordServer,
  ReceivedRequest,
  SandboxMessage,
  SeededGuild,
} from '../discord/index.js';
import { clip, type ConsoleFeed } from './feed.js';

/** Messages looked at per channel on each scan (the newest ones). */
const SCAN_TAIL = 50;
/** Message versions remembered (to tell new and edited from already shown). */
const MAX_SEEN = 5000;
/** Discord's Loading flag: a deferred interaction's placeholder. */
const LOADING = 1 << 7;
const HIDDEN = 'hidden:';

interface Place {
  where: string;
  dm: boolean;
}

/**
 * Watches what bots did on the Discord simulator (its `record` events) and feeds channel
 * messages, webhook posts, DMs, edits, deletions and role changes into `feed`. Reads
 * only the server's public views; a scan is coalesced per tick and looks at the newest
 * {@link SCAN_TAIL} messages of the channels concerned.
 *
 * @example
 * ```ts
 * const watch = new DiscordFeed(feed, discord, () => seededGuilds);
 * watch.close();
 * ```
 */
export class DiscordFeed {
  /** Channel id -> where it is (guild channels and DM channels seen so far). */
  readonly #places = new Map<string, Place>();
  /** Guild id -> name, role id -> name, user id -> name. */
  readonly #guildNames = new Map<string, string>();
  readonly #roleNames = new Map<string, string>();
  readonly #userNames = new Map<string, string>();
  /** Users bots opened a DM channel with, not yet matched to a channel id. */
  readonly #dmRecipients = new Set<string>();
  /** Message id -> last version shown (content + edit time). */
  readonly #seen = new Map<string, string>();
  readonly #pending = new Set<string>();
  #scanAll = false;
  #scheduled: NodeJS.Immediate | undefined;

  /**
   * @param guilds The guilds the sandbox created (read again when bots are added).
   */
  constructor(
    private readonly feed: ConsoleFeed,
    private readonly discord: DiscordServer,
    private readonly guilds: () => readonly SeededGuild[],
  ) {
    this.#sync();
    discord.on('record', this.#onRecord);
  }

  /** Stops listening. */
  close(): void {
    this.discord.off('record', this.#onRecord);
    if (this.#scheduled) clearImmediate(this.#scheduled);
  }

  /** Learns the names of guilds created since the last call. */
  #sync(): void {
    for (const g of this.guilds()) {
      if (this.#guildNames.has(g.id)) continue;
      this.#guildNames.set(g.id, g.name);
      for (const [name, id] of Object.entries(g.channels))
        this.#places.set(id, { where: `#${name} · ${g.name}`, dm: false });
      for (const [name, id] of Object.entries(g.roles)) this.#roleNames.set(id, name);
      for (const [name, id] of Object.entries(g.members)) this.#userNames.set(id, name);
    }
  }

  readonly #onRecord = (r: ReceivedRequest): void => {
    if (r.kind !== 'http' || r.method === 'GET' || r.status < 200 || r.status >= 300) return;
    this.#sync();
    const seg = r.path.split('/').filter(Boolean);
    const route = r.route.slice(r.route.indexOf(' ') + 1);
    if (route === '/users/@me/channels') {
      const recipient = (r.body as { recipient_id?: unknown } | undefined)?.recipient_id;
      if (typeof recipient === 'string') this.#dmRecipients.add(recipient);
    } else if (route === '/guilds/:guildId/members/:userId/roles/:roleId') {
      this.#roleChange(seg[1] ?? '', seg[3] ?? '', seg[5] ?? '', r.method === 'PUT');
    } else if (route.startsWith('/channels/:channelId/messages')) {
      if (r.method === 'DELETE' && seg[3])
        this.feed.push({ kind: 'discord-delete', messageId: seg[3] });
      else this.#schedule(seg[1]);
    } else if (
      route.startsWith('/webhooks/:webhookId/:token') ||
      route.startsWith('/interactions/')
    ) {
      if (r.method === 'DELETE' && seg[3] === 'messages' && seg[4] && seg[4] !== '@original')
        this.feed.push({ kind: 'discord-delete', messageId: seg[4] });
      else this.#schedule(undefined);
    }
  };

  #roleChange(guildId: string, userId: string, roleId: string, added: boolean): void {
    const roleName =
      this.#roleNames.get(roleId) ??
      this.discord.memberRoles(guildId, userId).find((role) => role.id === roleId)?.name;
    if (roleName) this.#roleNames.set(roleId, roleName);
    this.feed.push({
      kind: 'discord-role',
      guild: this.#guildNames.get(guildId) ?? guildId,
      user: this.#userNames.get(userId) ?? `user ${userId}`,
      role: roleName ?? `role ${roleId}`,
      added,
    });
  }

  /** Queues a scan of one channel (or of every known one) for the end of this tick. */
  #schedule(channelId: string | undefined): void {
    if (channelId) this.#pending.add(channelId);
    else this.#scanAll = true;
    this.#scheduled ??= setImmediate(() => {
      this.#scheduled = undefined;
      const ids = new Set(this.#pending);
      if (this.#scanAll) for (const id of this.#places.keys()) ids.add(id);
      this.#pending.clear();
      this.#scanAll = false;
      for (const id of ids) this.#scan(id);
    });
  }

  #scan(channelId: string): void {
    const messages = this.discord.messages(channelId).slice(-SCAN_TAIL);
    for (const m of messages) {
      const version = `${m.editedTimestamp ?? ''}|${m.content}|${m.embeds.length}`;
      const before = this.#seen.get(m.id);
      if (before === version) continue;
      if (m.flags & LOADING && !m.content && m.embeds.length === 0) {
        this.#remember(m.id, `${HIDDEN}${version}`); // a deferral's "thinking...": not shown
        continue;
      }
      this.#remember(m.id, version);
      const place = this.#placeOf(m);
      this.#userNames.set(m.author.id, m.author.globalName ?? m.author.username);
      this.feed.push({
        kind: 'discord-message',
        messageId: m.id,
        where: place.where,
        dm: place.dm,
        author: m.author.globalName ?? m.author.username,
        authorBot: m.author.bot,
        ...(m.webhookId && m.source === 'webhook'
          ? { webhook: String(m.raw.username ?? m.author.username) }
          : {}),
        content: clip(m.content),
        embeds: m.embeds.slice(0, 10).map(embedText),
        edited: before !== undefined && !before.startsWith(HIDDEN),
      });
    }
  }

  #placeOf(m: SandboxMessage): Place {
    const known = this.#places.get(m.channelId);
    if (known) return known;
    let place: Place = {
      where: `#${m.channelId} · ${this.#guildNames.get(m.guildId ?? '') ?? 'a guild'}`,
      dm: false,
    };
    if (m.guildId === null) {
      const recipient = [...this.#dmRecipients].find((u) =>
        this.discord.dms(u).some((dm) => dm.channelId === m.channelId),
      );
      if (recipient) this.#dmRecipients.delete(recipient);
      const name = recipient ? (this.#userNames.get(recipient) ?? `user ${recipient}`) : 'a user';
      place = { where: `DM to ${name}`, dm: true };
    }
    this.#places.set(m.channelId, place);
    return place;
  }

  #remember(id: string, version: string): void {
    this.#seen.delete(id);
    this.#seen.set(id, version);
    if (this.#seen.size > MAX_SEEN) {
      const oldest = this.#seen.keys().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
  }
}

function embedText(embed: unknown): { title?: string; description?: string } {
  const e = (embed ?? {}) as { title?: unknown; description?: unknown };
  return {
    ...(typeof e.title === 'string' ? { title: clip(e.title, 256) } : {}),
    ...(typeof e.description === 'string' ? { description: clip(e.description, 1000) } : {}),
  };
}
