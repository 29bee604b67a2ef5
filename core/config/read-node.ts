import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Alias,
  type Document,
  type Pair,
} from 'yaml';
import { interpolate, type Interpolation } from './interpolate.js';
import type { IssueSink } from './issue-sink.js';
import { formatPath, type Path } from './paths.js';

/** What {@link readNode} needs: the document, where to report, and the environment. */
export interface ReadContext {
  doc: Document.Parsed;
  sink: IssueSink;
  env: Readonly<Record<string, string | undefined>>;
  /** Filled with `name -> value` of every variable substituted, so values can be redacted. */
  substituted: Map<string, string>;
  /** Nodes whose `${...}` problems were reported already (a node reached twice via aliases). */
  reported: WeakSet<object>;
}

type KeySpan = readonly [number, number] | undefined;
type Range = readonly [number, number, number];

/**
 * Converts a YAML node into a plain value, recording where each value sits (for issue
 * locations) and expanding `${VAR}` in string values. Aliases are followed, `<<` merge
 * keys applied (keys written in the map win over merged ones), duplicate keys reported.
 * Keys are never interpolated.
 *
 * @example
 * ```ts
 * const { doc, source } = parseYaml('alice:\n  prefix: "${P:-?}"\n');
 * const ctx = { doc, sink: new IssueSink('bots.yaml', source), env: {}, substituted: new Map(), reported: new WeakSet() };
 * readNode(doc.get('alice', true), ['alice'], ctx); // { prefix: '?' }
 * ```
 */
export function readNode(
  node: unknown,
  path: Path,
  ctx: ReadContext,
  key?: KeySpan,
  stack: ReadonlySet<unknown> = new Set(),
): unknown {
  if (isAlias(node)) return readAlias(node, path, ctx, key, stack);
  const range = (node as { range?: Range } | null)?.range;
  const text = ctx.sink.source?.text ?? '';
  const start = range?.[0] ?? key?.[1] ?? 0;
  const end = range?.[1] ?? start;
  const info = { start, end, keyStart: key?.[0], keyEnd: key?.[1], raw: text.slice(start, end) };
  if (isScalar(node)) {
    const tag = node.tag;
    let value: unknown = node.value;
    let interpolated = false;
    let broken = false;
    if (typeof value === 'string' && value.includes('$')) {
      const expanded = expand(value, info, path, ctx, node);
      value = expanded.value;
      interpolated = expanded.interpolated;
      broken = expanded.problems.length > 0;
    }
    ctx.sink.setNode(path, { ...info, tag, interpolated, broken });
    return value;
  }
  ctx.sink.setNode(path, { ...info, raw: '', interpolated: false });
  const inner = new Set(stack).add(node);
  if (isSeq(node)) {
    return node.items.map((item, index) =>
      isPair(item)
        ? readPairs([item], [...path, index], ctx, inner)
        : readNode(item, [...path, index], ctx, undefined, inner),
    );
  }
  if (isMap(node)) return readPairs(node.items, path, ctx, inner);
  return null;
}

function readAlias(
  node: Alias,
  path: Path,
  ctx: ReadContext,
  key: KeySpan,
  stack: ReadonlySet<unknown>,
): unknown {
  const target = node.resolve(ctx.doc);
  const span = node.range ? ([node.range[0], node.range[1]] as const) : undefined;
  if (target === undefined) {
    ctx.sink.error(path, {
      code: 'unknown-anchor',
      message: `unknown anchor "*${node.source}"`,
      fix: `define it first with "&${node.source}" on the value to reuse (an anchor must come before its aliases)`,
      span,
    });
    return null;
  }
  if (stack.has(target)) {
    ctx.sink.error(path, {
      code: 'alias-loop',
      message: `"*${node.source}" refers to a value that contains it`,
      fix: 'an alias cannot point into its own anchor: copy the values instead',
      span,
    });
    return null;
  }
  return readNode(target, path, ctx, key, stack);
}

