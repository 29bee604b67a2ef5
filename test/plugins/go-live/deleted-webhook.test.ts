import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetDisabledEvent } from '../../../plugins/go-live/index.js';
import { goLiveSandbox, until, type GoLiveBot, type Hook } from './helpers/harness.js';

let env: Awaited<ReturnType<typeof goLiveSandbox>>;
beforeAll(async () => {
  env = await goLiveSandbox();
});
afterAll(async () => {
  await env.close();
});

const KEY = 'api-key-for-tests-0123456789';

function api(bot: GoLiveBot, method: string, path: string, body?: unknown) {
  return fetch(`${bot.runtime.url}/api/tracking${path}`, {
    method,
    headers: {
      authorization: `Bearer ${KEY}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
}

const deleteWebhook = (h: Hook) =>
  fetch(`${env.discord.apiUrl}/v10/webhooks/${h.id}/${h.token}`, { method: 'DELETE' });

describe('go-live cog: a deleted webhook', () => {
  it('disables its target, records why, tells its owner, and is never called again', async () => {
    const fromYaml = env.webhook('live');
    const fromApi = env.webhook('general');
    env.world.ensureUser('dee');
    const bot = await env.startBot(
      { debounce_minutes: 0, streamers: { dee: { webhook: fromYaml.url } } },
      { env: { API_KEY: KEY } },
    );
    const disabled: TargetDisabledEvent[] = [];
    bot.runtime.bus.on('go-live:target.disabled', (e) => void disabled.push(e));
    try {
      const added = await api(bot, 'POST', `/${fromApi.channelId}/dee`, {
        id: fromApi.id,
        token: fromApi.token,
      });
      expect(added.status).toBe(201);
      await env.subscribed(['dee']);
      await env.subscribed(['dee'], 'stream.offline');

      await deleteWebhook(fromYaml);
      await deleteWebhook(fromApi);
      env.world.goLive('dee', { title: 'One' });
      await until(() => disabled.length === 2, 'both targets disabled');
      expect(disabled.map((d) => d.source).sort()).toEqual(['api', 'config']);
      const api404 = disabled.find((d) => d.source === 'api')!;
      expect(api404.reason).toMatch(/was deleted \(404 10015\)/);
      expect(api404.fix).toBe(
        `POST /api/tracking/${fromApi.channelId}/dee with a new webhook { id, token }`,
      );
      expect(disabled.find((d) => d.source === 'config')!.fix).toMatch(/bots\.yaml/);
      const errors = bot
        .logged()
        .filter((l) => l.level === 50 && String(l.msg).includes('is gone'));
      expect(errors).toHaveLength(2);
      // The webhook token never reaches a log.
      expect(bot.logs.join('\n')).not.toContain(fromApi.token);
      expect(bot.logs.join('\n')).not.toContain(fromYaml.token);

      // The API client sees why (the Tatsumaki shape, plus `disabled`).
      const view: unknown = await (await api(bot, 'GET', `/${fromApi.channelId}`)).json();
      expect(view).toMatchObject({
        names: ['dee'],
        webhook: { id: fromApi.id },
        disabled: { reason: expect.stringMatching(/deleted/) },
      });

      // Next stream: no request to either webhook after its 404.
      const calls = (h: Hook) => env.discord.received.filter((r) => r.path.includes(h.id)).length;
      const before = [calls(fromYaml), calls(fromApi)];
      env.world.goOffline('dee');
      env.world.goLive('dee', { title: 'Two' });
      await until(() => bot.logged().some((l) => l.targets === 0), 'a fan-out to no target');
      await env.twitchApi.eventSub.idle();
      expect([calls(fromYaml), calls(fromApi)]).toEqual(before);

      // The owner repairs it with a new webhook: posts resume in that channel.
      const fresh = env.webhook('general');
      const repaired = await api(bot, 'POST', `/${fresh.channelId}/dee`, {
        id: fresh.id,
        token: fresh.token,
      });
      expect(repaired.status).toBe(200);
      expect(await repaired.json()).toEqual({
        names: ['dee'],
        webhook: { id: fresh.id, token: fresh.token },
      });
      env.world.goOffline('dee');
      env.world.goLive('dee', { title: 'Three' });
      await until(() => env.posts('general').length === 1, 'a post through the new webhook');
      expect(env.posts('general')[0]?.embeds[0]).toMatchObject({ title: 'Three' });
    } finally {
      await bot.stop();
    }
  });
});
