import type { Client } from 'tmi.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  TwitchChatServer,
  connectTmiClient,
  disconnectTmiClient,
  tmiState,
  userIdForLogin,
  waitFor,
} from '../../src/sandbox/twitch/chat/index.js';

/** Resolves with the arguments of the next `event` the client emits. */
function next(client: Client, event: string): Promise<unknown[]> {
  return new Promise((resolve) => {
    (client as unknown as NodeJS.EventEmitter).once(event, (...args: unknown[]) => resolve(args));
  });
}

describe('Twitch chat simulator: USERNOTICE, CLEARCHAT, CLEARMSG, NOTICE with tmi.js', () => {
  let chat: TwitchChatServer;
  let bot: Client;

  beforeEach(async () => {
    chat = await TwitchChatServer.start();
    bot = await connectTmiClient(chat, { username: 'mybot', channels: ['#streamer'] });
  });

  afterEach(async () => {
    await disconnectTmiClient(bot);
    await chat.close();
  });

  it('fires subscription for msg-id=sub', async () => {
    const event = next(bot, 'subscription');
    const id = chat.userNotice('#streamer', 'sub', {
      user: { login: 'ronni', displayName: 'Ronni' },
      plan: 'Prime',
      message: 'Great stream -- keep it up!',
    });
    const [channel, username, methods, message, tags] = (await event) as [
      string,
      string,
      Record<string, unknown>,
      string,
      Record<string, unknown>,
    ];
    expect([channel, username, message]).toEqual([
      '#streamer',
      'Ronni',
      'Great stream -- keep it up!',
    ]);
    expect(methods).toEqual({
      prime: true,
      plan: 'Prime',
      planName: 'Channel Subscription (streamer)',
    });
    expect(tags['msg-id']).toBe('sub');
    expect(tags.id).toBe(id);
    expect(tags['system-msg']).toBe('Ronni subscribed with Prime.');
    expect(tags['user-id']).toBe(userIdForLogin('ronni'));
    expect(tags['room-id']).toBe(userIdForLogin('streamer'));
    expect(tags.login).toBe('ronni');
  });

  it('fires resub with the streak and cumulative months', async () => {
    const event = next(bot, 'resub');
    chat.userNotice('#streamer', 'resub', {
      user: 'ronni',
      plan: '2000',
      cumulativeMonths: 6,
      streakMonths: 2,
    });
    const [channel, username, streak, message, tags, methods] = (await event) as [
      string,
      string,
      number,
      string | null,
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    expect([channel, username, streak, message]).toEqual(['#streamer', 'ronni', 2, null]);
    expect(methods).toMatchObject({ prime: false, plan: '2000' });
    expect(tags['msg-param-cumulative-months']).toBe('6');
    expect(tags['msg-param-should-share-streak']).toBe(true); // tmi.js turns '1' into true
    expect(tags['system-msg']).toBe(
      "ronni subscribed at Tier 2. They've subscribed for 6 months, currently on a 2 month streak!",
    );
    expect(tags.badges).toEqual({ subscriber: '6' });
  });

  it('fires subgift with the recipient', async () => {
    const event = next(bot, 'subgift');
    chat.userNotice('#streamer', 'subgift', {
      user: { login: 'tww2', displayName: 'TWW2' },
      recipient: { login: 'mr_woodchuck', displayName: 'Mr_Woodchuck' },
      senderCount: 5,
    });
    const [channel, username, , recipient, methods, tags] = (await event) as [
      string,
      string,
      number,
      string,
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    expect([channel, username, recipient]).toEqual(['#streamer', 'TWW2', 'Mr_Woodchuck']);
    expect(methods).toMatchObject({ prime: false, plan: '1000' });
    expect(tags['msg-param-recipient-id']).toBe(userIdForLogin('mr_woodchuck'));
    expect(tags['msg-param-recipient-user-name']).toBe('mr_woodchuck');
    expect(tags['system-msg']).toBe(
      'TWW2 gifted a Tier 1 sub to Mr_Woodchuck! They have given 5 Gift Subs in the channel!',
    );
  });

  it('fires raided with the viewer count', async () => {
    const event = next(bot, 'raided');
    chat.userNotice('#streamer', 'raid', {
      user: { login: 'testchannel', displayName: 'TestChannel' },
      viewerCount: 15,
    });
    const [channel, username, viewers, tags] = (await event) as [
      string,
      string,
      number,
      Record<string, unknown>,
    ];
    expect([channel, username, viewers]).toEqual(['#streamer', 'TestChannel', 15]);
    expect(tags['msg-param-login']).toBe('testchannel');
    expect(tags['system-msg']).toBe('15 raiders from TestChannel have joined!');
  });

  it('fires clearchat, ban and timeout for CLEARCHAT', async () => {
    const cleared = next(bot, 'clearchat');
    chat.clearChat('#streamer');
    expect(await cleared).toEqual(['#streamer']);
    const ban = next(bot, 'ban');
    chat.clearChat('#streamer', 'spammer');
    const [banChannel, banned, , banTags] = (await ban) as [
      string,
      string,
      null,
      Record<string, unknown>,
    ];
    expect([banChannel, banned]).toEqual(['#streamer', 'spammer']);
    expect(banTags['target-user-id']).toBe(userIdForLogin('spammer'));
    const timeout = next(bot, 'timeout');
    chat.clearChat('#streamer', 'spammer', { durationSeconds: 600 });
    const [, timedOut, , duration] = (await timeout) as [string, string, null, number];
    expect([timedOut, duration]).toEqual(['spammer', 600]);
  });

  it('fires messagedeleted for CLEARMSG of a known message only', async () => {
    const id = chat.viewerSays('#streamer', 'ronni', 'oops');
    const deleted = next(bot, 'messagedeleted');
    expect(chat.deleteMessage('#streamer', 'no-such-id')).toBe(false);
    expect(chat.deleteMessage('#streamer', id)).toBe(true);
    const [channel, username, text, tags] = (await deleted) as [
      string,
      string,
      string,
      Record<string, unknown>,
    ];
    expect([channel, username, text, tags['target-msg-id']]).toEqual([
      '#streamer',
      'ronni',
      'oops',
      id,
    ]);
  });

  it('sends a NOTICE with a msg-id', async () => {
    const notice = next(bot, 'notice');
    expect(
      chat.notice('#streamer', 'msg_followersonly', 'This room is in followers-only mode.'),
    ).toBe(1);
    expect(await notice).toEqual([
      '#streamer',
      'msg_followersonly',
      'This room is in followers-only mode.',
    ]);
  });

  it('refreshes USERSTATE when the bot is made moderator after joining', async () => {
    expect(tmiState(bot).userstate['#streamer']?.mod).toBe(false);
    chat.setModerator('#streamer', 'mybot');
    await waitFor(() => tmiState(bot).userstate['#streamer']?.mod === true, {
      what: 'a mod USERSTATE',
    });
    expect(tmiState(bot).userstate['#streamer']?.badges).toEqual({ moderator: '1' });
  });
});
