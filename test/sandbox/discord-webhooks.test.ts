import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordServer, type SeededGuild } from '../../src/sandbox/discord/index.js';
import { startRestSandbox, type RestCall } from './helpers/discord-rest.js';

let server: DiscordServer;
let guild: SeededGuild;
let call: RestCall;

beforeEach(async () => {
  ({ server, guild, call } = await startRestSandbox());
});

afterEach(() => server.close());

describe('Discord sandbox webhooks (REST)', () => {
  it('manages webhooks by id and by token; 50027 for a wrong token, 10015 once deleted', async () => {
    const channel = guild.channels.general as string;
    const created = await call('POST', `/channels/${channel}/webhooks`, { name: 'Hooky' });
    expect(created).toMatchObject({
      status: 200,
      body: { name: 'Hooky', channel_id: channel, type: 1 },
    });
    const { id, token } = created.body as { id: string; token: string };
    expect((await call('GET', `/channels/${channel}/webhooks`)).body).toHaveLength(1);
    expect(await call('GET', `/webhooks/${id}/${token}`, undefined, null)).toMatchObject({
      status: 200,
      body: { id, token },
    });
    expect(
      await call('PATCH', `/webhooks/${id}/${token}`, { name: 'Renamed' }, null),
    ).toMatchObject({
      body: { name: 'Renamed' },
    });
    expect(await call('POST', `/webhooks/${id}/wrong-token`, { content: 'x' }, null)).toMatchObject(
      {
        status: 401,
        body: { code: 50027 },
      },
    );
    expect(
      await call('POST', `/channels/${channel}/webhooks`, { name: 'my discord hook' }),
    ).toMatchObject({
      status: 400,
      body: { code: 50035 },
    });
    const sent = await call(
      'POST',
      `/webhooks/${id}/${token}?wait=true`,
      {
        content: 'ping <@' + guild.members.alice + '> @everyone',
        username: 'Override',
        avatar_url: 'https://example.invalid/a.png',
        allowed_mentions: { parse: ['users'] },
      },
      null,
    );
    expect(sent.body).toMatchObject({
      webhook_id: id,
      author: { username: 'Override', avatar: 'https://example.invalid/a.png', bot: true },
      mention_everyone: false,
      mentions: [{ id: guild.members.alice }],
    });
    const messageId = (sent.body as { id: string }).id;
    expect(
      await call(
        'PATCH',
        `/webhooks/${id}/${token}/messages/${messageId}`,
        { content: 'edited' },
        null,
      ),
    ).toMatchObject({
      status: 200,
      body: { content: 'edited' },
    });
    expect(await call('POST', `/webhooks/${id}/${token}`, { content: '' }, null)).toMatchObject({
      status: 400,
      body: { code: 50006 },
    });
    expect(
      await call(
        'POST',
        `/webhooks/${id}/${token}`,
        { content: 'x', allowed_mentions: { parse: ['users'], users: ['1'] } },
        null,
      ),
    ).toMatchObject({ status: 400, body: { code: 50035 } });
    expect(
      (await call('DELETE', `/webhooks/${id}/${token}/messages/${messageId}`, undefined, null))
        .status,
    ).toBe(204);
    expect((await call('DELETE', `/webhooks/${id}`)).status).toBe(204);
    expect(
      await call('POST', `/webhooks/${id}/${token}`, { content: 'gone?' }, null),
    ).toMatchObject({
      status: 404,
      body: { code: 10015, message: 'Unknown Webhook' },
    });
  });

  it('needs Manage Webhooks to create one (403 50013)', async () => {
    const other = server.createBot({ username: 'plain' });
    const g = server.createGuild({ name: 'No perms', channels: ['c'], bots: [other.userId] });
    const res = await call(
      'POST',
      `/channels/${g.channels.c}/webhooks`,
      { name: 'x' },
      `Bot ${other.token}`,
    );
    expect(res).toMatchObject({
      status: 403,
      body: { code: 50013, message: 'Missing Permissions' },
    });
  });

  it('stall(ms) delays webhook executes; close() cuts the stall short and frees the port', async () => {
    const hook = server.createWebhook({ channelId: guild.channels.general as string });
    server.stall(250);
    const started = Date.now();
    expect(
      (await call('POST', `/webhooks/${hook.id}/${hook.token}`, { content: 'slow' }, null)).status,
    ).toBe(204);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    server.stall(60_000);
    const hanging = call(
      'POST',
      `/webhooks/${hook.id}/${hook.token}`,
      { content: 'never' },
      null,
    ).catch(() => 'failed');
    await expect.poll(() => server.stalledRequests).toBe(1);
    const closing = Date.now();
    await server.close();
    expect(Date.now() - closing).toBeLessThan(2000);
    expect(await hanging).toBe('failed');
    await expect(fetch(`${server.apiUrl}/v10/gateway`)).rejects.toThrow();
    server = await DiscordServer.start(); // for afterEach
  });
});
