import { describe, expect, it } from 'vitest';
import { createLogger, scrubSecrets, secretValuesFromEnv } from '../../core/log.js';

/** A JSON logger writing into `lines`, with the secrets of `env` known to it. */
function capture(env: Record<string, string> = {}): {
  lines: string[];
  log: ReturnType<typeof createLogger>;
} {
  const lines: string[] = [];
  const log = createLogger({
    level: 'debug',
    pretty: false,
    secrets: secretValuesFromEnv(env),
    destination: { write: (l: string) => void lines.push(l) },
  });
  return { lines, log };
}

describe('logs keep tokens and secrets out', () => {
  it('redacts credential fields, at the top and nested, and request authorization headers', () => {
    const { lines, log } = capture();
    log.info(
      {
        token: 'tok-top-level-1',
        bot: { accessToken: 'tok-nested-2', refresh_token: 'tok-nested-3' },
        req: { headers: { authorization: 'Bearer tok-header-4', cookie: 'sid=tok-cookie-5' } },
        clientSecret: 'tok-secret-6',
      },
      'connected',
    );
    const line = lines.join('');
    for (const value of ['tok-top-level-1', 'tok-nested-2', 'tok-nested-3', 'tok-header-4'])
      expect(line).not.toContain(value);
    expect(line).not.toContain('tok-cookie-5');
    expect(line).not.toContain('tok-secret-6');
    const parsed = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(parsed.token).toBe('[REDACTED]');
    expect(parsed.msg).toBe('connected');
  });

  it("scrubs the environment's secret values from messages, fields and errors", () => {
    const env = {
      ALICE_CLIENT_SECRET: 'alice-app-secret-value',
      ALICE_DISCORD_TOKEN: 'alice-discord-token-value',
      PORT: '8000',
    };
    const { lines, log } = capture(env);
    log.warn(`login failed with ${env.ALICE_DISCORD_TOKEN}`);
    log.error({ detail: `secret=${env.ALICE_CLIENT_SECRET}` }, 'refused');
    log.error({ err: new Error(`bad secret ${env.ALICE_CLIENT_SECRET}`) }, 'thrown');
    log.error(new Error(`also ${env.ALICE_CLIENT_SECRET}`));
    expect(lines).toHaveLength(4);
    const all = lines.join('\n');
    expect(all).not.toContain('alice-app-secret-value');
    expect(all).not.toContain('alice-discord-token-value');
    expect(all).toContain('login failed with [REDACTED]');
    expect(all).toContain('bad secret [REDACTED]');
    expect(JSON.parse(lines[3] as string)).toMatchObject({
      msg: 'also [REDACTED]',
      err: { type: 'Error', message: 'also [REDACTED]' },
    });
  });

  it('keeps what an error says: type, message, own fields and stack', () => {
    const { lines, log } = capture();
    const err = Object.assign(new TypeError('the cog broke'), { code: 'SC_COG_SETUP_FAILED' });
    log.error({ err, bot: 'alice' }, 'cog setup failed');
    const line = JSON.parse(lines[0] as string) as { err: Record<string, unknown> };
    expect(line.err).toMatchObject({
      type: 'TypeError',
      message: 'the cog broke',
      code: 'SC_COG_SETUP_FAILED',
    });
    expect(String(line.err.stack)).toContain('TypeError: the cog broke');
  });

  it('recognises credential-shaped text it was not told about', () => {
    expect(scrubSecrets('PASS oauth:abcdefghijkl0123', [])).toBe('PASS [REDACTED]');
    expect(scrubSecrets('Authorization: Bot MTIzNDU2Nzg5MDEyMzQ1Njc4.abc', [])).toBe(
      'Authorization: Bot [REDACTED]',
    );
    expect(scrubSecrets('sent Bearer abcdefghijklmnop0123', [])).toBe('sent Bearer [REDACTED]');
    expect(
      scrubSecrets('POST https://discord.com/api/v10/webhooks/123456/aSecretWebhookToken_x', []),
    ).toBe('POST https://discord.com/api/v10/webhooks/123456/[REDACTED]');
    expect(scrubSecrets('nothing secret here', [])).toBe('nothing secret here');
  });

  it('collects only secret-looking variables, and never scrubs values too short to be one', () => {
    expect(
      secretValuesFromEnv({
        ALICE_CLIENT_SECRET: 'x1',
        API_KEY: 'k2',
        STORAGE_URL: 'redis://:pw@host',
        PORT: '8000',
        HOST: '127.0.0.1',
      }).sort(),
    ).toEqual(['k2', 'redis://:pw@host', 'x1']);
    expect(scrubSecrets('port 8000', ['8000'])).toBe('port 8000');
  });
});
