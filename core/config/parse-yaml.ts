import { LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import { SourceText } from './source-text.js';

/** A parsed bots.yaml: the document (possibly partial), its text, and yaml's own diagnostics. */
export interface ParsedYaml {
  doc: Document.Parsed;
  source: SourceText;
  /** yaml's syntax errors and warnings, not yet turned into issues (see {@link explainYamlError}). */
  diagnostics: Array<{ severity: 'error' | 'warning'; error: YAMLError }>;
}

/**
 * Parses bots.yaml with positions. Duplicate keys are *not* rejected here (the loader
 * reports them itself, naming both lines); `<<` merge keys are enabled so anchors from
 * `x-` sections can be merged into bots.
 *
 * @example
 * ```ts
 * const { doc, diagnostics } = parseYaml('alice:\n  prefix: "?"\n');
 * doc.getIn(['alice', 'prefix']); // '?'
 * diagnostics.length; // 0
 * ```
 */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: false,
    merge: true,
  });
  const diagnostics: ParsedYaml['diagnostics'] = [
    ...doc.errors.map((error) => ({ severity: 'error' as const, error })),
    ...doc.warnings.map((error) => ({ severity: 'warning' as const, error })),
  ];
  return { doc, source: new SourceText(text, lineCounter), diagnostics };
}

const FIXES: Partial<Record<YAMLError['code'], string>> = {
  TAB_AS_INDENT: 'indent with spaces: YAML does not allow tabs for indentation',
  BAD_INDENT: 'line the keys of one map up in the same column (same number of spaces)',
  MISSING_CHAR: 'close the quote or bracket that was opened, or add the missing `:`',
  BAD_SCALAR_START: 'quote the value: `key: "@value"`',
  BLOCK_AS_IMPLICIT_KEY: 'check the indentation and the `:` of the line above',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line: is a `:` or a closing quote missing?',
  UNEXPECTED_TOKEN: 'check this line: a list item (`- `) and a key cannot share a line',
  BAD_DQ_ESCAPE: 'in double quotes write a backslash as `\\\\`, or use single quotes',
  MULTIPLE_DOCS: 'keep every bot in one document: remove the second `---`',
  BAD_ALIAS: 'define the anchor (`&name`) before using it (`*name`)',
  MULTIPLE_ANCHORS: 'give a value at most one `&anchor`',
  MULTIPLE_TAGS: 'give a value at most one `!tag`',
  TAG_RESOLVE_FAILED: 'remove the `!tag`, or quote the value if the `!` is part of it',
  KEY_OVER_1024_CHARS: 'shorten the key',
  NON_STRING_KEY: 'use a plain name as the key',
};

/**
 * A yaml library error as message + fix + offsets, with messages made friendlier for
 * the few cases people hit most.
 *
 * @example
 * ```ts
 * const { diagnostics } = parseYaml('a:\n\tb: 1\n');
 * explainYamlError(diagnostics[0]!.error).fix; // 'indent with spaces: ...'
 * ```
 */
export function explainYamlError(
  error: YAMLError,
  text = '',
): {
  message: string;
  fix?: string;
  span: [number, number];
} {
  let message = error.message.split('\n')[0] ?? error.message;
  let fix = FIXES[error.code];
  let [start, end] = error.pos;
  if (error.code === 'MULTIPLE_DOCS') message = 'bots.yaml must hold a single YAML document';
  if (/end with a ([\]}])/.test(message)) {
    fix = `close it with "${/end with a ([\]}])/.exec(message)?.[1]}" on the line where it starts, or write it as an indented block`;
  }
  const quote = /closing (["'])quote/.exec(message)?.[1];
  if (error.code === 'MISSING_CHAR' && quote) {
    // yaml reports an unclosed quote where the file ends; point at where it was opened.
    const opened = findUnclosedQuote(text, quote, start);
    if (opened !== undefined) [start, end] = [opened, opened + 1];
    message = `missing closing ${quote} for the text starting here`;
    fix = `add the closing ${quote} at the end of the value`;
  }
  return { message: `YAML: ${lowerFirst(message)}`, fix, span: [start, end] };
}

/** The offset of the last `key: "` (or `- "`) whose line has no closing quote, before `limit`. */
function findUnclosedQuote(text: string, quote: string, limit: number): number | undefined {
  const lines = text.slice(0, limit).split('\n');
  let offset = 0;
  let found: number | undefined;
  for (const line of lines) {
    const match = new RegExp(`(?:^|:\\s|-\\s|[\\[{,]\\s*)(${quote})`).exec(line);
    if (match && match.index !== undefined) {
      const at = line.indexOf(quote, match.index);
      const rest = line.slice(at + 1);
      if (!rest.includes(quote)) found = offset + at;
    }
    offset += line.length + 1;
  }
  return found;
}

function lowerFirst(text: string): string {
  return text.length > 1 && /^[A-Z][a-z]/.test(text)
    ? text[0]!.toLowerCase() + text.slice(1)
    : text;
}
