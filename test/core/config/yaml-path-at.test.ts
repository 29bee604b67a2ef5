import { describe, expect, it } from 'vitest';
import { yamlPathAt } from '../../../core/config/yaml-path-at.js';

/** The path at 1-based `line` and `column` of `text`. */
function pathAt(text: string, line: number, column: number): string {
  const before = text.split('\n').slice(0, line - 1);
  const offset = before.reduce((n, l) => n + l.length + 1, 0) + column - 1;
  return yamlPathAt(text, offset);
}

describe('yamlPathAt: the path of a position, from indentation, even where YAML does not parse', () => {
  it('names the key written on the line', () => {
    expect(pathAt('alice:\n  prefix: "?\n  cogs: [eventsub]\n', 2, 11)).toBe('alice.prefix');
    expect(pathAt('alice:\n  cogs: [go-lvie]\n\tprefix: "?"\n', 3, 1)).toBe('alice.prefix');
    expect(pathAt('alice:\n  "odd key": x\n', 2, 14)).toBe('alice["odd key"]');
  });

  it('counts list items, indented or level with their key, and enters a cog entry', () => {
    const indented = 'alice:\n  cogs:\n    - eventsub\n    - go-live:\n        channels: "x\n';
    expect(pathAt(indented, 5, 19)).toBe('alice.cogs[1].go-live.channels');
    const level = 'alice:\n  cogs:\n  - eventsub\n  - echo\n  - go-live:\n      message: "x\n';
    expect(pathAt(level, 6, 16)).toBe('alice.cogs[2].go-live.message');
    const items =
      '# c\nalice:\n  prefix: "!"\n\nbob:\n  cogs:\n    - a\n    -\n      b: c\n    - d: [\n';
    expect(pathAt(items, 10, 10)).toBe('bob.cogs[2].d');
  });

  it('gives a blank line or the end of the file to the last value above it', () => {
    expect(pathAt('alice:\n  cogs:\n    - eventsub\n  channels: [a\n', 5, 1)).toBe(
      'alice.channels',
    );
    expect(pathAt('', 1, 1)).toBe('');
    expect(pathAt('# only a comment\n', 1, 3)).toBe('');
  });
});
