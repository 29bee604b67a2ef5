// The sandbox console: act as viewers and streamers, watch everything live over SSE.
import { byId, el } from './dom.js';
import { render, showChannel } from './view.js';

/** @type {{ name: string, login: string, channels: string[], guilds: { id: string, name: string, channels: string[] }[] }[]} */
let bots = [];
/** Stream state per '#channel'. @type {Map<string, { live: boolean, title: string, game: string, viewers: number }>} */
const streams = new Map();
let lastId = 0;

const select = (/** @type {string} */ id) => /** @type {HTMLSelectElement} */ (byId(id));
const input = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (byId(id));
const channel = () => select('channel').value;

/**
 * POSTs an action; resolves with the JSON answer or throws with the server's message.
 * @param {string} action @param {Record<string, unknown>} body
 */
async function act(action, body) {
  const res = await fetch(`/sandbox/api/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel: channel(), ...body }),
  });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(answer.message ?? `${res.status} ${res.statusText}`);
  return answer;
}

/** @param {string} text @param {boolean} [error] */
function say(text, error = false) {
  const result = byId('result');
  result.textContent = text;
  result.classList.toggle('error', error);
}

/** Runs an action from a form and reports how it went. @param {string} action @param {Record<string, unknown>} body */
async function run(action, body) {
  try {
    await act(action, body);
    say(`${action}: done`);
    return true;
  } catch (err) {
    say(`${action}: ${err instanceof Error ? err.message : String(err)}`, true);
    return false;
  }
}

function showStream() {
  const s = streams.get(`#${channel()}`);
  const pill = byId('stream-status');
  pill.classList.toggle('live', Boolean(s?.live));
  pill.classList.toggle('offline', !s?.live);
  pill.textContent = s?.live ? `LIVE · ${s.viewers} viewers · ${s.title}` : 'offline';
}

function fillChannels() {
  const bot = bots.find((b) => b.name === select('bot').value) ?? bots[0];
  const channels = select('channel');
  channels.replaceChildren(
    ...(bot?.channels ?? []).map((c) => el('option', { value: c }, `#${c}`)),
  );
  showChannel(channel());
  showStream();
}

async function loadState() {
  const res = await fetch('/sandbox/api/state');
  const state = await res.json();
  bots = state.bots;
  for (const s of state.streams) streams.set(s.channel, s);
  select('bot').replaceChildren(
    ...bots.map((b) => el('option', { value: b.name }, `${b.name} (${b.login})`)),
  );
  fillChannels();
}

function connect() {
  const status = byId('feed-status');
  const source = new EventSource('/sandbox/events');
  source.onopen = () => {
    status.textContent = 'live updates on';
    status.className = 'pill connected';
  };
  source.onerror = () => {
    status.textContent =
      source.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting…';
    status.className = 'pill broken';
  };
  source.onmessage = (message) => {
    const e = JSON.parse(message.data);
    if (e.id <= lastId) return; // a replay after a reconnect
    lastId = e.id;
    render(e, {
      channel,
      onStream: (s) => {
        streams.set(s.channel, s);
        showStream();
      },
    });
  };
}

function wireForms() {
  select('bot').addEventListener('change', fillChannels);
  select('channel').addEventListener('change', () => {
    showChannel(channel());
    showStream();
  });
  byId('chat-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input('message').value;
    const badges = {
      moderator: input('badge-mod').checked,
      vip: input('badge-vip').checked,
      broadcaster: input('badge-broadcaster').checked,
      ...(input('badge-sub').checked ? { subscriber: 1 } : {}),
    };
    if (await run('chat', { viewer: input('viewer').value, text, badges }))
      input('message').value = '';
    input('message').focus();
  });
  byId('stream-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const viewers = Number(input('viewers').value || 0);
    void run('live', { title: input('title').value, game: input('game').value, viewers });
  });
  byId('go-offline').addEventListener('click', () => void run('offline', {}));
  for (const form of document.querySelectorAll('form.event')) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!(form instanceof HTMLFormElement)) return;
      /** @type {Record<string, unknown>} */
      const body = {};
      for (const field of form.querySelectorAll('input, select')) {
        if (!(field instanceof HTMLInputElement || field instanceof HTMLSelectElement)) continue;
        if (field.value === '') continue;
        body[field.name] = field.type === 'number' ? Number(field.value) : field.value;
      }
      void run(form.dataset.action ?? '', body);
    });
  }
}

wireForms();
loadState()
  .then(connect)
  .catch((err) => say(`could not load the sandbox state: ${err}`, true));
