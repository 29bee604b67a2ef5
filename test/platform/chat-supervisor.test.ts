import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/log.js';
import { readEndpoints } from '../../src/endpoints.js';
import { ChatSupervisor, type ChatLogin } from '../../src/platform/chat-supervisor.js';
import { TwitchChatServer } from '../../src/sandbox/twitch/chat/index.js';
import { waitUntil } from '../../src/testing/index.js';

let chat: TwitchChatServer;
const valid = new Set<string>(['fresh']);
const supervisors: ChatSupervisor[] = [];

beforeAll(async () => {
  chat = await TwitchChatServer.start({
    validateToken: async (t) => (valid.has(t) ? { login: 'sup_bot', userId: '77' } : null),
  });
});
afterEach(async () => {
  for (const s of supervisors.splice(0)) await s.disconnect();
});
afterAll(async () => {
  await chat?.close();
});

function supervisor(
  identity: () => ChatLogin | undefined,
  onLoginRefused?: () => Promise<boolean>,
) {
  const s = new ChatSupervisor({
    endpoints: readEndpoints({ TWITCH_CHAT_URL: chat.url }),
    channels: ['sup_chan'],
    log: createLogger({ level: 'silent' }),
    identity,
    onLoginRefused,
  });
  supervisors.push(s);
  return s;
}

describe('ChatSupervisor', () => {
  it('when chat refuses the token, refreshes it and logs in again with the new one', async () => {
    let token = 'stale';
    let refreshed = 0;
    const s = supervisor(
      () => ({ login: 'sup_bot', token: async () => token }),
      async () => {
        refreshed++;
        token = 'fresh';
        return true;
      },
    );
    await s.connect();
    await waitUntil(() => s.state === 'connected', 'connected with the identity');
    expect(refreshed).toBe(1);
    await s.say('sup_chan', 'hello');
    await waitUntil(
      () => chat.messagesFrom('sup_bot', 'sup_chan').some((m) => m.text === 'hello'),
      'the line',
    );
  });

  it('joins read-only when the token cannot be refreshed, and says so in its state', async () => {
    const s = supervisor(
      () => ({ login: 'sup_bot', token: async () => 'revoked' }),
      async () => false,
    );
    await s.connect();
    await waitUntil(() => s.state === 'anonymous', 'read-only');
    expect(s.anonymous).toBe(true);
  });

  it('reconnects read-only when the identity goes away, and with it when it comes back; handlers stay', async () => {
    let who: ChatLogin | undefined = { login: 'sup_bot', token: async () => 'fresh' };
    const s = supervisor(() => who);
    const seen: string[] = [];
    s.onMessage((m) => void seen.push(m.text));
    await s.connect();
    expect(s.state).toBe('connected');
    who = undefined;
    await s.identityChanged();
    expect(s.state).toBe('anonymous');
    who = { login: 'sup_bot', token: async () => 'fresh' };
    await s.identityChanged();
    expect(s.state).toBe('connected');
    await waitUntil(() => chat.chatters('sup_chan').includes('sup_bot'), 'rejoined');
    chat.viewerSays('sup_chan', { login: 'viewer' }, 'still listening?');
    await waitUntil(() => seen.includes('still listening?'), 'the message');
  });
});
