import { formatPath, type PathSegment } from './paths.js';

/** A map key or a list item that starts on a line, at a column. */
interface Step {
  column: number;
  key?: string;
  item?: true;
}

const KEY =
  /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s#'"[\]{},&*!|>%@`-][^\s:#]*|-[^\s:#]+)[ \t]*:(?:[ \t]|$)/;

function isContent(line: string): boolean {
  const trimmed = line.trim();
  return trimmed !== '' && !trimmed.startsWith('#');
}

function unquote(key: string): string {
  if (key.startsWith('"')) return JSON.parse(key) as string;
  if (key.startsWith("'")) return key.slice(1, -1);
  return key;
}

/** The list items and the key a line starts, outermost first (`  - go-live:` is both). */
function stepsOf(line: string): Step[] {
  const steps: Step[] = [];
  let column = /^[ \t]*/.exec(line)![0].length;
  let rest = line.slice(column);
  for (let dash = /^-(?:[ \t]+|$)/.exec(rest); dash; dash = /^-(?:[ \t]+|$)/.exec(rest)) {
    steps.push({ column, item: true });
    column += dash[0].length;
    rest = rest.slice(dash[0].length);
  }
  const key = KEY.exec(rest);
  if (key) steps.push({ column, key: unquote(key[1]!) });
  return steps;
}

function indentOf(line: string): number {
  return /^[ \t]*/.exec(line)![0].length;
}

/** The index of the list item starting on `lines[at]` at `column`, among its siblings above. */
function itemIndex(lines: readonly string[], at: number, column: number): number {
  let index = 0;
  for (let i = at - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (!isContent(line)) continue;
    const indent = indentOf(line);
    if (indent < column) break;
    if (indent > column) continue;
    if (!/^-(?:[ \t]|$)/.test(line.slice(indent))) break;
    index++;
  }
  return index;
}

/**
 * The line of the key holding the list whose item starts on `lines[at]` at `column`: above
 * it, at that column or left of it, and not itself an item of the list; -1 when none.
 */
function listOwner(lines: readonly string[], at: number, column: number): number {
  for (let j = at - 1; j >= 0; j--) {
    const above = lines[j]!;
    if (!isContent(above)) continue;
    const indent = indentOf(above);
    if (indent > column) continue;
    if (indent === column && /^-(?:[ \t]|$)/.test(above.slice(indent))) continue;
    return j;
  }
  return -1;
}

/**
 * The bots.yaml path of the value written at `offset`, read from the indentation alone, so
 * it also works where the YAML does not parse (a syntax error's position). A position on a
 * blank line or a comment belongs to the last value above it. Flow collections (`[a, b]`)
 * are not entered: their key is the path.
 *
 * @example
 * ```ts
 * yamlPathAt('alice:\n  cogs:\n    - go-live:\n        channels: "x\n', 50); // 'alice.cogs[0].go-live.channels'
 * ```
 */
export function yamlPathAt(text: string, offset: number): string {
  const lines = text.split('\n');
  let at = text.slice(0, Math.max(0, offset)).split('\n').length - 1;
  while (at >= 0 && !isContent(lines[at] ?? '')) at--;
  const path: PathSegment[] = [];
  // Only steps starting left of `limit` can hold what was found so far.
  let limit = Number.POSITIVE_INFINITY;
  for (let i = at; i >= 0; i--) {
    const line = lines[i]!;
    if (!isContent(line)) continue;
    if (indentOf(line) >= limit) continue;
    const steps = stepsOf(line).filter((s) => s.column < limit);
    if (steps.length === 0) {
      limit = Math.min(limit, indentOf(line));
      continue;
    }
    for (const step of [...steps].reverse()) {
      path.unshift(step.item ? itemIndex(lines, i, step.column) : (step.key as string));
    }
    const outer = steps[0]!;
    // A list may sit at its key's own column (`cogs:` then `- a` below it, unindented).
    limit = outer.item ? outer.column + 1 : outer.column;
    if (outer.item) i = listOwner(lines, i, outer.column) + 1;
  }
  return formatPath(path);
}
