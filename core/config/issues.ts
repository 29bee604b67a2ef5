import type { ConfigIssue, FormatOptions } from './types.js';

const ANSI = {
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
  reset: '\u001b[0m',
} as const;

/**
 * Issues in reading order: by file (`environment` last), line, column, errors before warnings.
 *
 * @example
 * ```ts
 * sortIssues([...result.errors, ...result.warnings]);
 * ```
 */
export function sortIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const fileRank = (issue: ConfigIssue) => (issue.file === 'environment' ? 1 : 0);
  return [...issues].sort(
    (a, b) =>
      fileRank(a) - fileRank(b) ||
      a.file.localeCompare(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1),
  );
}

/**
 * Renders issues like a compiler, one block per issue, sorted by file and line:
 *
 * ```text
 * bots.yaml:7:5 error alice.cogs[1].go-live.channels: expected a list, got "alice"
 *     7 |     channels: alice
 *       |               ^^^^^
 *   fix: write it as a list: channels: [alice]
 * ```
 *
 * ending with a count (`1 error, 0 warnings`) unless `summary: false`.
 *
 * @example
 * ```ts
 * const result = await loadConfig({ catalog });
 * if (!result.ok) console.error(formatIssues([...result.errors, ...result.warnings], { color: process.stderr.isTTY }));
 * ```
 */
export function formatIssues(issues: readonly ConfigIssue[], options: FormatOptions = {}): string {
  const paint = (code: string, text: string) =>
    options.color ? `${code}${text}${ANSI.reset}` : text;
  const blocks = sortIssues(issues).map((issue) => {
    const where = [issue.file, issue.line, issue.line === undefined ? undefined : issue.column]
      .filter((part) => part !== undefined)
      .join(':');
    const severity =
      issue.severity === 'error'
        ? paint(ANSI.red + ANSI.bold, 'error')
        : paint(ANSI.yellow + ANSI.bold, 'warning');
    const subject = issue.path ? `${paint(ANSI.bold, issue.path)}: ` : '';
    const lines = [`${paint(ANSI.cyan, where)} ${severity} ${subject}${issue.message}`];
    if (issue.line !== undefined && issue.excerpt !== undefined)
      lines.push(...excerpt(issue, paint));
    if (issue.fix) lines.push(`  ${paint(ANSI.green, 'fix:')} ${issue.fix}`);
    return lines.join('\n');
  });
  if (options.summary !== false) blocks.push(summary(issues));
  return blocks.join('\n\n');
}

function excerpt(issue: ConfigIssue, paint: (code: string, text: string) => string): string[] {
  const line = issue.line ?? 0;
  const text = (issue.excerpt ?? '').replace(/\t/g, ' ');
  const column = Math.max(1, issue.column ?? 1);
  const sameLine = issue.endLine === undefined || issue.endLine === line;
  const end = sameLine && issue.endColumn !== undefined ? issue.endColumn : text.length + 1;
  const width = Math.max(1, Math.min(end, text.length + 1) - column);
  const gutter = String(line).padStart(5);
  const blank = ' '.repeat(gutter.length);
  const caret = paint(issue.severity === 'error' ? ANSI.red : ANSI.yellow, '^'.repeat(width));
  return [
    `${paint(ANSI.dim, `${gutter} |`)} ${text}`,
    `${paint(ANSI.dim, `${blank} |`)} ${' '.repeat(column - 1)}${caret}`,
  ];
}

function summary(issues: readonly ConfigIssue[]): string {
  const errors = issues.filter((issue) => issue.severity === 'error').length;
  const warnings = issues.length - errors;
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
