import { describe, expect, it } from 'vitest';
import { applicationIdFromToken, buildInvite, describeInvite } from '../../src/discord/invite.js';
import { intentBits, permissionBits, permissionLabel } from '../../src/discord/flags.js';
import { readEndpoints } from '../../src/endpoints.js';

const APP = '123456789012345678';

describe('streamcogs invite', () => {
  it('reads the application id from a bot token', () => {
    const token = `${Buffer.from(APP).toString('base64')}.abc.def`;
    expect(applicationIdFromToken(token)).toBe(APP);
    expect(applicationIdFromToken('not-a-token')).toBeUndefined();
  });

  it('asks for exactly the declared permissions, on the configured Discord host', () => {
    const invite = buildInvite(
      readEndpoints({}),
      APP,
      ['ManageRoles', 'ManageWebhooks', 'ManageRoles'],
      [],
      '42',
    );
    const url = new URL(invite.url);
    expect(url.origin + url.pathname).toBe('https://discord.com/oauth2/authorize');
    expect(url.searchParams.get('permissions')).toBe(String((1n << 28n) | (1n << 29n)));
    expect(url.searchParams.get('guild_id')).toBe('42');
    expect(invite.permissions).toEqual(['ManageRoles', 'ManageWebhooks']);
    expect(describeInvite('alice', invite)).toContain(
      'Permissions its cogs declare: Manage Roles, Manage Webhooks',
    );
    const local = buildInvite(
      readEndpoints({ DISCORD_API_URL: 'http://127.0.0.1:9/api' }),
      APP,
      [],
      ['MessageContent'],
    );
    expect(local.url).toMatch(
      /^http:\/\/127\.0\.0\.1:9\/oauth2\/authorize\?client_id=123456789012345678&scope=bot\+applications\.commands&permissions=0$/,
    );
    expect(describeInvite('alice', local)).toMatch(
      /no permissions \(permissions=0\)[\s\S]*MessageContent/,
    );
  });

  it('reports names discord.js does not know', () => {
    expect(permissionBits(['ManageRolez']).unknown).toEqual(['ManageRolez']);
    expect(intentBits(['GuildMembers', 'Nope'])).toEqual({
      bits: 3,
      names: ['Guilds', 'GuildMembers'],
      unknown: ['Nope'],
    });
    expect(permissionLabel('SendTTSMessages')).toBe('Send TTS Messages');
  });
});
