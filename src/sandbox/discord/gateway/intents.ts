/**
 * Gateway intent bits the simulator filters on.
 *
 * @example
 * ```ts
 * const wantsMembers = (intents & Intent.GuildMembers) !== 0;
 * ```
 */
export const Intent = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildPresences: 1 << 8,
  GuildMessages: 1 << 9,
  DirectMessages: 1 << 12,
  MessageContent: 1 << 15,
} as const;

/**
 * Gateway opcodes.
 *
 * @example
 * ```ts
 * ws.send(JSON.stringify({ op: Op.HeartbeatAck }));
 * ```
 */
export const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  VoiceStateUpdate: 4,
  Resume: 6,
  Reconnect: 7,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

/**
 * Name of an opcode, for records.
 *
 * @example
 * ```ts
 * opName(2); // 'IDENTIFY'
 * ```
 */
export function opName(op: number): string {
  const names: Record<number, string> = {
    0: 'DISPATCH',
    1: 'HEARTBEAT',
    2: 'IDENTIFY',
    3: 'PRESENCE_UPDATE',
    4: 'VOICE_STATE_UPDATE',
    6: 'RESUME',
    8: 'REQUEST_GUILD_MEMBERS',
  };
  return names[op] ?? `OP_${op}`;
}
