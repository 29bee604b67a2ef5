import type { ReconcileSummary, SubRolesCog, SyncPayload } from './cog.js';
import { HelixPacer, readSubscribers } from './helix.js';
import type { LinkUpdate } from './links.js';
import { applySub, needsSync, type Link, type RoleIds, type SubState } from './model.js';

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const TIERS = ['1000', '2000', '3000'] as const;

/** A subscription as one character: `0` none, `1`..`6` tier and gift. */
function subCode(sub: SubState | null): string {
  return sub ? String(TIERS.indexOf(sub.tier) * 2 + (sub.gift ? 2 : 1)) : '0';
}

/**
 * What the reconciliation keeps of a link while pages arrive (100,000 of them must stay
 * small): its subscription code then the Discord id, or `x` when the link needs a look
 * whatever Twitch says (grace, relink, left, roles out of step, newer news).
 */
function entryOf(link: Link, ids: RoleIds | undefined, at: number): string {
  const plain =
    !link.ended &&
    !link.relink &&
    !link.left &&
    link.subAt <= at &&
    !(ids && needsSync(link, ids, at));
  return `${plain ? subCode(link.sub) : 'x'}${link.discordId}`;
}

/** One reconciliation's bookkeeping: applies batches of news, in order, and counts. */
class Run {
  changed = 0;
  jobs = 0;
  graces = 0;
  #batches = 0;
  #chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly cog: SubRolesCog,
    private readonly at: number,
    private readonly reason: string,
  ) {}

  /** Queues a batch (Discord id -> what Twitch says); batches apply one after another. */
  push(news: Map<string, SubState | null>): void {
    if (news.size > 0) this.#chain = this.#chain.then(() => this.#apply(news));
  }

  done(): Promise<void> {
    return this.#chain;
  }

  async #apply(news: Map<string, SubState | null>): Promise<void> {
    const { cog, at } = this;
    const graces: Link[] = [];
    const updates = new Map<string, LinkUpdate>();
    for (const [discordId, sub] of news)
      updates.set(discordId, (l) => {
        if (!l) return undefined;
        const change = applySub(l, sub, at, cog.graceMs);
        if (!change.changed) return undefined;
        this.changed++;
        if (change.graceStarted && !change.link.left) graces.push(change.link);
        return change.link;
      });
    const stored = await cog.links.updateMany(updates);
    const ids = cog.roleIds();
    const now = Date.now();
    const items: { link: Link; payload: SyncPayload }[] = [];
    if (ids)
      for (const link of stored.values())
        if (needsSync(link, ids, now))
          items.push({
            link,
            payload: { discordId: link.discordId, reason: `reconciliation (${this.reason})` },
          });
    this.jobs += await cog.queues.syncMany(items, `reconcile:${at}:${this.#batches++}`);
    for (const link of graces)
      await cog.queues.dm(
        { discordId: link.discordId, kind: 'grace', until: link.graceUntil },
        `grace:${link.discordId}:${link.version}`,
      );
    this.graces += graces.length;
  }
}

/**
 * Compares the broadcaster's whole subscriber list (Helix, 100 a page, paced under the
 * rate limit) with every link. Members whose subscription changed, or whose roles are not
 * what they should be, are handled as their page arrives (role jobs start while later pages
 * are read); links absent from the list start their grace period at the end (DM sent).
 * Unchanged members cost nothing. Each link is re-read when it is written, and news newer
 * than the list (an event that arrived meanwhile) wins. Safe to run again at any time, in
 * any process: the same change gets the same job key.
 *
 * @example
 * ```ts
 * const summary = await reconcile(cog, 'hourly');
 * ```
 */
export async function reconcile(
  cog: SubRolesCog,
  reason: string,
  signal?: AbortSignal,
): Promise<ReconcileSummary | undefined> {
  const api = await cog.accounts.api('broadcaster');
  const broadcaster = (await cog.meta()).broadcaster;
  if (!api || !broadcaster) {
    cog.report(
      `the broadcaster ${cog.broadcasterLogin} has not linked Twitch yet: the guild owner runs /subroles setup`,
    );
    return undefined;
  }
  const at = Date.now();
  const ids = cog.roleIds();
  const snapshot = new Map<string, string>(); // Twitch id -> entryOf(link)
  for await (const batch of cog.links.shards())
    for (const l of batch) {
      snapshot.set(l.twitchId, entryOf(l, ids, at));
      cog.noteDeadline(l.discordId, l);
    }
  const links = snapshot.size;
  const run = new Run(cog, at, reason);
  let subscribers = 0;
  let pages: number;
  try {
    pages = await readSubscribers(
      api,
      broadcaster.id,
      new HelixPacer(cog.settings.helix_points_per_minute),
      (page) => {
        subscribers += page.length;
        const news = new Map<string, SubState | null>();
        for (const s of page) {
          const entry = snapshot.get(s.userId);
          if (entry === undefined) continue;
          snapshot.delete(s.userId);
          const sub = { tier: s.tier, gift: s.gift };
          if (entry[0] !== subCode(sub)) news.set(entry.slice(1), sub);
        }
        run.push(news);
      },
      signal,
    );
  } catch (err) {
    await run.done().catch(() => {});
    if ((await cog.accounts.check('broadcaster').catch(() => 'valid')) === 'revoked')
      cog.fault(
        `the broadcaster's Twitch authorisation was revoked: the guild owner runs /subroles setup again`,
      );
    else cog.fault(`reading the subscriber list failed: ${errorText(err)}`);
    return undefined;
  }
  // Whoever is left in the snapshot is not subscribed (any more).
  const absent = new Map<string, SubState | null>();
  for (const entry of snapshot.values()) if (entry[0] !== '0') absent.set(entry.slice(1), null);
  run.push(absent);
  await run.done();
  const summary: ReconcileSummary = {
    at,
    finishedAt: Date.now(),
    subscribers,
    pages,
    links,
    changed: run.changed,
    jobs: run.jobs,
    graceStarted: run.graces,
  };
  cog.clearFaults();
  await cog.updateMeta((m) => ({ ...m, lastReconcile: summary }));
  cog.ctx.log.info({ ...summary, reason }, 'sub-roles: reconciliation done');
  return summary;
}
