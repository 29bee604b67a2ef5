import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DiscordServer,
  type ReceivedRequest,
  type SandboxBot,
  type SeededGuild,
} from '../../src/sandbox/discord/index.js';
import { restCaller, startRestSandbox, type RestCall } from './helpers/discord-rest.js';

let server: DiscordServer;
let bot: SandboxBot;
let guild: SeededGuild;
let call: RestCall;

beforeEach(async () => {
  ({ server, bot, guild, call } = await startRestSandbox());
});

afterEach(() => server.close());

describe('Discord sandbox REST contract', () => {
  it('needs Bot auth on bot routes: 401 {code: 0} and counted as invalid', async () => {
    expect(await call('GET', '/users/@me', undefined, null)).toMatchObject({
      status: 401,
      body: { code: 0, message: '401: Unauthorized' },
    });
    expect((await call('GET', '/users/@me', undefined, 'Bot wrong')).status).toBe(401);
    expect(await call('GET', '/users/@me')).toMatchObject({
      status: 200,
      body: { id: bot.userId, bot: true },
    });
    expect(server.invalidRequests()).toBe(2);
    expect(await call('GET', '/nope')).toMatchObject({
      status: 404,
      body: { code: 0, message: '404: Not Found' },
    });
    expect((await call('GET', '/gateway/bot')).body).toMatchObject({
      url: server.gatewayUrl,
      shards: 1,
    });
  });

  it('sends rate-limit headers on every response, errors included', async () => {
    const ok = await call('GET', `/guilds/${guild.id}`);
    const missing = await call('GET', `/guilds/${guild.id}/members/1234567890123456789`);
    expect(missing).toMatchObject({
      status: 404,
      body: { code: 10007, message: 'Unknown Member' },
    });
    for (const res of [ok, missing]) {
      for (const h of ['limit', 'remaining', 'reset', 'reset-after', 'bucket']) {
        expect(res.headers.get(`x-ratelimit-${h}`)).toBeTruthy();
      }
    }
  });

  it('manages application commands: create (201, upsert 200), list, bulk overwrite keeping ids, edit, delete', async () => {
    const base = `/applications/${bot.appId}/guilds/${guild.id}/commands`;
    const created = await call('POST', base, {
      name: 'ping',
      description: 'Ping',
      name_localizations: { fr: 'ping' },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { name: 'ping', type: 1, guild_id: guild.id },
    });
    const id = (created.body as { id: string }).id;
    expect((await call('POST', base, { name: 'ping', description: 'Ping again' })).status).toBe(
      200,
    );
    const plain = (await call('GET', base)).body as Record<string, unknown>[];
    expect(plain[0]).not.toHaveProperty('name_localizations');
    const localized = (await call('GET', `${base}?with_localizations=true`)).body as Record<
      string,
      unknown
    >[];
    expect(localized[0]).toHaveProperty('name_localizations');
    const bulk = await call('PUT', base, [
      { name: 'ping', description: 'Ping' },
      { name: 'stats', description: 'Stats' },
    ]);
    expect((bulk.body as { id: string; name: string }[]).find((c) => c.name === 'ping')?.id).toBe(
      id,
    );
    expect(await call('PATCH', `${base}/${id}`, { description: 'Pong?' })).toMatchObject({
      status: 200,
      body: { id, description: 'Pong?' },
    });
    expect((await call('DELETE', `${base}/${id}`)).status).toBe(204);
    expect(await call('GET', `${base}/${id}`)).toMatchObject({
      status: 404,
      body: { code: 10063 },
    });
    expect(server.commands(bot.appId, guild.id).map((c) => c.name)).toEqual(['stats']);
    expect(await call('POST', base, { name: 'Bad Name', description: 'x' })).toMatchObject({
      status: 400,
      body: {
        code: 50035,
        errors: { name: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME' }] } },
      },
    });
    expect((await call('PUT', `/applications/${bot.appId}/commands`, [])).body).toEqual([]);
  });

  it('checks interaction callbacks: unknown 10062, double ack 40060, too late 10062', async () => {
    const clock = { t: Date.now() };
    await server.close();
    server = await DiscordServer.start({ now: () => clock.t });
    bot = server.createBot({ username: 'i-bot' });
    guild = server.createGuild({
      name: 'I',
      channels: ['general'],
      members: [{ username: 'alice' }],
    });
    call = restCaller(server, bot);
    const base = {
      appId: bot.appId,
      type: 3,
      channelId: guild.channels.general as string,
      userId: guild.members.alice as string,
    };
    const id = server.emitInteraction({ ...base, data: { custom_id: 'x', component_type: 2 } });
    const token = server.interaction(id)?.token as string;
    expect(await call('POST', `/interactions/${id}/bad/callback`, { type: 6 }, null)).toMatchObject(
      {
        status: 404,
        body: { code: 10062 },
      },
    );
    const modal = { type: 9, data: { custom_id: 'form', title: 'Form', components: [] } };
    expect((await call('POST', `/interactions/${id}/${token}/callback`, modal, null)).status).toBe(
      204,
    );
    expect(await server.waitForInteractionReply(id)).toMatchObject({
      kind: 'modal',
      data: { custom_id: 'form' },
    });
    expect(
      await call(
        'POST',
        `/interactions/${id}/${token}/callback`,
        { type: 4, data: { content: 'x' } },
        null,
      ),
    ).toMatchObject({
      status: 400,
      body: { code: 40060 },
    });
    const late = server.emitInteraction({
      ...base,
      type: 5,
      data: { custom_id: 'late', components: [] },
    });
    clock.t += 3001;
    const lateToken = server.interaction(late)?.token as string;
    expect(
      await call(
        'POST',
        `/interactions/${late}/${lateToken}/callback`,
        { type: 4, data: { content: 'x' } },
        null,
      ),
    ).toMatchObject({ status: 404, body: { code: 10062 } });
  });

  it('records every request and emits "record"', async () => {
    const seen: ReceivedRequest[] = [];
    server.on('record', (r) => seen.push(r));
    await call('GET', '/users/@me');
    expect(seen).toMatchObject([
      {
        kind: 'http',
        method: 'GET',
        path: '/users/@me',
        route: 'GET /users/@me',
        status: 200,
        auth: 'bot',
      },
    ]);
    expect(server.received.at(-1)).toBe(seen[0]);
  });
});
