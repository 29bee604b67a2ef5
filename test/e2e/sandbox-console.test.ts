import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type CogEntry, type TestBot } from '../../src/testing/index.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCREENSHOT = path.join(ROOT, 'docs/images/sandbox-console.png');
const GUILD = '222222222222222222';
/** Bounded waits for everything the page should show. */
const SEEN = { timeout: 5000 };

/** The shipped chat-commands cog, answering `!ping` with `pong`. */
const PING: CogEntry = {
  'chat-commands': { commands: { ping: { response: 'pong', cooldown: 0 } } },
};

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  const missing = `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
  // .ci/run installs it: in CI a missing browser is a broken install, never a silent skip.
  if (process.env.CI) throw new Error(`sandbox console browser test: ${missing}`);
  console.warn(`sandbox console browser test skipped: ${missing}`);
}

describe.skipIf(!hasChromium)('the sandbox console in Chromium', () => {
  let t: TestBot;
  let context: BrowserContext;
  let page: Page;
  let profile: string;

  beforeAll(async () => {
    t = await startTestBot({
      cogs: ['echo_console', PING],
      channels: ['streamer', 'second_channel'],
      discord: { guilds: [GUILD] },
    });
    profile = await mkdtemp(path.join(tmpdir(), 'streamcogs-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      timeout: 20_000,
      viewport: { width: 1600, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(SEEN.timeout);
  });
  afterAll(async () => {
    // The browser first: its spare connections would hold the server's graceful close.
    await context?.close();
    await t?.stop();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('opens with the bot, its channel and the live feed connected', async () => {
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${t.url}/sandbox`);
    await expect
      .poll(() => page.locator('#feed-status').textContent(), SEEN)
      .toBe('live updates on');
    expect(await page.locator('#bot option').allTextContents()).toEqual([`test_bot (${t.login})`]);
    expect(await page.locator('#channel').inputValue()).toBe('streamer');
    await expect
      .poll(() => page.locator('#chat-log').textContent(), SEEN)
      .toContain(`${t.login} joined the chat`);
    expect(errors).toEqual([]);
  });

  it('types !ping as a moderator viewer and shows the bot answer in the chat pane', async () => {
    await page.fill('#viewer', 'alice');
    await page.check('#badge-mod');
    await page.fill('#message', '!ping');
    await page.click('#send');
    const viewerLine = page.locator('#chat-log li.line', { hasText: 'alice:' });
    await viewerLine.waitFor();
    expect(await viewerLine.locator('.text').textContent()).toBe('!ping');
    expect(await viewerLine.locator('.badge').allTextContents()).toEqual(['mod']);
    const botLine = page.locator('#chat-log li.bot');
    await botLine.waitFor();
    expect(await botLine.locator('.who').textContent()).toBe(`${t.login}:`);
    expect(await botLine.locator('.text').textContent()).toBe('pong');
    expect(await page.inputValue('#message')).toBe(''); // ready for the next line
  });

  it('goes live and offline, and shows the EventSub side of it', async () => {
    await page.fill('#title', 'Console test stream');
    await page.click('#go-live');
    await expect
      .poll(() => page.locator('#stream-status').textContent(), SEEN)
      .toBe('LIVE · 42 viewers · Console test stream');
    await page.locator('#eventsub-log li', { hasText: 'stream.online' }).waitFor();
    expect(t.sandbox.world.streams.size).toBe(1);
    await page.click('#go-offline');
    await expect.poll(() => page.locator('#stream-status').textContent(), SEEN).toBe('offline');
    await page.locator('#eventsub-log li', { hasText: 'stream.offline' }).waitFor();
  });

  it('sends a raid and a sub from the event forms, into chat and the event log', async () => {
    const raid = page.locator('form[data-action="raid"]');
    await raid.locator('[name="from"]').fill('friendly_raider');
    await raid.locator('button').click();
    await page
      .locator('#chat-log li.notice', { hasText: 'raiders from friendly_raider' })
      .waitFor();
    const sub = page.locator('form[data-action="subscribe"]');
    await sub.locator('[name="user"]').fill('bob');
    await sub.locator('[name="tier"]').selectOption('2000');
    await sub.locator('button').click();
    await page.locator('#eventsub-log li', { hasText: 'bob → streamer · tier 2' }).waitFor();
  });

  it('shows what the server refuses, keeps channels apart, and renders hostile text as text', async () => {
    await page.fill('#message', '');
    await page.click('#send');
    await expect
      .poll(() => page.locator('#result').textContent(), SEEN)
      .toBe('chat: text: type something to say');
    await page.selectOption('#channel', 'second_channel');
    expect(await page.locator('#chat-title').textContent()).toBe('Twitch chat #second_channel');
    expect(await page.locator('#chat-log li.line:visible').count()).toBe(0);
    await page.fill('#message', '<img src=x onerror="document.title=1">');
    await page.click('#send');
    await page.locator('#chat-log li.line:visible', { hasText: '<img src=x' }).waitFor();
    expect(await page.locator('#chat-log img').count()).toBe(0);
    expect(t.sandbox.chat.chatters('#second_channel')).toContain(t.login);
    await page.selectOption('#channel', 'streamer');
    expect(await page.locator('#chat-log li.line:visible', { hasText: '<img' }).count()).toBe(0);
    await page.locator('#chat-log li.line:visible', { hasText: 'alice:' }).waitFor();
  });

  it('shows Discord posts live', async () => {
    const api = `${t.sandbox.discord.apiUrl}/v10`;
    const token = t.sandbox.accounts.get('test_bot')?.discord?.token ?? '';
    const list = (await (
      await fetch(`${api}/guilds/${GUILD}/channels`, { headers: { authorization: `Bot ${token}` } })
    ).json()) as { id: string; name: string }[];
    const live = list.find((c) => c.name === 'live')?.id ?? '';
    const hook = t.sandbox.discord.createWebhook({ channelId: live, name: 'Go-live alerts' });
    await fetch(`${api}/webhooks/${hook.id}/${hook.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        content: '@everyone streamer is live!',
        embeds: [{ title: 'Console test stream', description: 'Just Chatting · 42 viewers' }],
      }),
    });
    const general = list.find((c) => c.name === 'general')?.id ?? '';
    await fetch(`${api}/channels/${general}/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'Thanks for the raid, friendly_raider!' }),
    });
    await page.locator('#discord-log li', { hasText: 'Thanks for the raid' }).waitFor();
    const post = page.locator('#discord-log li', { hasText: 'streamer is live!' });
    await post.waitFor();
    expect(await post.locator('.where').textContent()).toBe('#live · test_bot sandbox guild');
    expect(await post.locator('.embed b').textContent()).toBe('Console test stream');
  });

  it('renders a whole session (the docs screenshot, with UPDATE_SCREENSHOTS=1)', async () => {
    await page.fill('#title', 'Building a bot, live');
    await page.fill('#game', 'Software and Game Development');
    await page.fill('#viewers', '128');
    await page.click('#go-live');
    await expect
      .poll(() => page.locator('#stream-status').textContent(), SEEN)
      .toBe('LIVE · 128 viewers · Building a bot, live');
    const lines: [string, string[], string][] = [
      ['ronni', ['#badge-sub'], 'hi chat, first time here with the sandbox'],
      ['kappa_fan', ['#badge-vip'], '!ping'],
      ['alice', ['#badge-mod', '#badge-sub'], 'welcome ronni!'],
    ];
    for (const [viewer, badges, text] of lines) {
      await page.fill('#viewer', viewer);
      for (const b of ['#badge-mod', '#badge-vip', '#badge-sub', '#badge-broadcaster'])
        await page.setChecked(b, badges.includes(b));
      await page.fill('#message', text);
      await page.click('#send');
      await page.locator('#chat-log li.line', { hasText: text }).last().waitFor();
    }
    await expect.poll(() => page.locator('#chat-log li.bot').count(), SEEN).toBe(2);
    const cheer = page.locator('form[data-action="cheer"]');
    await cheer.locator('[name="user"]').fill('ronni');
    await cheer.locator('[name="message"]').fill('Cheer500 great stream');
    await cheer.locator('[name="bits"]').fill('500');
    await cheer.locator('button').click();
    await page.locator('#chat-log li.notice', { hasText: 'ronni cheered 500 bits' }).waitFor();
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      await mkdir(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
    }
  });
});
