import type { z } from 'zod';
import { describeValue } from './describe.js';
import type { IssueInit, NodeInfo } from './issue-sink.js';
import type { PathSegment } from './paths.js';
import { didYouMean, suggest } from './suggest.js';

type ZodIssue = z.core.$ZodIssue;

/** What {@link explainZodIssue} needs to know about the settings being checked. */
export interface SettingsView {
  cog: string;
  /** The settings as written (after `${VAR}` expansion). */
  input: unknown;
  /** Where a settings value sits in the file, by its path inside the settings. */
  node(path: readonly PathSegment[]): NodeInfo | undefined;
  /** The setting names the schema accepts at a path inside the settings, if known. */
  knownKeys(path: readonly PathSegment[]): readonly string[];
}

/** A zod issue in words, with its path inside the settings. */
export interface ExplainedIssue {
  path: PathSegment[];
  init: IssueInit;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  tuple: 'a list',
  set: 'a list',
  object: 'a map',
  record: 'a map',
  map: 'a map',
  date: 'a date',
  null: 'nothing (null)',
  literal: 'a fixed value',
  enum: 'one of the allowed values',
};

const EXAMPLE: Record<string, string> = {
  string: '"..."',
  number: '1',
  int: '1',
  boolean: 'true',
  array: '[...]',
  object: '{...}',
  record: '{...}',
};

const FORMATS: Record<string, string> = {
  url: 'a URL (https://...)',
  email: 'an email address',
  uuid: 'a UUID',
  regex: 'text matching a pattern',
  datetime: 'a date and time (2025-01-31T12:00:00Z)',
  date: 'a date (2025-01-31)',
  time: 'a time (12:00:00)',
  duration: 'an ISO 8601 duration (PT5M)',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
};

const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized key)/;

/**
 * Turns one zod issue (from a cog's settings schema) into messages in the loader's
 * voice: "expected X, got Y", "missing required setting", "unknown setting ... did you
 * mean". A message written by the cog author (`z.string({ error: '...' })`) is kept, and
 * `refine(..., { params: { fix: '...' } })` supplies the fix.
 *
 * @example
 * ```ts
 * const issue = z.object({ n: z.number() }).safeParse({ n: 'x' }).error!.issues[0]!;
 * explainZodIssue(issue, view)[0]!.init.message; // 'expected a number, got "x"'
 * ```
 */
export function explainZodIssue(
  issue: ZodIssue,
  view: SettingsView,
  base: PathSegment[] = [],
): ExplainedIssue[] {
  const path = [
    ...base,
    ...issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment))),
  ];
  const value = valueAt(view.input, path);
  const info = view.node(path);
  const got = describeValue(value, info);
  const custom = DEFAULT_MESSAGE.test(issue.message) ? undefined : issue.message;
  const one = (init: Omit<IssueInit, 'code'>): ExplainedIssue[] => [
    {
      path,
      init: {
        code: 'bad-setting',
        ...init,
        message: custom ? `${custom} (got ${got})` : init.message,
      },
    },
  ];
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const last = path.at(-1);
      if (value === undefined && last !== undefined) {
        const name = typeof last === 'number' ? `item ${last}` : `setting "${last}"`;
        return [
          {
            path,
            init: {
              code: 'missing-setting',
              message: custom ?? `missing required ${name} of cog "${view.cog}" (${expected})`,
              fix:
                typeof last === 'string'
                  ? `add ${last}: ${EXAMPLE[issue.expected] ?? '...'}`
                  : undefined,
            },
          },
        ];
      }
      return one({
        message: `expected ${expected}, got ${got}`,
        fix: typeFix(issue.expected, value, info, last),
      });
    }
    case 'invalid_value': {
      const choices = issue.values.map((v) => JSON.stringify(v));
      const near = typeof value === 'string' ? suggest(value, issue.values.map(String)) : undefined;
      return one({
        message: `expected ${choices.length === 1 ? choices[0] : `one of ${choices.join(', ')}`}, got ${got}`,
        fix: near ? `did you mean "${near}"?` : undefined,
      });
    }
    case 'too_small':
    case 'too_big':
      return one({
        message: `expected ${bound(issue)}, got ${sizeOf(value, issue.origin) ?? got}`,
      });
    case 'invalid_format': {
      const wanted =
        issue.format === 'regex' && issue.pattern
          ? `text matching ${issue.pattern}`
          : (FORMATS[issue.format] ?? `a valid ${issue.format}`);
      return one({ message: `expected ${wanted}, got ${got}` });
    }
    case 'not_multiple_of':
      return one({ message: `expected a multiple of ${issue.divisor}, got ${got}` });
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: [...path, key],
        init: {
          code: 'unknown-setting',
          message: `unknown setting "${key}" for cog "${view.cog}"`,
          fix: keyFix(key, view.knownKeys(path)),
          at: 'key' as const,
        },
      }));
    case 'invalid_union':
      return explainUnion(issue, view, path, got);
    case 'custom': {
      const fix = typeof issue.params?.fix === 'string' ? issue.params.fix : undefined;
      return [{ path, init: { code: 'bad-setting', message: issue.message, fix } }];
    }
    default:
      return one({ message: `${issue.message.replace(/^Invalid input: /, '')} (got ${got})` });
  }
}

