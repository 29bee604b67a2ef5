import { RetryJobLater, type JobHandler, type TypedJobSpec } from '../../core/index.js';
import type { GoLiveDeps } from './deps.js';
import { skipReason } from './filters.js';
import type { GoLiveJobs } from './jobs.js';
import type { Session } from './sessions.js';

type Handlers = {
  [K in 'online' | 'offline' | 'update' | 'end' | 'refresh']: JobHandler<GoLiveJobs[K]>;
};

const HELIX_LAG_MS = 15_000;

async function newSession(deps: GoLiveDeps, p: GoLiveJobs['online']): Promise<Session> {
  const [user] = await deps.twitch.users([p.login]);
  const live = await deps.twitch.stream(p.bid);
  // Helix may not list a stream for a few seconds after EventSub announced it.
  if (!live && Date.now() - p.eventAt < HELIX_LAG_MS)
    throw new RetryJobLater(1500, `Helix does not list ${p.login}'s stream yet`);
  return {
    id: p.streamId,
    bid: p.bid,
    login: p.login,
    displayName: user?.displayName ?? p.login,
    avatarUrl: user?.avatarUrl,
    title: live?.title ?? '',
    game: live?.game ?? '',
    gameId: live?.gameId ?? '',
    viewers: live?.viewers ?? 0,
    thumbnailUrl:
      live?.thumbnailUrl ??
      `https://static-cdn.jtvnw.net/previews-ttv/live_user_${p.login}-{width}x{height}.jpg`,
    startedAt: p.startedAt,
    streamIds: [p.streamId],
    type: p.type,
    eventAt: p.eventAt,
    lastStartAt: p.eventAt,
    state: 'live',
  };
}

/** Decides (once per session) which targets post, applying each target's filters. */
async function decideTargets(deps: GoLiveDeps, s: Session): Promise<Session> {
  if (s.targets) return s;
  const targets: string[] = [];
  const skipped: Record<string, string> = {};
  for (const t of await deps.targets.forStreamer(s.login)) {
    const why = skipReason(t.options, s);
    if (why) skipped[t.id] = why;
    else targets.push(t.id);
  }
  if (Object.keys(skipped).length > 0)
    deps.ctx.log.info(
      { streamer: s.login, session: s.id, skipped: Object.keys(skipped).length },
      `go-live: ${Object.keys(skipped).length} target(s) skip this stream (filters)`,
    );
  const decided = { ...s, targets, skipped };
  await deps.sessions.save(decided);
  return decided;
}

/**
 * Whether a stream starting at `startAt` continues session `s`: it went offline less than
 * the debounce window before, or it is still marked live (its offline not seen yet, so the
 * gap is about zero).
 */
function withinDebounce(s: Session, startAt: number, debounceMs: number): boolean {
  if (debounceMs <= 0) return false;
  return s.state === 'live' || startAt - (s.offlineAt ?? 0) < debounceMs;
}

/**
 * When the offline of this session's newest stream was handled before its online (events
 * out of order), the session is ending already: schedule its end.
 */
async function endIfAlreadyOffline(deps: GoLiveDeps, s: Session, debounceMs: number) {
  const offlineAt = await deps.sessions.lastOffline(s.bid);
  if (s.state !== 'live' || offlineAt <= (s.lastStartAt ?? 0)) return;
  await deps.sessions.save({ ...s, state: 'ending', offlineAt });
  await deps.queue.enqueue({
    key: `end:${s.id}:${offlineAt}`,
    type: 'end',
    payload: { sid: s.id, offlineAt },
    runAt: offlineAt + debounceMs,
  });
}

/** Ends a session a new one replaces (its offline never came, or came late). */
async function endNow(deps: GoLiveDeps, s: Session, at: number): Promise<void> {
  const offlineAt = s.offlineAt ?? at;
  if (s.state === 'live') await deps.sessions.save({ ...s, state: 'ending', offlineAt });
  await deps.queue.enqueue({
    key: `end:${s.id}:${offlineAt}`,
    type: 'end',
    payload: { sid: s.id, offlineAt },
  });
}

function fanOut(deps: GoLiveDeps, s: Session, type: 'post' | 'endpost', batch: string) {
  const specs = (s.targets ?? []).map(
    (target): TypedJobSpec<GoLiveJobs> => ({
      key: `${type}:${s.id}:${target}`,
      type,
      payload: { sid: s.id, target },
    }),
  );
  return deps.queue.enqueueMany(specs, { key: batch });
}

/**
 * The handlers that follow a streamer's sessions: `online` (open or rejoin a session, then
 * fan out one `post` per target), `offline` (schedule the end after the debounce window),
 * `end` (close the session, find the VOD, fan out `endpost`), `update` and `refresh` (title
 * or game changed: at most one edit per post per interval). Every step is idempotent, so a
 * run repeated after a crash adds nothing.
 *
 * @example
 * ```ts
 * const handlers = { ...lifecycleHandlers(deps), ...postingHandlers(deps) };
 * ```
 */
