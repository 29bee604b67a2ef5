import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../../src/testing/index.js';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({
    // A function: the Discord webhook exists once the sandbox runs.
    cogs: ({ discord }) => [
      { shoutout: { discord_webhook_url: discord.webhook('announcements').url } },
    ],
    fakeTime: true, // for the cooldown
  });
  t.eventsub.updateChannel({ title: 'Painting', game: 'Art' }, 'artist'); // a streamer to shout out
});
afterAll(async () => {
  await t?.stop();
});

describe('!so', () => {
  it('shouts a streamer out in chat and in Discord', async () => {
    const post = t.discord.nextPost('announcements');
    t.viewer('mia', { moderator: true }).says('!so @Artist');
    expect(await t.nextBotMessage()).toBe(
      'Go follow artist at https://twitch.tv/artist! They were last playing Art.',
    );
    expect((await post).content).toBe(
      '📣 mia gave a shoutout to **artist**: https://twitch.tv/artist',
    );
  });

  it('is for moderators, and waits for its cooldown', async () => {
    const before = t.botMessages().length;
    t.viewer('bob').says('!so artist'); // not a moderator: ignored
    const early = t.viewer('mia', { moderator: true }).says('!so artist'); // within 30 s: ignored
    await t.botSaw(early); // the bot has decided, before the clock moves
    await t.clock.advance(30_000);
    t.viewer('mia', { moderator: true }).says('!so nobody_here');
    expect(await t.nextBotMessage()).toBe("I can't find nobody_here on Twitch.");
    expect(t.botMessages().slice(before)).toEqual(["I can't find nobody_here on Twitch."]);
  });

  it('explains itself without a name', async () => {
    await t.clock.advance(30_000);
    t.viewer('mia', { moderator: true }).says('!shoutout');
    expect(await t.nextBotMessage()).toBe('Usage: !so <user>');
  });
});