function explainUnion(
  issue: z.core.$ZodIssueInvalidUnion,
  view: SettingsView,
  path: PathSegment[],
  got: string,
) {
  if (issue.errors.length === 0) {
    const what = issue.discriminator ? `"${issue.discriminator}"` : 'value';
    return [{ path, init: { code: 'bad-setting', message: `unknown ${what} ${got}` } }];
  }
  const shallow = issue.errors.every((branch) =>
    branch.every((i) => i.code === 'invalid_type' && i.path.length === 0),
  );
  if (shallow) {
    const expected = [
      ...new Set(
        issue.errors
          .flat()
          .map((i) => EXPECTED[(i as z.core.$ZodIssueInvalidType).expected] ?? 'other'),
      ),
    ];
    return [
      {
        path,
        init: { code: 'bad-setting', message: `expected ${expected.join(' or ')}, got ${got}` },
      },
    ];
  }
  // The branch that got furthest (deepest issue) is what the author most likely meant.
  const depth = (branch: readonly ZodIssue[]) => Math.max(...branch.map((i) => i.path.length));
  const best =
    [...issue.errors].sort((a, b) => depth(b) - depth(a) || a.length - b.length)[0] ?? [];
  return best.flatMap((inner) => explainZodIssue(inner, view, path));
}

function typeFix(
  expected: string,
  value: unknown,
  info: NodeInfo | undefined,
  last: PathSegment | undefined,
) {
  const key = typeof last === 'string' ? `${last}: ` : '- ';
  if (info?.interpolated && typeof value === 'string' && expected !== 'string') {
    return `${info.raw.trim()} always gives text: write the value in the file, or ask the cog to accept text (z.coerce)`;
  }
  if (expected === 'array' && (typeof value === 'string' || typeof value === 'number')) {
    return `write it as a list: ${key}[${info?.raw.trim() || String(value)}]`;
  }
  if (expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
    return `quote it: ${key}"${info?.raw.trim() || String(value)}"`;
  }
  if (expected === 'boolean' && typeof value === 'string' && /^(yes|no|on|off|y|n)$/i.test(value)) {
    return `YAML 1.2 reads ${value} as text: write true or false`;
  }
  if (expected === 'object' && value === null)
    return 'indent its settings under it, or remove the line';
  return undefined;
}

function keyFix(key: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return 'remove it';
  return suggest(key, known) ? didYouMean(key, known) : `known settings: ${known.join(', ')}`;
}

function bound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  const unit: Record<string, string> = {
    string: 'character',
    array: 'item',
    set: 'item',
    file: 'byte',
  };
  const noun = unit[issue.origin];
  if (noun) {
    const count = `${limit} ${noun}${limit === 1 ? '' : 's'}`;
    return issue.exact ? `exactly ${count}` : `${small ? 'at least' : 'at most'} ${count}`;
  }
  const inclusive = issue.inclusive !== false;
  return `a number ${small ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<'} ${limit}`;
}

function sizeOf(value: unknown, origin: string): string | undefined {
  if (origin === 'string' && typeof value === 'string') return `${[...value].length}`;
  if ((origin === 'array' || origin === 'set') && Array.isArray(value)) return `${value.length}`;
  return undefined;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return current;
}
