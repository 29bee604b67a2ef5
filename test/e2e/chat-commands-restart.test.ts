import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../../src/testing/index.js';
import { ask, expectSilence, PING } from '../plugins/chat-commands/helpers.js';

const MOD = { moderator: true } as const;
const bots: TestBot[] = [];
let dataDir = '';

async function start(): Promise<TestBot> {
  const t = await startTestBot({ dataDir, cogs: [{ 'chat-commands': { commands: PING } }] });
  bots.push(t);
  return t;
}

afterAll(async () => {
  for (const t of bots) await t.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a command made in chat survives a restart', () => {
  it('keeps the command, its alias, its level and its counter', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'chat-commands-restart-'));
    const first = await start();
    expect(await ask(first, 'mod1', '!cmd add !deaths -cd=0 Deaths: {count}', MOD)).toBe(
      'Added !deaths.',
    );
    expect(await ask(first, 'viewer1', '!deaths')).toBe('Deaths: 1');
    expect(await ask(first, 'mod1', '!cmd alias d deaths', MOD)).toBe('!d now runs !deaths.');
    expect(await ask(first, 'viewer2', '!d')).toBe('Deaths: 2');
    expect(await ask(first, 'mod1', '!cmd add subonly -ul=sub -cd=0 subs only', MOD)).toBe(
      'Added !subonly.',
    );
    await first.stop();

    const second = await start();
    expect(second.dataDir).toBe(dataDir);
    expect(await ask(second, 'viewer1', '!deaths')).toBe('Deaths: 3');
    expect(await ask(second, 'viewer3', '!D')).toBe('Deaths: 4');
    await expectSilence(second, () => second.viewer('viewer1').says('!subonly'));
    expect(await ask(second, 'fan', '!subonly', { subscriber: 2 })).toBe('subs only');
    expect(await ask(second, 'viewer1', '!commands')).toBe('Commands: !commands, !deaths, !ping');
  });
});
