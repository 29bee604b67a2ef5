// Renders feed records (see src/sandbox/console/feed.ts) into the three panes.
import { appendLog, byId, clock, el } from './dom.js';

/**
 * @typedef {{ id: number, at: number, kind: string, [key: string]: any }} FeedEvent
 * @typedef {{ channel: () => string, onStream: (e: FeedEvent) => void }} ViewHooks
 */

/** @param {FeedEvent} e @param {string} current */
function chatItem(e, current) {
  const item = el('li', { 'data-channel': e.channel, hidden: e.channel !== current });
  item.append(clock(e.at));
  if (e.kind === 'chat') {
    item.classList.add('line');
    if (e.bot) item.classList.add('bot');
    item.dataset.msgId = e.msgId;
    if (e.bot) item.append(el('span', { class: 'badge bot' }, 'bot'));
    for (const b of e.badges)
      item.append(
        el(
          'span',
          { class: `badge ${b}` },
          b === 'moderator' ? 'mod' : b === 'subscriber' ? 'sub' : b,
        ),
      );
    item.append(
      el('span', { class: 'who' }, `${e.displayName}:`),
      el('span', { class: 'text' }, e.text),
    );
    if (e.replyTo) item.title = 'a threaded reply';
  } else if (e.kind === 'chat-dropped') {
    item.classList.add('line', 'dropped');
    item.append(el('span', { class: 'who' }, `${e.login}:`), el('span', { class: 'text' }, e.text));
    item.append(el('span', { class: 'reason' }, `dropped: ${e.reason.replace('_', ' ')}`));
  } else {
    item.classList.add('notice');
    item.append(el('span', { class: 'text' }, e.text));
  }
  return item;
}

/** @param {FeedEvent} e */
function discordItem(e) {
  if (e.kind === 'discord-role') {
    return el(
      'li',
      { class: e.added ? 'role' : 'role removed' },
      clock(e.at),
      `${e.user} ${e.added ? 'got' : 'lost'} the role ${e.role}`,
      el('span', { class: 'where' }, e.guild),
    );
  }
  const item = el('li', { 'data-message-id': e.messageId, class: e.dm ? 'dm' : 'message' });
  item.append(el('span', { class: 'where' }, e.where), clock(e.at));
  if (e.webhook) item.append(el('span', { class: 'badge' }, 'webhook'));
  else if (e.authorBot) item.append(el('span', { class: 'badge bot' }, 'bot'));
  item.append(el('span', { class: 'who' }, `${e.webhook ?? e.author}:`));
  if (e.content) item.append(el('span', { class: 'text' }, e.content));
  for (const embed of e.embeds) {
    item.append(
      el(
        'div',
        { class: 'embed' },
        embed.title ? el('b', {}, embed.title) : null,
        embed.description ?? '',
      ),
    );
  }
  if (e.edited) item.append(el('span', { class: 'webhook' }, '(edited)'));
  return item;
}

/** @param {FeedEvent} e */
function eventSubItem(e) {
  if (e.kind === 'twitch-event') {
    return el(
      'li',
      { class: 'notification' },
      clock(e.at),
      el('span', { class: 'who' }, e.type),
      e.summary,
    );
  }
  const label = e.status === null ? 'no answer' : String(e.status);
  return el(
    'li',
    { class: e.ok ? 'delivery' : 'delivery fail' },
    clock(e.at),
    el('span', { class: 'status' }, `→ ${label}`),
    `${e.messageType === 'notification' ? e.type : `${e.messageType} (${e.type})`} to ${e.path}`,
    e.retry ? ` · retry ${e.retry}` : '',
    ` · ${e.latencyMs} ms`,
    e.error ? ` · ${e.error}` : '',
  );
}

/**
 * Routes one record to its pane.
 * @param {FeedEvent} e
 * @param {ViewHooks} hooks
 */
export function render(e, hooks) {
  switch (e.kind) {
    case 'chat':
    case 'chat-dropped':
    case 'chat-notice':
      appendLog(byId('chat-log'), chatItem(e, `#${hooks.channel()}`));
      break;
    case 'discord-message': {
      const log = byId('discord-log');
      const old = [...log.querySelectorAll('[data-message-id]')].find(
        (n) => n instanceof HTMLElement && n.dataset.messageId === e.messageId,
      );
      if (old) old.replaceWith(discordItem(e));
      else appendLog(log, discordItem(e));
      break;
    }
    case 'discord-delete':
      for (const n of byId('discord-log').querySelectorAll('[data-message-id]'))
        if (n instanceof HTMLElement && n.dataset.messageId === e.messageId)
          n.classList.add('deleted');
      break;
    case 'discord-role':
      appendLog(byId('discord-log'), discordItem(e));
      break;
    case 'twitch-event':
    case 'eventsub':
      appendLog(byId('eventsub-log'), eventSubItem(e));
      break;
    case 'stream':
      hooks.onStream(e);
      break;
  }
}

/** Shows only the chat lines of `channel` (a login, no #). @param {string} channel */
export function showChannel(channel) {
  for (const n of byId('chat-log').children)
    if (n instanceof HTMLElement && n.dataset.channel)
      n.hidden = n.dataset.channel !== `#${channel}`;
  byId('chat-channel').textContent = `#${channel}`;
}
