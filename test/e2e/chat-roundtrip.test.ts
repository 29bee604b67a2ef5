import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../../src/testing/index.js';
import { FIXTURE_PLUGINS } from '../helpers/runtime.js';

let t: TestBot;
const logs: string[] = [];
beforeAll(async () => {
  t = await startTestBot({
    cogs: ['echo_console', { 'good-a': { greeting: 'hello from the sandbox' } }],
    pluginDirs: [FIXTURE_PLUGINS],
    logLines: logs,
  });
});
afterAll(async () => {
  await t?.stop();
});

describe('a bot in the sandbox, through real tmi.js', () => {
  it('answers a viewer with a threaded reply and echo_console logs the line', async () => {
    const id = t.viewer('bob').says('!a');
    expect(await t.nextBotMessage()).toBe('hello from the sandbox');
    const sent = t.sandbox.chat
      .messagesFrom(t.login, t.channel)
      .find((r) => r.command === 'PRIVMSG');
    expect(sent?.tags?.['reply-parent-msg-id']).toBe(id);
    const echoed = logs
      .map((l) => JSON.parse(l))
      .find((l) => l.cog === 'echo-console' && l.user === 'bob');
    expect(echoed?.msg).toBe('#streamer <bob> !a');
  });

  it('is ready on /readyz with chat connected and every cog running', async () => {
    const res = await fetch(`${t.url}/readyz`);
    const body = (await res.json()) as {
      status: string;
      bots: Record<string, { platform: { twitch: { chat: string } } }>;
    };
    expect(res.status).toBe(200);
    expect(body.bots.test_bot?.platform.twitch.chat).toBe('connected');
  });
});
