import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../../src/testing/index.js';
import { FIXTURE_PLUGINS } from '../helpers/runtime.js';

describe('the test kit', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({
      cogs: ['echo_console'],
      pluginDirs: [FIXTURE_PLUGINS],
      discord: { guilds: ['112233445566778899'] },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('changes the cogs like a bots.yaml edit, refusing bad settings with the config error', async () => {
    await t.setCogs(['echo_console', { 'good-a': { greeting: 'set by setCogs' } }]);
    t.viewer('ada').says('!a');
    expect(await t.nextBotMessage()).toBe('set by setCogs');
    await expect(t.setCogs([{ 'good-a': { greeting: 42 } }])).rejects.toThrow(
      /test_bot\.cogs\[0\]\.good-a\.greeting/,
    );
  });

  it('knows when the bot has seen a chat line', async () => {
    const id = t.viewer('bob').says('just chatting');
    await t.botSaw(id);
    await expect(t.botSaw('no-such-id', 100)).rejects.toThrow('the bot to receive chat message');
  });

  it("finds the bot's Discord channels and collects webhook posts", async () => {
    const hook = t.discord.webhook('live');
    expect(hook.channelId).toBe(t.discord.channel('live'));
    const next = t.discord.nextPost('live');
    const res = await fetch(`${hook.url}?wait=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'we are live', username: 'Announcer' }),
    });
    expect(res.status).toBe(200);
    const post = await next;
    expect([post.content, post.author.username]).toEqual(['we are live', 'Announcer']);
    expect(t.discord.posts().map((m) => m.content)).toEqual(['we are live']);
    expect(() => t.discord.channel('nope')).toThrow('no channel "nope" in the sandbox guild');
  });

  it('says how to get fake time when it is real', async () => {
    await expect(t.clock.advance(1000)).rejects.toThrow('fakeTime: true');
  });
});

describe('fake time', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({ cogs: [], fakeTime: true });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('moves Date and setInterval timers, and leaves real time alone after stop', async () => {
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(Date.now()), 60_000);
    const before = t.clock.now();
    await t.clock.advance(180_000);
    clearInterval(timer);
    expect(ticks).toHaveLength(3);
    expect(t.clock.now() - before).toBeGreaterThanOrEqual(180_000);
  });
});

describe('Discord slash commands', () => {
  let t: TestBot;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'streamcogs-kit-'));
    await mkdir(path.join(dir, 'slashy'));
    await writeFile(
      path.join(dir, 'slashy', 'index.ts'),
      `import { definePlugin } from '${path.resolve('core/index.js')}';
export default definePlugin({
  name: 'slashy',
  description: 'answers /ping',
  setup(ctx) {
    ctx.discord?.registerCommand({
      data: { name: 'ping', description: 'Ping', options: [{ type: 3, name: 'word', description: 'a word' }] },
      run: (i) => i.reply({ content: 'pong ' + (i.options.getString('word') ?? '') + ' for ' + i.user.username }),
    });
  },
});
`,
    );
    t = await startTestBot({
      cogs: ['slashy'],
      pluginDirs: [dir],
      discord: { guilds: ['112233445566778899'] },
    });
  });
  afterAll(async () => {
    await t?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs a command the bot registered, as a member, and returns the reply', async () => {
    const reply = await t.discord.slash('ping', { options: { word: 'hi' }, user: 'ada' });
    expect(reply.content).toBe('pong hi for ada');
  });
});
