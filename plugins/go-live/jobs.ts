/**
 * The go-live queue's jobs, by type. Keys (idempotency): `online:<stream id>`,
 * `offline:<broadcaster>:<message id>`, `update:<message id>`, `post:<session>:<webhook>`,
 * `end:<session>:<offline ms>`, `endpost:<session>:<webhook>`, `refresh:<session>:<last edit>`,
 * `liveedit:<session>:<webhook>:<last edit>`.
 *
 * @example
 * ```ts
 * const spec: TypedJobSpec<GoLiveJobs> = { key: 'post:41:9', type: 'post', payload: { sid: '41', target: '9' } };
 * ```
 */
export type GoLiveJobs = {
  online: {
    bid: string;
    login: string;
    streamId: string;
    startedAt: string;
    type: string;
    /** Twitch's event time (ms). */
    eventAt: number;
  };
  offline: { bid: string; login: string; at: number };
  update: { bid: string; login: string; title: string; game: string; gameId: string };
  post: { sid: string; target: string };
  end: { sid: string; offlineAt: number };
  endpost: { sid: string; target: string };
  refresh: { sid: string };
  liveedit: { sid: string; target: string };
};

/**
 * What a `post` job stores as its result.
 *
 * @example
 * ```ts
 * const { messageId } = (await queue.state(`post:${sid}:${hook}`))?.result as PostResult;
 * ```
 */
export interface PostResult {
  messageId?: string;
  channelId?: string;
  /** Why nothing was posted. */
  skipped?: string;
}
