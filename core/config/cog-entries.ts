import { describeValue, isRecord } from './describe.js';
import type { IssueSink } from './issue-sink.js';
import type { Path } from './paths.js';

/** One item of a bot's `cogs:` list, before the cog is looked up. */
export interface CogEntry {
  /** The name as written in bots.yaml. */
  written: string;
  /** Where to point for problems with the cog itself (its name). */
  namePath: Path;
  nameAt: 'key' | 'value';
  /** Path of the settings: `alice.cogs[1].go-live`. */
  settingsPath: Path;
  /** The settings as written: undefined for `- name`, null for `- name:` with nothing after. */
  settings: unknown;
}

/**
 * Reads a bot's `cogs:` list into entries. Each item is a cog name (`- go-live`) or a
 * one-key map (`- go-live: { channels: [alice] }`). The classic indentation slip, where
 * the settings sit beside the name instead of under it, gets its own message.
 *
 * @example
 * ```ts
 * readCogEntries('alice', ['eventsub', { 'go-live': { channels: ['alice'] } }], sink);
 * // [{ written: 'eventsub', ... }, { written: 'go-live', settings: { channels: ['alice'] }, ... }]
 * ```
 */
export function readCogEntries(bot: string, value: unknown, sink: IssueSink): CogEntry[] {
  const path = [bot, 'cogs'];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    const names = isRecord(value)
      ? Object.keys(value)
      : typeof value === 'string'
        ? [value]
        : ['eventsub'];
    sink.error(path, {
      code: 'bad-cogs',
      message: `expected a list of cogs, got ${describeValue(value, sink.node(path))}`,
      fix: `cogs is a list: start each cog with "- ", e.g. cogs: [${names.join(', ')}]`,
      at: isRecord(value) ? 'key' : 'value',
    });
    return [];
  }
  const entries: CogEntry[] = [];
  value.forEach((item, index) => {
    const itemPath = [...path, index];
    if (typeof item === 'string' && item.trim() !== '') {
      entries.push({
        written: item.trim(),
        namePath: itemPath,
        nameAt: 'value',
        settingsPath: [...itemPath, item.trim()],
        settings: undefined,
      });
      return;
    }
    if (!isRecord(item)) {
      sink.error(itemPath, {
        code: 'bad-cog-entry',
        message: `expected a cog name or "name: {settings}", got ${describeValue(item, sink.node(itemPath))}`,
        fix:
          item === null
            ? 'remove the empty "-" line or write a cog name after it'
            : 'write the cog name, e.g. - go-live',
      });
      return;
    }
    const keys = Object.keys(item);
    const [first] = keys;
    if (first === undefined) {
      sink.error(itemPath, {
        code: 'bad-cog-entry',
        message: 'empty cog entry {}',
        fix: 'write a cog name, e.g. - go-live',
      });
      return;
    }
    if (keys.length > 1) {
      const misindented = item[first] === null;
      sink.error([...itemPath, keys[1]!], {
        code: misindented ? 'settings-not-indented' : 'bad-cog-entry',
        message: misindented
          ? `the settings of "${first}" (${keys.slice(1).join(', ')}) are not indented under it`
          : `a cog entry has one key, the cog name; found ${keys.length}: ${keys.join(', ')}`,
        fix: misindented
          ? `indent "${keys[1]}" and the lines after it further than "${first}" (two more spaces)`
          : `give each cog its own "- " item`,
        at: 'key',
      });
      return;
    }
    const settings = item[first];
    const settingsPath = [...itemPath, first];
    if (settings !== null && !isRecord(settings)) {
      sink.error(settingsPath, {
        code: 'bad-cog-settings',
        message: `the settings of "${first}" must be a map of name: value, got ${describeValue(settings, sink.node(settingsPath))}`,
        fix: `write them as a map under the name: - ${first}: { setting: value }`,
      });
      return;
    }
    entries.push({ written: first, namePath: settingsPath, nameAt: 'key', settingsPath, settings });
  });
  return entries;
}
