import type {
  AppConfig,
  BotConfig,
  BotDiff,
  CogChange,
  CogConfig,
  ConfigDiff,
  RestartReason,
} from './types.js';

/**
 * Structural equality for configuration values: primitives, arrays, plain objects,
 * Dates and RegExps.
 *
 * @example
 * ```ts
 * deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }); // true
 * ```
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (a instanceof RegExp || b instanceof RegExp) return String(a) === String(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every(
    (key) =>
      Object.prototype.hasOwnProperty.call(b, key) &&
      deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

function secretsEqual(a: BotConfig['secrets'], b: BotConfig['secrets']): boolean {
  return (
    a.clientId === b.clientId &&
    a.clientSecret === b.clientSecret &&
    a.discordToken === b.discordToken
  );
}

function restartReasons(prev: BotConfig, next: BotConfig): RestartReason[] {
  const reasons: RestartReason[] = [];
  if (prev.prefix !== next.prefix) reasons.push('prefix');
  if (!deepEqual(prev.scopes, next.scopes)) reasons.push('scopes');
  if (!deepEqual(prev.discord, next.discord)) reasons.push('discord');
  if (!secretsEqual(prev.secrets, next.secrets)) reasons.push('secrets');
  return reasons;
}

/** Cogs to reload, in next's mount order, with dependants of changed cogs included. */
function changedCogs(prev: readonly CogConfig[], next: readonly CogConfig[]): CogChange[] {
  const before = new Map(prev.map((cog) => [cog.name, cog]));
  const touched = new Set<string>(
    next.filter((cog) => !before.has(cog.name)).map((cog) => cog.name),
  );
  const changes: CogChange[] = [];
  for (const cog of next) {
    const old = before.get(cog.name);
    if (!old) continue;
    if (!deepEqual(old.settings, cog.settings)) {
      changes.push({ name: cog.name, reason: 'settings' });
      touched.add(cog.name);
      continue;
    }
    const now = cog.dependsOn ?? [];
    const was = old.dependsOn ?? [];
    const dependency =
      now.find((name) => touched.has(name) || !was.includes(name)) ??
      was.find((name) => !now.includes(name));
    if (dependency !== undefined) {
      changes.push({ name: cog.name, reason: 'dependency', dependency });
      touched.add(cog.name);
    }
  }
  return changes;
}

function diffBot(prev: BotConfig, next: BotConfig): BotDiff | undefined {
  const reasons = restartReasons(prev, next);
  const names = (cogs: readonly CogConfig[]) => new Set(cogs.map((cog) => cog.name));
  const prevCogs = names(prev.cogs);
  const nextCogs = names(next.cogs);
  const diff: BotDiff = {
    name: next.name,
    restart: reasons.length > 0,
    restartReasons: reasons,
    channels: {
      joined: next.channels.filter((channel) => !prev.channels.includes(channel)),
      left: prev.channels.filter((channel) => !next.channels.includes(channel)),
    },
    cogs: {
      added: next.cogs.filter((cog) => !prevCogs.has(cog.name)).map((cog) => cog.name),
      removed: prev.cogs.filter((cog) => !nextCogs.has(cog.name)).map((cog) => cog.name),
      changed: changedCogs(prev.cogs, next.cogs),
    },
  };
  const quiet =
    !diff.restart &&
    diff.channels.joined.length + diff.channels.left.length === 0 &&
    diff.cogs.added.length + diff.cogs.removed.length + diff.cogs.changed.length === 0;
  return quiet ? undefined : diff;
}

/**
 * What a hot reload must do to go from `prev` to `next`: bots to start and stop, and for
 * each bot present in both, whether it must be restarted (prefix, scopes, discord or
 * secrets changed), the channels to join and leave, and the cogs to add, remove and
 * reload. A cog whose dependency is added or reloaded is reloaded too (`reason: 'dependency'`).
 *
 * @example
 * ```ts
 * const diff = diffConfig(current, reloaded);
 * for (const bot of diff.changed) if (bot.restart) await restartBot(bot.name);
 * ```
 */
export function diffConfig(prev: AppConfig, next: AppConfig): ConfigDiff {
  const before = new Map(prev.bots.map((bot) => [bot.name, bot]));
  const after = new Set(next.bots.map((bot) => bot.name));
  const changed: BotDiff[] = [];
  for (const bot of next.bots) {
    const old = before.get(bot.name);
    const diff = old ? diffBot(old, bot) : undefined;
    if (diff) changed.push(diff);
  }
  const added = next.bots.filter((bot) => !before.has(bot.name)).map((bot) => bot.name);
  const removed = prev.bots.filter((bot) => !after.has(bot.name)).map((bot) => bot.name);
  return { added, removed, changed, empty: added.length + removed.length + changed.length === 0 };
}
