import { describe, expect, it } from 'vitest';
import { formatIssues } from '../../../core/config/index.js';
import type { ConfigIssue } from '../../../core/config/index.js';
import { errorsOf, load } from './helpers.js';

describe('formatIssues', () => {
  it('prints compiler-style blocks with the source line, a caret and the fix', async () => {
    const text = 'alice:\n  cogs:\n    - eventsub\n    - go-live:\n        channels: alice\n';
    const out = formatIssues(errorsOf(await load(text)));
    const lines = out.split('\n');
    expect(lines[0]).toBe(
      'bots.yaml:5:19 error alice.cogs[1].go-live.channels: expected a list, got "alice"',
    );
    expect(lines[1]).toBe('    5 |         channels: alice');
    expect(lines[2]).toBe('      |                   ^^^^^');
    expect(lines[3]).toBe('  fix: write it as a list: channels: [alice]');
    expect(lines.at(-1)).toBe('1 error, 0 warnings');
  });

  it('sorts by file then line, environment last, and handles issues without a line', () => {
    const issues: ConfigIssue[] = [
      {
        severity: 'error',
        file: 'environment',
        path: 'alice',
        message: 'missing environment variable ALICE_CLIENT_ID',
      },
      { severity: 'warning', file: 'bots.yaml', line: 9, column: 3, path: 'bob', message: 'later' },
      {
        severity: 'error',
        file: 'bots.yaml',
        line: 2,
        column: 5,
        path: 'alice.prefix',
        message: 'earlier',
        fix: 'do it',
      },
    ];
    const heads = formatIssues(issues, { summary: false })
      .split('\n\n')
      .map((block) => block.split('\n')[0]);
    expect(heads).toEqual([
      'bots.yaml:2:5 error alice.prefix: earlier',
      'bots.yaml:9:3 warning bob: later',
      'environment error alice: missing environment variable ALICE_CLIENT_ID',
    ]);
  });

  it('colours only when asked', async () => {
    const errors = errorsOf(await load('alice:\n  cogs: [go-lvie]\n'));
    expect(formatIssues(errors)).not.toContain('\u001b[');
    const coloured = formatIssues(errors, { color: true });
    expect(coloured).toContain('\u001b[31m');
    const ESC = String.fromCharCode(27);
    expect(
      coloured
        .split(ESC)
        .map((part, i) => (i === 0 ? part : part.replace(/^\[\d+m/, '')))
        .join(''),
    ).toBe(formatIssues(errors));
  });

  it('underlines a value spanning lines up to the end of its first line', () => {
    const issue: ConfigIssue = {
      severity: 'error',
      file: 'bots.yaml',
      line: 1,
      column: 4,
      endLine: 3,
      endColumn: 2,
      excerpt: 'a: [1,',
      path: 'a',
      message: 'm',
    };
    expect(formatIssues([issue], { summary: false }).split('\n')[2]).toBe('      |    ^^^');
  });
});
