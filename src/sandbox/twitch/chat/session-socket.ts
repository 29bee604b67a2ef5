/**
 * Wires one accepted WebSocket to the simulator: a session, its incoming frames, and the
 * clean-up (PART to membership clients) when it closes.
 *
 * @example
 * ```ts
 * wss.on('connection', (ws) => attachSession(core, ws));
 * ```
 */
import type { RawData, WebSocket } from 'ws';
import type { ChatCore } from './chat-core.js';
import { ChatSession } from './chat-session.js';
import { receiveFrame } from './client-commands.js';

/**
 * Creates the session for `ws` and handles its messages, errors and close.
 *
 * @example
 * ```ts
 * const session = attachSession(core, ws);
 * ```
 */
export function attachSession(core: ChatCore, ws: WebSocket): ChatSession {
  const session = new ChatSession(ws);
  core.sessions.add(session);
  ws.on('message', (data, isBinary) => receiveFrame(core, session, isBinary ? null : text(data)));
  ws.on('error', () => {
    core.malformedLines++;
  });
  ws.on('close', () => {
    session.closing = true;
    core.sessions.delete(session);
    if (session.authenticated && !session.anonymous) {
      const l = session.login;
      for (const name of session.channels) {
        const room = core.rooms.find(name);
        room?.members.delete(session);
        room?.members.forEach((m) => {
          if (m.has('twitch.tv/membership')) m.send(`:${l}!${l}@${l}.tmi.twitch.tv PART ${name}`);
        });
      }
    }
    core.rooms.leaveAll(session);
  });
  return session;
}

function text(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
