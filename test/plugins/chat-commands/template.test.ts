import { describe, expect, it } from 'vitest';
import type { ChatUser } from '../../../core/index.js';
import { formatUptime, parseDuration } from '../../../plugins/chat-commands/duration.js';
import { parseFlags } from '../../../plugins/chat-commands/flags.js';
import { render, type RenderScope } from '../../../plugins/chat-commands/render.js';
import { neutralize, parseTemplate } from '../../../plugins/chat-commands/template.js';

const bob: ChatUser = {
  id: '7',
  login: 'bob',
  displayName: 'Bob_TV',
  badges: {},
  isBroadcaster: false,
  isModerator: false,
  isVip: false,
  isSubscriber: false,
};

async function run(source: string, args: string[] = [], scope: Partial<RenderScope> = {}) {
  const { template, problems } = parseTemplate(source, 'command');
  if (!template) throw new Error(problems.map((p) => p.message).join('; '));
  return render(template, {
    channel: 'alice',
    invocation: { user: bob, args, argsText: args.join(' ') },
    ...scope,
  });
}

describe('text command templates', () => {
  it('fills in who ran it, the channel and the arguments', async () => {
    expect(await run('{user}/{displayName} in {channel}: {args}', ['a', 'b'])).toBe(
      'bob/Bob_TV in alice: a b',
    );
    expect(await run('{1} then {2}, {9|nothing}', ['x', 'y'])).toBe('x then y, nothing');
    expect(await run('{DISPLAYNAME} hugs {touser}', ['@Carol'])).toBe('Bob_TV hugs Carol');
    expect(await run('{displayName} hugs {touser}')).toBe('Bob_TV hugs Bob_TV');
    expect(await run('{args|no question}')).toBe('no question');
  });

  it('writes braces with {{ and }} and leaves text that is not a variable alone', async () => {
    expect(await run('{{user}} is {user} :{ }')).toBe('{user} is bob :{ }');
  });

  it('rolls {random a-b} within the range, both ends included', async () => {
    expect(await run('{random 1-6}', [], { random: () => 0 })).toBe('1');
    expect(await run('{random 1-6}', [], { random: () => 0.9999 })).toBe('6');
    expect(await run('{random -5--1}', [], { random: () => 0.5 })).toBe('-3');
  });

  it('counts once per use, even when {count} appears twice', async () => {
    let n = 41;
    const count = async () => ++n;
    expect(await run('#{count} ({count})', [], { count })).toBe('#42 (42)');
  });

  it('reads uptime, game and title once, and says unknown when Helix failed', async () => {
    let asked = 0;
    const startedAt = new Date(10_000);
    const stream = async () => {
      asked++;
      return { live: true, startedAt, game: 'Chess', title: 'Blitz' };
    };
    const now = () => 10_000 + 7_500_000;
    expect(await run('{uptime} of {game}: {title}', [], { stream, now })).toBe(
      '2h 5m of Chess: Blitz',
    );
    expect(asked).toBe(1);
    const offline = async () => ({ live: false, game: '', title: 'Soon' });
    expect(await run('{uptime} {game} {title}', [], { stream: offline })).toBe(
      'offline no category Soon',
    );
    expect(await run('{uptime} {game}', [], { stream: async () => undefined })).toBe(
      'unknown unknown',
    );
  });

  it('names an unknown variable, suggesting the closest one', () => {
    const { problems } = parseTemplate('Now playing {gmae}', 'command');
    expect(problems[0]?.message).toBe('unknown variable {gmae}');
    expect(problems[0]?.fix).toMatch(/^did you mean \{game\}\?/);
  });

  it('refuses variables that make no sense where they are used', () => {
    expect(parseTemplate('hi {user}', 'timer').problems[0]?.message).toMatch(
      /\{user\} has no meaning in a timer/,
    );
    expect(parseTemplate('{random 6-1}', 'command').problems[0]?.message).toMatch(/range/);
    expect(parseTemplate('{game|x}', 'command').problems[0]?.message).toMatch(/fallback/);
    expect(parseTemplate('{user 2}', 'command').problems[0]?.message).toMatch(/no argument/);
    expect(parseTemplate('/ban {1}', 'command').problems[0]?.message).toMatch(/cannot start/);
    expect(parseTemplate('   ', 'command').problems[0]?.message).toMatch(/empty/);
    expect(parseTemplate('... and more', 'command').problems).toEqual([]);
  });

  it('never lets a viewer start the message with a chat command', async () => {
    expect(await run('{args}', ['/disconnect'])).toBe('disconnect');
    expect(await run('{1}', ['.ban', 'x'])).toBe('ban');
    expect(await run('/me waves at {touser}', ['/ban'])).toBe('/me waves at /ban');
    expect(neutralize('\\/. x', false)).toBe('x');
  });
});

describe('durations, uptime and flags', () => {
  it('reads minutes or h/m/s durations', () => {
    expect(parseDuration(15)).toBe(900_000);
    expect(parseDuration('0.5')).toBe(30_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration(0)).toBeUndefined();
  });

  it('prints uptime compactly', () => {
    expect(formatUptime(45_000)).toBe('45s');
    expect(formatUptime(725_000)).toBe('12m 5s');
    expect(formatUptime(7_500_000)).toBe('2h 5m');
  });

  it('reads Nightbot-style flags before the response', () => {
    expect(parseFlags(['-ul=mod', '-cd=30', '-ucd=5', '-count=3', 'hi', '-x=1'])).toEqual({
      flags: { permission: 'moderator', global: 30, user: 5, count: 3 },
      rest: ['hi', '-x=1'],
    });
    expect(parseFlags(['-ul=regular']).error).toMatch(/Unknown level "regular"/);
    expect(parseFlags(['-cd=soon']).error).toMatch(/whole number/);
    expect(parseFlags(['-zz=1']).error).toMatch(/Unknown option -zz/);
  });
});
