import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../src/commands/status.js';

describe('streamcogs status output', () => {
  it('shows per bot: chat, token validity, scopes, needs_auth with the command, Discord guilds and missing permissions', () => {
    const text = formatStatus('http://127.0.0.1:8000', {
      status: 'not_ready',
      bots: {
        alice: {
          ready: false,
          platform: {
            ready: false,
            twitch: {
              chat: 'anonymous',
              needsAuth: true,
              auth: 'needs_auth',
              command: 'npx streamcogs auth alice',
              detail: 'Twitch refused the refresh token',
              scopes: [],
            },
            discord: {
              connected: true,
              guilds: ['Acme (1)'],
              problems: ['guild "Acme" (1): the bot lacks Manage Roles'],
              checks: [
                {
                  guildId: '1',
                  guildName: 'Acme',
                  present: true,
                  missingPermissions: ['ManageRoles'],
                  problems: [],
                },
              ],
            },
          },
          cogs: [{ name: 'sub-roles', state: 'failed', error: 'boom' }],
        },
        bob: {
          ready: true,
          platform: {
            ready: true,
            twitch: {
              chat: 'connected',
              login: 'bob_bot',
              tokenValidUntil: '2030-01-01T00:00:00.000Z',
              scopes: ['chat:read'],
              missingScopes: ['chat:edit'],
            },
          },
          cogs: [],
        },
      },
    });
    expect(text).toBe(
      [
        'streamcogs at http://127.0.0.1:8000: NOT READY',
        'alice: NOT READY',
        '  twitch: chat anonymous; scopes (none)',
        '  twitch: NEEDS AUTH (Twitch refused the refresh token): run npx streamcogs auth alice',
        '  discord: connected; guilds Acme (1)',
        '  discord: missing permissions: ManageRoles in Acme',
        '  discord: problem: guild "Acme" (1): the bot lacks Manage Roles',
        '  cog sub-roles: failed: boom',
        'bob: ready',
        '  twitch: chat connected as bob_bot; token valid until 2030-01-01T00:00:00.000Z; scopes chat:read; MISSING SCOPES chat:edit',
        '',
      ].join('\n'),
    );
  });
});