function readPairs(
  pairs: readonly Pair[],
  path: Path,
  ctx: ReadContext,
  stack: ReadonlySet<unknown>,
  skip: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const firstLine = new Map<string, number>();
  const merges: unknown[] = [];
  for (const pair of pairs) {
    const keyNode = pair.key;
    if (isScalar(keyNode) && (typeof keyNode.value === 'symbol' || keyNode.source === '<<')) {
      merges.push(pair.value);
      continue;
    }
    const keyRange = (keyNode as { range?: Range } | null)?.range;
    const keySpan = keyRange ? ([keyRange[0], keyRange[1]] as const) : undefined;
    if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
      ctx.sink.error(path, {
        code: 'bad-key',
        message: 'keys must be plain names, not lists or maps',
        fix: 'write the key as a name: `name: value`',
        span: keySpan,
      });
      continue;
    }
    const name = String(keyNode.value);
    if (skip.has(name)) continue;
    const line = keySpan && ctx.sink.source ? ctx.sink.source.position(keySpan[0]).line : 0;
    const earlier = firstLine.get(name);
    if (earlier !== undefined) {
      ctx.sink.error([...path, name], {
        code: 'duplicate-key',
        message: `"${name}" appears twice in ${formatPath(path) || 'the file'} (lines ${earlier} and ${line})`,
        fix: 'keep one of them: YAML would silently keep only one',
        span: keySpan,
      });
      continue;
    }
    firstLine.set(name, line);
    if (name.includes('${')) {
      ctx.sink.warn([...path, name], {
        code: 'key-not-interpolated',
        message: `"${name}" is a key: \${...} is only expanded in values`,
        span: keySpan,
      });
    }
    setOwn(out, name, readNode(pair.value, [...path, name], ctx, keySpan, stack));
  }
  for (const source of merges) mergeInto(out, source, path, ctx, stack, skip);
  return out;
}

function mergeInto(
  out: Record<string, unknown>,
  source: unknown,
  path: Path,
  ctx: ReadContext,
  stack: ReadonlySet<unknown>,
  skip: ReadonlySet<string>,
): void {
  const sources = isSeq(source) ? source.items : [source];
  for (const item of sources) {
    const target = isAlias(item) ? item.resolve(ctx.doc) : item;
    if (!isMap(target)) {
      const range = (item as { range?: Range } | null)?.range;
      ctx.sink.error(path, {
        code: 'bad-merge',
        message: '`<<` merges maps only: its value must be an alias of a map (`<<: *defaults`)',
        fix: 'point `<<` at a map anchor, e.g. `<<: *defaults` with `x-defaults: &defaults {...}`',
        span: range ? [range[0], range[1]] : undefined,
      });
      continue;
    }
    if (stack.has(target)) continue;
    const present = new Set([...skip, ...Object.keys(out)]);
    const merged = readPairs(target.items, path, ctx, new Set(stack).add(target), present);
    for (const [key, value] of Object.entries(merged)) {
      if (!Object.prototype.hasOwnProperty.call(out, key)) setOwn(out, key, value);
    }
  }
}

function expand(
  text: string,
  info: { start: number; raw: string },
  path: Path,
  ctx: ReadContext,
  node: object,
): Interpolation {
  const result = interpolate(text, ctx.env);
  for (const name of result.used) ctx.substituted.set(name, ctx.env[name] ?? '');
  if (ctx.reported.has(node)) return result;
  ctx.reported.add(node);
  for (const problem of result.problems) {
    const at = info.raw.indexOf(problem.text.slice(0, 2 + (problem.name?.length ?? 0)));
    const offset = info.start + Math.max(at, 0);
    const span = [offset, offset + problem.text.length] as const;
    if (problem.kind === 'missing') {
      ctx.sink.error(path, {
        code: 'missing-variable',
        message: `environment variable ${problem.name} is not set (used as ${problem.text})`,
        fix: `set ${problem.name} in .env or the environment, or give a default: \${${problem.name}:-value}`,
        span,
      });
    } else {
      ctx.sink.error(path, {
        code: 'bad-interpolation',
        message: `cannot read the reference ${problem.text}: write \${NAME} or \${NAME:-default}`,
        fix: 'write $${ for a literal "${"',
        span,
      });
    }
  }
  return result;
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
