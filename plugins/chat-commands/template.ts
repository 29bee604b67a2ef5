import { closest } from './suggest.js';
import { variable, variableList, VARIABLES, type TemplateUse } from './variables.js';

/** A piece of a template: literal text or a variable. */
export type TemplatePart = { kind: 'text'; text: string } | VariablePart;

/** A variable in a template: `{name}`, `{random 1-6}`, `{1|fallback}`. */
export interface VariablePart {
  kind: 'var';
  /** Lower-case name. */
  name: string;
  min?: number;
  max?: number;
  fallback?: string;
  /** As written, braces included. */
  raw: string;
}

/** A checked template, ready to render. */
export interface Template {
  source: string;
  parts: readonly TemplatePart[];
  /** Lower-case names of the variables it uses. */
  uses: ReadonlySet<string>;
  /** It starts with `/me `: sent as an action. */
  action: boolean;
}

/** Why a template was refused, with how to fix it. */
export interface TemplateProblem {
  message: string;
  fix: string;
}

const TOKEN = /\{\{|\}\}|\{([^{}\s][^{}]*)\}/g;
const RANGE = /^(-?\d+)\s*-\s*(-?\d+)$/;
/** tmi.js and Twitch read these as chat commands (`..` is plain text). */
const COMMAND_START = /^(?:[/\\]|\.(?!\.))/;

/**
 * Checks a response or timer message and splits it into text and variables:
 * `{user}`, `{random 1-6}`, `{1|friend}`; `{{` and `}}` write braces. An unknown
 * variable, or one that has no meaning where it is used, is a problem naming it.
 *
 * @example
 * ```ts
 * const { template } = parseTemplate('Hi {user}, roll: {random 1-6}', 'command');
 * const { problems } = parseTemplate('Playing {gmae}', 'command');
 * problems[0].message; // 'unknown variable {gmae}'
 * ```
 */
export function parseTemplate(
  source: string,
  use: TemplateUse,
): { template?: Template; problems: TemplateProblem[] } {
  const parts: TemplatePart[] = [];
  const uses = new Set<string>();
  const problems: TemplateProblem[] = [];
  let text = '';
  let last = 0;
  for (const m of source.matchAll(TOKEN)) {
    text += source.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[1] === undefined) {
      text += m[0][0];
      continue;
    }
    const part = readVariable(m[1], m[0], use, problems);
    if (!part) continue;
    if (text) parts.push({ kind: 'text', text });
    text = '';
    parts.push(part);
    uses.add(part.name);
  }
  text += source.slice(last);
  if (text) parts.push({ kind: 'text', text });
  const action = /^\/me\s/i.test(source);
  if (!action && COMMAND_START.test(source.trimStart()))
    problems.push({
      message: `a message cannot start with "${source.trimStart()[0]}": Twitch would read it as a chat command`,
      fix: 'start it with a word; only "/me " is allowed',
    });
  if (!source.trim()) problems.push({ message: 'the message is empty', fix: 'write some text' });
  return problems.length > 0
    ? { problems }
    : { template: { source, parts, uses, action }, problems };
}

function readVariable(
  body: string,
  raw: string,
  use: TemplateUse,
  problems: TemplateProblem[],
): VariablePart | undefined {
  const [head = '', fallback] = splitOnce(body, '|');
  const [word = '', argument] = splitOnce(head.trim(), ' ');
  const spec = variable(word);
  if (!spec) {
    const guess = closest(
      word,
      VARIABLES.map((v) => v.name),
    );
    problems.push({
      message: `unknown variable ${raw}`,
      fix: `${guess ? `did you mean {${guess}}? ` : ''}variables: ${variableList(use)}; write {{ and }} for braces`,
    });
    return undefined;
  }
  if (spec.needsInvocation && use === 'timer') {
    problems.push({
      message: `variable ${raw} has no meaning in a timer: nobody ran a command`,
      fix: `timers may use ${variableList('timer')}`,
    });
    return undefined;
  }
  const name = spec.name.toLowerCase();
  if (fallback !== undefined && !spec.fallback) {
    problems.push({
      message: `variable {${spec.name}} takes no "|" fallback`,
      fix: 'only {args} and {1}..{9} have one, e.g. {1|friend}',
    });
    return undefined;
  }
  if (spec.argument === 'range') {
    const range = RANGE.exec((argument ?? '').trim());
    const min = Number(range?.[1]);
    const max = Number(range?.[2]);
    if (!range || min > max) {
      problems.push({
        message: `${raw} needs a range like {random 1-100}`,
        fix: 'write two whole numbers, the smaller first: {random 1-6}',
      });
      return undefined;
    }
    return { kind: 'var', name, min, max, raw };
  }
  if (argument !== undefined) {
    problems.push({
      message: `variable {${spec.name}} takes no argument (got ${raw})`,
      fix: `write {${spec.name}}`,
    });
    return undefined;
  }
  return { kind: 'var', name, raw, ...(fallback === undefined ? {} : { fallback }) };
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + sep.length)];
}

/**
 * Makes rendered text safe to send: when a variable put `/`, `\` or a single `.` at the
 * start (e.g. a viewer's `{args}` of `/ban streamer`), those characters are removed.
 * A template's own `/me ` stays.
 *
 * @example
 * ```ts
 * neutralize('/disconnect', false); // 'disconnect'
 * neutralize('/me waves', true); // '/me waves'
 * ```
 */
export function neutralize(text: string, action: boolean): string {
  if (action) {
    const rest = text.replace(/^\/me\s+/i, '');
    return `/me ${neutralize(rest, false)}`;
  }
  let out = text.trimStart();
  while (COMMAND_START.test(out)) out = out.slice(1).trimStart();
  return out;
}
