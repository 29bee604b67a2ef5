import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../core/runtime.js';
import { botConfig, startTestRuntime } from '../helpers/runtime.js';

let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.stop();
  runtime = undefined;
});

describe('cog host', () => {
  it('rolls back a cog whose setup throws and keeps the others running', async () => {
    const started = await startTestRuntime([
      botConfig('alice', [
        { name: 'good-a', settings: { greeting: 'hi from a' } },
        { name: 'bad-setup', settings: {} },
        { name: 'good-b', settings: {} },
      ]),
    ]);
    runtime = started.runtime;
    const chat = started.platforms.get('alice')!;

    const cogs = runtime.bots.get('alice')!.host.status();
    expect(cogs).toEqual([
      { name: 'good-a', state: 'running' },
      { name: 'bad-setup', state: 'failed', error: 'setup failed on purpose' },
      { name: 'good-b', state: 'running' },
    ]);

    // Its partial registrations are undone: command, chat handler, bus handler, timer, route.
    await chat.inject('alice', 'viewer', '!bad');
    expect(chat.said).toEqual([]);
    expect(chat.emitter.listenerCount('message')).toBe(0);
    expect(runtime.bus.listenerCount('core:cog.started')).toBe(0);
    expect(runtime.scheduler.size).toBe(0);
    const gone = await fetch(`${runtime.url}/bots/alice/bad-setup/here`);
    expect(gone.status).toBe(404);

    // The others work.
    await chat.inject('alice', 'viewer', '!a');
    await chat.inject('alice', 'viewer', '!B');
    expect(chat.said.map((s) => s.text)).toEqual(['hi from a', 'b here']);
    const hello = await fetch(`${runtime.url}/bots/alice/good-a/hello`);
    expect(await hello.json()).toEqual({ greeting: 'hi from a', bot: 'alice' });

    // The failure shows on /readyz and in the log with bot and cog.
    const ready = await fetch(`${runtime.url}/readyz`);
    expect(ready.status).toBe(503);
    const failure = started.logs
      .map((l) => JSON.parse(l))
      .find((l) => l.msg?.startsWith('cog setup failed'));
    expect(failure).toMatchObject({ bot: 'alice', cog: 'bad-setup', level: 50 });
  });

  it('contains a handler error: logged with bot, cog and command, nothing sent, others keep working', async () => {
    const started = await startTestRuntime([
      botConfig('alice', [{ name: 'good-b', settings: {} }]),
    ]);
    runtime = started.runtime;
    const chat = started.platforms.get('alice')!;
    await chat.inject('alice', 'viewer', '!boom');
    await chat.inject('alice', 'viewer', '!b');
    expect(chat.said.map((s) => s.text)).toEqual(['b here']);
    const err = started.logs.map((l) => JSON.parse(l)).find((l) => l.label === 'command:boom');
    expect(err).toMatchObject({
      bot: 'alice',
      cog: 'good-b',
      msg: expect.stringContaining('handler exploded'),
    });
    const metrics = await (await fetch(`${runtime.url}/metrics`)).text();
    expect(metrics).toMatch(
      /streamcogs_handler_calls_total\{bot="alice",cog="good-b",label="command:boom",outcome="error"\} 1/,
    );
  });

  it('fails startup in strict mode when a setup throws', async () => {
    await expect(
      startTestRuntime([botConfig('alice', [{ name: 'bad-setup', settings: {} }])], {
        strict: true,
      }),
    ).rejects.toThrow(/bot "alice": cog "bad-setup" failed to start: setup failed on purpose/);
  });

  it('unloads and reloads one cog without touching the others', async () => {
    const started = await startTestRuntime([
      botConfig('alice', [
        { name: 'good-a', settings: { greeting: 'one' } },
        { name: 'good-b', settings: {} },
      ]),
    ]);
    runtime = started.runtime;
    const chat = started.platforms.get('alice')!;
    const host = runtime.bots.get('alice')!.host;
    await host.reload({ name: 'good-a', settings: { greeting: 'two' } });
    await chat.inject('alice', 'v', '!a');
    await chat.inject('alice', 'v', '!b');
    expect(chat.said.map((s) => s.text)).toEqual(['two', 'b here']);
    await host.unmount('good-a');
    await chat.inject('alice', 'v', '!a');
    expect(chat.said).toHaveLength(2);
    expect((await fetch(`${runtime.url}/bots/alice/good-a/hello`)).status).toBe(404);
  });

  it('tears the cogs down newest first when the runtime stops', async () => {
    const started = await startTestRuntime([
      botConfig('alice', [
        { name: 'good-a', settings: { greeting: 'one' } },
        { name: 'good-b', settings: {} },
      ]),
    ]);
    const stopped: string[] = [];
    started.runtime.bus.on('core:cog.stopped', ({ cog }) => void stopped.push(cog));
    await started.runtime.stop();
    expect(stopped).toEqual(['good-b', 'good-a']);
  });
});
