import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssues } from '../../../core/config/index.js';
import { loadEverything } from '../../../src/load.js';

/** Loads a bots.yaml with the real built-in cogs. */
async function load(yaml: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'chat-commands-settings-'));
  const file = path.join(dir, 'bots.yaml');
  writeFileSync(file, yaml);
  return loadEverything({ cwd: dir, file, env: {} });
}

describe('chat-commands settings in bots.yaml', () => {
  it('loads the example of the issue, short and long forms', async () => {
    const loaded = await load(
      [
        'alice:',
        '  channels: [alice]',
        '  cogs:',
        '    - chat-commands:',
        '        commands:',
        '          discord: "Join us at {args}"',
        '          Hug: { response: "{displayName} hugs {touser}", permission: subscriber, cooldown: { user: 30 } }',
        '        timers:',
        '          - { every: 15m, min_chat_lines: 5, messages: ["Follow!", "Live for {uptime}"] }',
        '',
      ].join('\n'),
    );
    expect(loaded.errors).toEqual([]);
    const settings = loaded.config?.bots[0]?.cogs[0]?.settings as Record<string, unknown>;
    expect(settings).toMatchObject({
      commands: {
        discord: 'Join us at {args}',
        Hug: { permission: 'subscriber', cooldown: { user: 30, global: 0 }, reply: false },
      },
      timers: [{ every: '15m', min_chat_lines: 5, only_when_live: true }],
      default_cooldown: { global: 5, user: 0 },
      helix_cache_seconds: 60,
    });
  });

  it('reports an unknown variable as an error naming it, at its line, with a suggestion', async () => {
    const loaded = await load(
      [
        'alice:',
        '  channels: [alice]',
        '  cogs:',
        '    - chat-commands:',
        '        commands:',
        '          game: "Now playing {gmae}"',
        '          so: { response: "Follow {touser}! {unknownthing}" }',
        '        timers:',
        '          - { messages: ["hi {user}"] }',
        '',
      ].join('\n'),
    );
    expect(loaded.config).toBeUndefined();
    const found = loaded.errors.map((e) => [e.path, e.line, e.message]);
    expect(found).toEqual([
      ['alice.cogs[0].chat-commands.commands.game', 6, 'unknown variable {gmae}'],
      ['alice.cogs[0].chat-commands.commands.so.response', 7, 'unknown variable {unknownthing}'],
      [
        'alice.cogs[0].chat-commands.timers[0].messages[0]',
        9,
        'variable {user} has no meaning in a timer: nobody ran a command',
      ],
    ]);
    const text = formatIssues(loaded.errors, { color: false });
    expect(text).toContain('did you mean {game}?');
    expect(text).toMatch(/bots\.yaml:6:\d+ error/);
  });

  it('refuses a name used twice, a name clashing with the built-in commands and a bad duration', async () => {
    const loaded = await load(
      [
        'alice:',
        '  channels: [alice]',
        '  cogs:',
        '    - chat-commands:',
        '        commands:',
        '          dc: "Discord"',
        '          discord: { response: "Discord", aliases: [DC] }',
        '          cmd: "mine"',
        '        timers:',
        '          - { every: soon, messages: ["hi"] }',
        '',
      ].join('\n'),
    );
    const messages = loaded.errors.map((e) => e.message);
    expect(messages).toContain(
      'command name "dc" is used twice (command "dc" and an alias of "discord")',
    );
    expect(messages).toContain(
      'command name "cmd" is used twice (manage.command and command "cmd")',
    );
    expect(messages).toContain('cannot read the duration "soon"');
  });
});
