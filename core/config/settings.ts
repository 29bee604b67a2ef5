import { z } from 'zod';
import type { CogEntry } from './cog-entries.js';
import { isRecord } from './describe.js';
import type { IssueSink } from './issue-sink.js';
import type { PathSegment } from './paths.js';
import type { CogDescriptor } from './types.js';
import { didYouMean, suggest } from './suggest.js';
import { explainZodIssue } from './zod-issues.js';

type JsonSchema = Record<string, unknown>;

const inputSchemas = new WeakMap<object, JsonSchema | null>();

/**
 * The JSON Schema (draft-07) of what a config author writes for a zod schema: its *input*
 * side, so settings with defaults are optional. Unrepresentable parts become `{}`.
 * Cached per schema; null when the schema cannot be converted at all.
 *
 * @example
 * ```ts
 * settingsJsonSchema(z.object({ n: z.number().default(1) }));
 * // { type: 'object', properties: { n: { type: 'number', default: 1 } }, ... }
 * ```
 */
export function settingsJsonSchema(schema: z.ZodType): JsonSchema | null {
  if (!inputSchemas.has(schema)) {
    let json: JsonSchema | null;
    try {
      json = z.toJSONSchema(schema, {
        target: 'draft-7',
        io: 'input',
        unrepresentable: 'any',
      }) as JsonSchema;
    } catch {
      json = null;
    }
    inputSchemas.set(schema, json);
  }
  return inputSchemas.get(schema) ?? null;
}

/** Setting names accepted at a path inside the settings, read from the JSON Schema. */
function knownKeys(root: JsonSchema | null, path: readonly PathSegment[]): string[] {
  if (!root) return [];
  let nodes: JsonSchema[] = [root];
  for (const segment of path) {
    nodes = nodes
      .flatMap((node) => branches(root, node))
      .flatMap((node) => {
        const next =
          typeof segment === 'number'
            ? node.items
            : (node.properties as JsonSchema | undefined)?.[segment];
        return isRecord(next) ? [next] : [];
      });
  }
  const keys = nodes
    .flatMap((node) => branches(root, node))
    .flatMap((node) => Object.keys((node.properties as object) ?? {}));
  return [...new Set(keys)];
}

/** A schema node with `$ref` followed and `anyOf`/`oneOf`/`allOf` flattened. */
function branches(root: JsonSchema, node: JsonSchema, depth = 0): JsonSchema[] {
  if (depth > 8) return [];
  const ref = typeof node.$ref === 'string' ? node.$ref : undefined;
  if (ref?.startsWith('#/')) {
    const target = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((at, part) => (isRecord(at) ? at[part] : undefined), root);
    return isRecord(target) ? branches(root, target, depth + 1) : [];
  }
  const alternatives = [node.anyOf, node.oneOf, node.allOf].flatMap((list) =>
    Array.isArray(list) ? list : [],
  );
  return [
    node,
    ...alternatives.filter(isRecord).flatMap((child) => branches(root, child, depth + 1)),
  ];
}

type IgnoredKey = (path: PathSegment[], key: string, known: string[]) => void;

/**
 * Finds keys a plain `z.object` would silently drop (no `additionalProperties` in its
 * input schema): almost always a typo of a setting that then keeps its default.
 */
function warnIgnoredKeys(
  root: JsonSchema,
  node: JsonSchema,
  input: unknown,
  path: PathSegment[],
  report: IgnoredKey,
): void {
  const forms = branches(root, node);
  if (Array.isArray(input)) {
    const items = forms.map((form) => form.items).find(isRecord);
    if (items)
      input.forEach((item, index) => warnIgnoredKeys(root, items, item, [...path, index], report));
    return;
  }
  if (!isRecord(input)) return;
  const objects = forms.filter((form) => isRecord(form.properties));
  if (objects.length === 0) return;
  const open = forms.some((form) => 'additionalProperties' in form || 'patternProperties' in form);
  const known = [...new Set(objects.flatMap((form) => Object.keys(form.properties as object)))];
  for (const [key, value] of Object.entries(input)) {
    const property = objects.map((form) => (form.properties as JsonSchema)[key]).find(isRecord);
    if (property) warnIgnoredKeys(root, property, value, [...path, key], report);
    else if (!open) report(path, key, known);
  }
}

/**
 * Validates one cog entry's settings with the cog's zod schema, reporting every issue at
 * the YAML node it concerns (`alice.cogs[1].go-live.channels`, line and column). Returns the
 * parsed settings (defaults applied), or undefined when they are invalid.
 *
 * @example
 * ```ts
 * await validateSettings(goLive, entry, sink); // { channels: ['alice'], message: 'Live!' }
 * ```
 */
export async function validateSettings(
  cog: CogDescriptor,
  entry: CogEntry,
  sink: IssueSink,
): Promise<Record<string, unknown> | undefined> {
  const given = entry.settings;
  if (!cog.settings) {
    if (isRecord(given) && Object.keys(given).length > 0) {
      sink.error(entry.settingsPath, {
        code: 'no-settings',
        message: `cog "${cog.name}" takes no settings`,
        fix: `remove them and write just - ${entry.written}`,
        at: 'key',
      });
      return undefined;
    }
    return {};
  }
  const input = given ?? {};
  let result: { success: boolean; data?: unknown; error?: { issues: z.core.$ZodIssue[] } };
  try {
    result = await cog.settings.safeParseAsync(input);
  } catch (error) {
    sink.error(entry.settingsPath, {
      code: 'settings-check-failed',
      message: `checking the settings of cog "${cog.name}" failed: ${(error as Error).message}`,
      fix: 'this is a bug in the cog: report it to its author',
      at: 'key',
    });
    return undefined;
  }
  const json = settingsJsonSchema(cog.settings);
  if (json) {
    warnIgnoredKeys(json, json, input, [], (path, key, known) => {
      sink.warn([...entry.settingsPath, ...path, key], {
        code: 'unknown-setting',
        message: `unknown setting "${key}" for cog "${cog.name}" is ignored`,
        fix: suggest(key, known) ? didYouMean(key, known) : `known settings: ${known.join(', ')}`,
        at: 'key',
      });
    });
  }
  if (!result.success) {
    const view = {
      cog: cog.name,
      input,
      node: (path: readonly PathSegment[]) => sink.node([...entry.settingsPath, ...path]),
      knownKeys: (path: readonly PathSegment[]) => knownKeys(json, path),
    };
    for (const issue of result.error?.issues ?? []) {
      for (const explained of explainZodIssue(issue, view)) {
        sink.error([...entry.settingsPath, ...explained.path], explained.init);
      }
    }
    return undefined;
  }
  if (!isRecord(result.data)) {
    sink.error(entry.settingsPath, {
      code: 'settings-check-failed',
      message: `the settings schema of cog "${cog.name}" does not produce a map`,
      fix: 'this is a bug in the cog: its settings must be a z.object(...)',
      at: 'key',
    });
    return undefined;
  }
  return result.data;
}
