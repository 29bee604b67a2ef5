import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/processes.js';
import { findRedisServer } from '../helpers/redis.js';
import { findNginx } from '../helpers/nginx.js';
import { CONNECTION_PLUGINS } from '../platform/helpers/world.js';
import { startCluster, type Cluster } from './lib/cluster.js';
import { requireTool } from './lib/require-tool.js';

// Two `streamcogs start` processes on one Redis, both in chat with the same bot account (its
// token stored once, as `streamcogs auth` would): Twitch gives each connection every line.
// Both are logged in to Discord with the same bot token: Discord (and the sandbox's gateway)
// sends every INTERACTION_CREATE to each unsharded session.
const NGINX = requireTool('nginx', findNginx());
const REDIS = requireTool('redis-server', findRedisServer());
const TIMER_MS = 2000;

let cluster: Cluster | undefined;
let bot = '';

const GUILD = '222222222222222222';
const YAML = `alice:
  channels: [alice]
  discord: { guilds: ["${GUILD}"] }
  cogs:
    - conn-slash: { command: hello }
    - chat-commands:
        default_cooldown: 0
        commands:
          hello: 'Hi {user}!'
        timers:
          - { name: socials, every: '${TIMER_MS / 1000}s', min_chat_lines: 0, only_when_live: false, messages: ['Follow alice!'] }
`;

/** Lines the bot account sent in alice's channel (delivered or not), from Twitch's side. */
function sent(text: (t: string) => boolean): number {
  return cluster!.sandbox.chat.messagesFrom(bot, 'alice').filter((m) => text(m.text ?? '')).length;
}

describe.skipIf(!NGINX || !REDIS)('two processes in chat with the same bot account', () => {
  beforeAll(async () => {
    cluster = await startCluster({
      bots: [{ name: 'alice', channels: ['alice'], guilds: [GUILD] }],
      yaml: () => YAML,
      authorise: true,
      env: { PLUGIN_DIRS: CONNECTION_PLUGINS },
    });
    bot = cluster.sandbox.accounts.get('alice')!.login;
    const discordBot = cluster.sandbox.accounts.get('alice')!.discord!;
    await waitFor(
      () =>
        cluster!.sandbox.discord
          .gatewaySessions()
          .filter((s) => s.botUserId === discordBot.userId && s.connected).length === 2 &&
        cluster!.sandbox.discord.commands(discordBot.appId, GUILD).some((c) => c.name === 'hello'),
      20_000,
      'both instances did not connect to Discord with /hello registered',
    );
    await waitFor(
      () =>
        cluster!.sandbox.chat.chatters('alice').filter((c) => c === bot).length >= 1 &&
        cluster!.sandbox.chat.connectionCount >= 2,
      20_000,
      'both instances did not join chat',
    );
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 30_000);

  it('a chat command is answered once, whichever instance claims the line', async () => {
    const viewers = Array.from({ length: 20 }, (_, i) => `viewer${i}`);
    for (const v of viewers) cluster!.sandbox.chat.viewerSays('alice', v, '!hello');
    await waitFor(
      () => viewers.every((v) => sent((t) => t === `Hi ${v}!`) >= 1),
      15_000,
      'not every command was answered',
    ).catch((err: Error) => {
      const said = cluster!.sandbox.chat.messagesFrom(bot, 'alice').map((m) => m.text);
      const problems = cluster!.apps.map((a) => a.cli.lines.filter((l) => Number(l.level) >= 40));
      throw new Error(
        `${err.message}; the bot said ${JSON.stringify(said.slice(0, 30))}; warnings ${JSON.stringify(problems)}`,
      );
    });
    await new Promise((r) => setTimeout(r, 1500)); // a second answer would come by now
    expect(viewers.filter((v) => sent((t) => t === `Hi ${v}!`) !== 1)).toEqual([]);
  }, 30_000);

  it('a chat timer posts once per interval, not once per instance', async () => {
    const follow = (t: string) => t.startsWith('Follow alice!');
    const before = sent(follow);
    const windowMs = 3.25 * TIMER_MS;
    await new Promise((r) => setTimeout(r, windowMs));
    const posts = sent(follow) - before;
    // Posts are at least 95 % of the interval apart across the cluster: at most 4 in the
    // window; two instances each posting would make 6 or more.
    expect(posts).toBeGreaterThanOrEqual(2);
    expect(posts).toBeLessThanOrEqual(4);
  }, 30_000);

  it('a slash command is answered once, though both sessions receive it', async () => {
    const discord = cluster!.sandbox.discord;
    const channelId = discord.createChannel(GUILD, 'commands');
    const users = Array.from({ length: 10 }, (_, i) =>
      discord.addMember(GUILD, { username: `fan${i}` }),
    );
    const ids = users.map((u) =>
      discord.runSlashCommand({ guildId: GUILD, channelId, userId: u.id, name: 'hello' }),
    );
    const replies = await Promise.all(ids.map((id) => discord.waitForInteractionReply(id)));
    expect(replies.map((r) => r.content)).toEqual(
      users.map((u) => `hello ${u.username} from alice`),
    );
    await new Promise((r) => setTimeout(r, 1000)); // a second answer would come by now
    const callbacks = (id: string) =>
      discord.received.filter(
        (r) => r.method === 'POST' && r.path.startsWith(`/interactions/${id}/`),
      );
    expect(ids.map((id) => callbacks(id).length)).toEqual(ids.map(() => 1));
  }, 30_000);
});
