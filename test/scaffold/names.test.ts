import { describe, expect, it } from 'vitest';
import { checkCogName, CogNameError } from '../../src/scaffold/index.js';

describe('checkCogName', () => {
  it('takes kebab-case names', () => {
    for (const name of ['so', 'shout-box', 'points2discord', 'a-b-c'])
      expect(() => checkCogName(name, [])).not.toThrow();
  });

  it.each([
    ['Shout_Box', 'call it "shout-box"'],
    ['shoutBox', 'call it "shout-box"'],
    ['my cog', 'call it "my-cog"'],
    ['-x', 'call it "x"'],
    ['2fa', 'pick a name like "shout-box"'],
  ])('refuses %s with a fix', (name, fix) => {
    expect(() => checkCogName(name, [])).toThrow(CogNameError);
    expect(() => checkCogName(name, [])).toThrow(fix);
  });

  it('refuses one-letter, long, package-like and taken names', () => {
    expect(() => checkCogName('x', [])).toThrow('2 to 40 characters');
    expect(() => checkCogName('a'.repeat(41), [])).toThrow('2 to 40 characters');
    expect(() => checkCogName('streamcogs-hype', [])).toThrow('drop the prefix: "hype"');
    expect(() => checkCogName('routines', ['routines'])).toThrow('already exists');
  });
});
