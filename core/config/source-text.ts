import { LineCounter } from 'yaml';
import type { SourcePosition } from './types.js';

/**
 * The text of bots.yaml with fast offset -> line/column conversion (yaml's
 * {@link LineCounter}, filled while parsing).
 *
 * @example
 * ```ts
 * const source = new SourceText('a: 1\nb: 2\n');
 * source.position(5); // { line: 2, column: 1 }
 * source.lineText(2); // 'b: 2'
 * ```
 */
export class SourceText {
  readonly lineCounter: LineCounter;

  constructor(
    readonly text: string,
    lineCounter?: LineCounter,
  ) {
    this.lineCounter = lineCounter ?? SourceText.count(text);
  }

  private static count(text: string): LineCounter {
    const counter = new LineCounter();
    counter.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      counter.addNewLine(i + 1);
    }
    return counter;
  }

  /** 1-based line and column of a character offset. */
  position(offset: number): SourcePosition {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const { line, col } = this.lineCounter.linePos(clamped);
    return { line, column: col };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const starts = this.lineCounter.lineStarts;
    const start = starts[line - 1];
    if (start === undefined) return '';
    const end = starts[line] ?? this.text.length;
    return this.text.slice(start, end).replace(/\r?\n$/, '');
  }
}
