import { formatPath, pathKey, type Path } from './paths.js';
import type { SourceText } from './source-text.js';
import type { ConfigIssue } from './types.js';

/** Where one value of bots.yaml sits in the source, recorded while reading it. */
export interface NodeInfo {
  /** Offsets of the value (for an empty value, both at the end of its key's `:`). */
  start: number;
  end: number;
  /** Offsets of the key this value was found under, when it was a map value. */
  keyStart?: number;
  keyEnd?: number;
  /** The value's text exactly as written (quotes included). */
  raw: string;
  /** The YAML tag written on the value (`!` for a bare `!`), if any. */
  tag?: string;
  /** True when the value contained `${...}`: messages show `raw`, never the expanded text. */
  interpolated: boolean;
  /** True when a `${...}` in it could not be expanded: other complaints about it are noise. */
  broken?: boolean;
}

const INTERPOLATION_CODES = new Set(['missing-variable', 'bad-interpolation']);

/** What to report: everything except the location, which the sink finds from the path. */
export interface IssueInit {
  code: string;
  message: string;
  fix?: string;
  /** Point at the key (`prefix:`) rather than the value. Default: the value. */
  at?: 'key' | 'value';
  /** Explicit offsets, overriding the path lookup. */
  span?: readonly [number, number];
}

/**
 * Collects issues for one bots.yaml, turning paths into file:line:column using the
 * node index filled by `readNode`.
 *
 * @example
 * ```ts
 * const sink = new IssueSink('bots.yaml', new SourceText('alice:\n  prefix: ""\n'));
 * sink.error(['alice', 'prefix'], { code: 'bad-prefix', message: 'the prefix is empty' });
 * sink.issues[0]; // { severity: 'error', file: 'bots.yaml', path: 'alice.prefix', ... }
 * ```
 */
export class IssueSink {
  readonly issues: ConfigIssue[] = [];
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly suppressed: Array<readonly [number, number]> = [];

  constructor(
    readonly file: string,
    readonly source: SourceText | undefined,
  ) {}

  /**
   * Records where the value at `path` sits. Issues about a value whose `${...}` could not be
   * expanded are dropped, except the one saying so.
   */
  setNode(path: Path, info: NodeInfo): void {
    this.nodes.set(pathKey(path), info);
  }

  /** Where the value at `path` sits, if it was read from the file. */
  node(path: Path): NodeInfo | undefined {
    return this.nodes.get(pathKey(path));
  }

  /** Drops yaml's own diagnostics inside this range (used once a problem is explained better). */
  suppress(start: number, end: number): void {
    this.suppressed.push([start, end]);
  }

  isSuppressed(offset: number): boolean {
    return this.suppressed.some(([start, end]) => offset >= start && offset <= end);
  }

  error(path: Path, init: IssueInit): ConfigIssue | undefined {
    return this.add('error', path, init);
  }

  warn(path: Path, init: IssueInit): ConfigIssue | undefined {
    return this.add('warning', path, init);
  }

  /** An issue about the environment (file `environment`, no line). */
  environment(severity: ConfigIssue['severity'], path: string, init: IssueInit): ConfigIssue {
    const issue: ConfigIssue = { severity, file: 'environment', path, ...pick(init) };
    this.issues.push(issue);
    return issue;
  }

  /** An issue at explicit offsets, for problems that belong to no value (syntax errors). */
  at(
    severity: ConfigIssue['severity'],
    path: string,
    span: readonly [number, number],
    init: IssueInit,
  ) {
    const issue: ConfigIssue = {
      severity,
      file: this.file,
      path,
      ...pick(init),
      ...this.locate(span),
    };
    this.issues.push(issue);
    return issue;
  }

  private add(
    severity: ConfigIssue['severity'],
    path: Path,
    init: IssueInit,
  ): ConfigIssue | undefined {
    if (this.node(path)?.broken && !INTERPOLATION_CODES.has(init.code)) return undefined;
    const span = init.span ?? this.spanOf(path, init.at ?? 'value');
    const issue: ConfigIssue = { severity, file: this.file, path: formatPath(path), ...pick(init) };
    Object.assign(issue, span ? this.locate(span) : {});
    this.issues.push(issue);
    return issue;
  }

  /** The value's (or key's) offsets, falling back to the nearest recorded ancestor's key. */
  private spanOf(path: Path, at: 'key' | 'value'): readonly [number, number] | undefined {
    for (let length = path.length; length > 0; length -= 1) {
      const info = this.node(path.slice(0, length));
      if (!info) continue;
      const wantKey = at === 'key' || length < path.length || info.start === info.end;
      if (wantKey && info.keyStart !== undefined && info.keyEnd !== undefined) {
        return [info.keyStart, info.keyEnd];
      }
      return [info.start, info.end];
    }
    return undefined;
  }

  private locate(span: readonly [number, number]): Partial<ConfigIssue> {
    if (!this.source) return {};
    const start = this.source.position(span[0]);
    const end = this.source.position(Math.max(span[1], span[0] + 1));
    return {
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      excerpt: this.source.lineText(start.line),
    };
  }
}

function pick(init: IssueInit): Pick<ConfigIssue, 'message' | 'fix' | 'code'> {
  return init.fix === undefined || init.fix === ''
    ? { message: init.message, code: init.code }
    : { message: init.message, fix: init.fix, code: init.code };
}
