import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { waitUntil, type TestBot } from '../../../src/testing/index.js';

/** Test cogs of these tests. */
export const FIXTURE_COGS = fileURLToPath(new URL('./fixtures/plugins/', import.meta.url));

/** A YAML text command every test config has: answers `pong <args>` with no cooldown. */
export const PING = { ping: { response: 'pong {args}', cooldown: 0 } };

let barrier = 0;

/**
 * Asserts that `act` makes the bot say nothing: a `!ping` sent right after it is answered,
 * and that answer is the only bot line since. Chat lines are handled in order, so an
 * answer to `act` would have come first.
 */
export async function expectSilence(t: TestBot, act: () => void, channel = t.channel) {
  const before = t.botMessages(channel).length;
  act();
  const token = `barrier${++barrier}`;
  t.viewer('barrier_viewer').says(`!ping ${token}`, channel);
  await waitUntil(
    () => t.botMessages(channel).includes(`pong ${token}`),
    `the bot to answer !ping ${token}`,
  );
  expect(t.botMessages(channel).slice(before)).toEqual([`pong ${token}`]);
}

/** Sends a line as a viewer and waits for the bot's next line. */
export async function ask(
  t: TestBot,
  login: string,
  text: string,
  badges?: Parameters<TestBot['viewer']>[1],
  channel = t.channel,
): Promise<string> {
  const next = t.nextBotMessage(channel);
  t.viewer(login, badges).says(text, channel);
  return next;
}
