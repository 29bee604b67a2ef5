/**
 * The population of the sub-roles benchmark, the same in the sandbox process (Twitch subs,
 * Discord members) and the bot process (links): `subs` subscribers, each linked to a
 * member; one in `1 / changeEvery` changes tier (1000 -> 2000: one role added, one removed)
 * and as many were not applied yet (one role to add); the rest are already right. Plus
 * `idle` linked members without a subscription, for the latency samples.
 *
 * @example
 * ```ts
 * const plan: BenchPlan = { subs: 100_000, changeEvery: 20, idle: 30 };
 * ```
 */
export interface BenchPlan {
  subs: number;
  /** One in this many members changes tier, as many again are new: 20 -> 10 % change. */
  changeEvery: number;
  idle: number;
}

/**
 * What one member is in the plan.
 *
 * @example
 * ```ts
 * if (kindOf(plan, i) === 'tier') expected += 2;
 * ```
 */
export type MemberKind = 'same' | 'tier' | 'new' | 'idle';

/**
 * The member's kind.
 *
 * @example
 * ```ts
 * kindOf({ subs: 100, changeEvery: 20, idle: 5 }, 20); // 'tier'
 * ```
 */
export function kindOf(plan: BenchPlan, i: number): MemberKind {
  if (i >= plan.subs) return 'idle';
  const r = i % plan.changeEvery;
  return r === 0 ? 'tier' : r === 1 ? 'new' : 'same';
}

/**
 * Twitch login of member `i`.
 *
 * @example
 * ```ts
 * loginOf(plan, 7); // 'sub7'
 * ```
 */
export function loginOf(plan: BenchPlan, i: number): string {
  return i < plan.subs ? `sub${i}` : `idle${i - plan.subs}`;
}

/**
 * Discord id of member `i` (snowflake-like, stable).
 *
 * @example
 * ```ts
 * discordIdOf(7); // '300000000000000007'
 * ```
 */
export function discordIdOf(i: number): string {
  return String(300_000_000_000_000_000n + BigInt(i));
}

/**
 * Role calls the reconciliation must make, and no more: 2 per tier change, 1 per new sub.
 *
 * @example
 * ```ts
 * expectedRoleCalls({ subs: 100_000, changeEvery: 20, idle: 0 }); // 15000
 * ```
 */
export function expectedRoleCalls(plan: BenchPlan): number {
  let calls = 0;
  for (let i = 0; i < plan.subs; i++) {
    const k = kindOf(plan, i);
    calls += k === 'tier' ? 2 : k === 'new' ? 1 : 0;
  }
  return calls;
}

/**
 * Members whose roles change.
 *
 * @example
 * ```ts
 * expectedChanges({ subs: 100_000, changeEvery: 20, idle: 0 }); // 10000
 * ```
 */
export function expectedChanges(plan: BenchPlan): number {
  let n = 0;
  for (let i = 0; i < plan.subs; i++) if (kindOf(plan, i) !== 'same') n++;
  return n;
}
