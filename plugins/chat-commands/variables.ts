/** Where a template is used: a command (someone ran it) or a timer (nobody did). */
export type TemplateUse = 'command' | 'timer';

/** One variable a response may contain, as `{name}` or `{name argument}`. */
export interface VariableSpec {
  /** How it is written in the docs (lookup ignores case). */
  name: string;
  /** What it becomes. */
  description: string;
  /** Needs the person who ran the command: not in timers. */
  needsInvocation: boolean;
  /** Takes `{random 1-100}`-style argument. */
  argument?: 'range';
  /** Accepts `{1|fallback}` when empty. */
  fallback?: boolean;
  /** Reads Helix (cached). */
  helix?: boolean;
}

const positional: VariableSpec[] = Array.from({ length: 9 }, (_, i) => ({
  name: String(i + 1),
  description: `word ${i + 1} after the command (empty when missing; {${i + 1}|text} gives text instead)`,
  needsInvocation: true,
  fallback: true,
}));

/**
 * Every variable a text command or timer may use.
 *
 * @example
 * ```ts
 * VARIABLES.map((v) => `{${v.name}}`).join(', ');
 * ```
 */
export const VARIABLES: readonly VariableSpec[] = [
  { name: 'user', description: 'login of who ran the command', needsInvocation: true },
  { name: 'displayName', description: 'display name of who ran it', needsInvocation: true },
  {
    name: 'touser',
    description:
      'the first word after the command without "@", else the display name of who ran it',
    needsInvocation: true,
  },
  { name: 'channel', description: 'the channel login', needsInvocation: false },
  {
    name: 'args',
    description: 'everything after the command ({args|text} gives text when empty)',
    needsInvocation: true,
    fallback: true,
  },
  ...positional,
  {
    name: 'count',
    description: 'how many times the command ran in this channel (kept across restarts)',
    needsInvocation: true,
  },
  {
    name: 'random',
    description: 'a whole number in a range, written {random 1-100}',
    needsInvocation: false,
    argument: 'range',
  },
  {
    name: 'uptime',
    description: 'how long the stream has been live, or "offline"',
    needsInvocation: false,
    helix: true,
  },
  { name: 'game', description: 'the category of the channel', needsInvocation: false, helix: true },
  { name: 'title', description: 'the stream title', needsInvocation: false, helix: true },
];

const BY_NAME = new Map(VARIABLES.map((v) => [v.name.toLowerCase(), v]));

/**
 * The variable called `name` (any case), if there is one.
 *
 * @example
 * ```ts
 * variable('DisplayName')?.name; // 'displayName'
 * ```
 */
export function variable(name: string): VariableSpec | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/**
 * The variables valid for a use, written `{name}`, for error messages.
 *
 * @example
 * ```ts
 * variableList('timer'); // '{channel}, {random 1-100}, {uptime}, {game}, {title}'
 * ```
 */
export function variableList(use: TemplateUse): string {
  return VARIABLES.filter((v) => use === 'command' || !v.needsInvocation)
    .filter((v) => !/^[2-9]$/.test(v.name))
    .map((v) => (v.argument ? `{${v.name} 1-100}` : v.name === '1' ? '{1}..{9}' : `{${v.name}}`))
    .join(', ');
}