export function lifecycleHandlers(deps: GoLiveDeps): Handlers {
  const { sessions, settings } = deps;
  const debounceMs = settings.debounce_minutes * 60_000;
  const intervalMs = settings.edit_interval_minutes * 60_000;
  return {
    online: ({ payload: p }) =>
      sessions.exclusive(p.bid, async () => {
        let s = await sessions.current(p.bid);
        if (s?.streamIds.includes(p.streamId)) {
          if (s.id !== p.streamId) return { joined: s.id };
        } else if (s && s.state !== 'ended' && withinDebounce(s, p.eventAt, debounceMs)) {
          const joined: Session = {
            ...s,
            streamIds: [...s.streamIds, p.streamId],
            state: 'live',
            lastStartAt: p.eventAt,
          };
          delete joined.offlineAt;
          await sessions.save(joined);
          deps.ctx.log.info(
            { streamer: p.login, session: s.id, stream: p.streamId },
            `go-live: ${p.login} is back within ${settings.debounce_minutes} min: same session, no new post`,
          );
          await endIfAlreadyOffline(deps, joined, debounceMs);
          return { joined: s.id };
        } else {
          if (s && s.state !== 'ended') await endNow(deps, s, p.eventAt);
          s = await newSession(deps, p);
        }
        s = await decideTargets(deps, s);
        const { created } = await fanOut(deps, s, 'post', `posts:${s.id}`);
        await endIfAlreadyOffline(deps, s, debounceMs);
        if (created)
          deps.ctx.log.info(
            { streamer: p.login, session: s.id, targets: s.targets?.length ?? 0 },
            `go-live: ${p.login} is live; posting to ${s.targets?.length ?? 0} target(s)`,
          );
        return { session: s.id, targets: s.targets?.length ?? 0 };
      }),

    offline: ({ payload: p }) =>
      sessions.exclusive(p.bid, async () => {
        await sessions.noteOffline(p.bid, p.at);
        const s = await sessions.current(p.bid);
        if (!s || s.state !== 'live') return { ignored: 'no live session' };
        // Sent before the newest stream started: it ended an earlier stream of the session.
        if (p.at <= (s.lastStartAt ?? 0)) return { ignored: 'an earlier stream' };
        await sessions.save({ ...s, state: 'ending', offlineAt: p.at });
        deps.ctx.log.info(
          { streamer: p.login, session: s.id },
          `go-live: ${p.login} went offline; the session ends in ${settings.debounce_minutes} min unless they come back`,
        );
        await deps.queue.enqueue({
          key: `end:${s.id}:${p.at}`,
          type: 'end',
          payload: { sid: s.id, offlineAt: p.at },
          runAt: p.at + debounceMs,
        });
        return { session: s.id, endsAt: p.at + debounceMs };
      }),

    end: async ({ payload: p }) => {
      const s = await sessions.get(p.sid, true);
      if (!s) return { ignored: 'unknown session' };
      return sessions.exclusive(s.bid, async () => {
        const now = await sessions.get(p.sid, true);
        if (!now || now.state !== 'ending' || now.offlineAt !== p.offlineAt)
          return { ignored: 'the stream came back' };
        const last = now.streamIds[now.streamIds.length - 1] as string;
        const vodUrl = await deps.twitch.vod(now.bid, last).catch(() => undefined);
        const ended: Session = { ...now, state: 'ended', endedAt: p.offlineAt, vodUrl };
        await sessions.save(ended);
        await fanOut(deps, ended, 'endpost', `ends:${ended.id}`);
        return { session: ended.id, vod: vodUrl ?? null };
      });
    },

    update: ({ payload: p }) =>
      sessions.exclusive(p.bid, async () => {
        const s = await sessions.current(p.bid);
        if (!s || s.state !== 'live') return { ignored: 'not live' };
        if (s.title === p.title && s.game === p.game) return { ignored: 'no change' };
        const changed: Session = { ...s, title: p.title, game: p.game, gameId: p.gameId };
        await sessions.save(changed);
        if (!(await deps.targets.editsOnChange(s.login))) return { edits: false };
        const last = s.lastEditAt ?? 0;
        await deps.queue.enqueue({
          key: `refresh:${s.id}:${last}`,
          type: 'refresh',
          payload: { sid: s.id },
          runAt: Math.max(Date.now(), last + intervalMs),
        });
        return { edits: true };
      }),

    refresh: async ({ payload: p }) => {
      const s = await sessions.get(p.sid, true);
      if (!s || s.state !== 'live') return { ignored: 'not live' };
      const live = await deps.twitch.stream(s.bid).catch(() => null);
      const at = Date.now();
      const next: Session = {
        ...s,
        ...(live ? { title: live.title, game: live.game, gameId: live.gameId } : {}),
        viewers: live?.viewers ?? s.viewers,
        lastEditAt: at,
      };
      await sessions.save(next);
      const editing = [];
      for (const id of s.targets ?? []) {
        const t = await deps.targets.find(s.login, id);
        if (t?.options.edit_on_change) editing.push(id);
      }
      await deps.queue.enqueueMany(
        editing.map((target) => ({
          key: `liveedit:${s.id}:${target}:${at}`,
          type: 'liveedit' as const,
          payload: { sid: s.id, target },
        })),
        { key: `liveedits:${s.id}:${at}` },
      );
      return { edits: editing.length };
    },
  };
}
