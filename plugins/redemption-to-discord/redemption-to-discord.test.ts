import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../../src/testing/index.js';
import { format, type RedemptionEvent } from './index.js';

const TYPE = 'channel.channel_points_custom_reward_redemption.add';

describe('the redemption message', () => {
  const event: RedemptionEvent = {
    broadcaster_user_login: 'streamer',
    user_login: 'ada',
    user_name: 'Ada',
    user_input: '',
    reward: { id: '1', title: 'Hydrate', cost: 50, prompt: '' },
  };
  it('fills the template, with the viewer text only when there is some', () => {
    expect(format('{user} redeemed {reward} ({cost}){input} in #{channel}', event)).toBe(
      'Ada redeemed Hydrate (50) in #streamer',
    );
    expect(format('{user}{input} {unknown}', { ...event, user_input: 'ice' })).toBe(
      'Ada: ice {unknown}',
    );
  });
});

describe('redemption-to-discord in the sandbox', () => {
  let t: TestBot | undefined;
  /** Why the end-to-end tests cannot run in this checkout, if they cannot. */
  let waiting: string | undefined;
  beforeAll(async () => {
    try {
      t = await startTestBot({
        // The webhook only exists once the sandbox runs: the kit applies these cogs then.
        cogs: ({ discord }) => [
          {
            'redemption-to-discord': {
              webhook_url: discord.webhook('announcements').url,
              rewards: ['hydrate'],
              username: 'Points',
            },
          },
        ],
      });
    } catch (err) {
      if (!String(err).includes('has no EventSub ingress')) throw err;
      waiting = 'src/app.ts does not wire the EventSub ingress into ctx.twitch.eventsub yet';
      return;
    }
    await t.eventsub.subscribed(TYPE);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('posts a chosen reward to the Discord channel, pinging nobody', async (ctx) => {
    if (!t) return ctx.skip(waiting);
    const post = t.discord.nextPost('announcements');
    t.eventsub.redeem({ title: 'Hydrate', cost: 50 }, { user: 'ada', input: '@everyone with ice' });
    const message = await post;
    expect(message.content).toBe('**ada** redeemed **Hydrate** (50 points): @everyone with ice');
    expect(message.author.username).toBe('Points');
    expect(message.mentions.everyone).toBe(false);
  });

  it('leaves other rewards alone', async (ctx) => {
    if (!t) return ctx.skip(waiting);
    const post = t.discord.nextPost('announcements');
    t.eventsub.redeem({ title: 'Skip a song', cost: 500 }, { user: 'bob' });
    t.eventsub.redeem({ title: 'Hydrate', cost: 50 }, { user: 'cy' });
    expect((await post).content).toBe('**cy** redeemed **Hydrate** (50 points)');
    await t.eventsub.delivered();
    expect(t.discord.posts('announcements')).toHaveLength(2);
  });
});
