/**
 * IRC line parsing and formatting with IRCv3 message tags, as Twitch chat uses them.
 *
 * @example
 * ```ts
 * const msg = parseIrcLine('@reply-parent-msg-id=abc PRIVMSG #chan :hello there');
 * // { tags: { 'reply-parent-msg-id': 'abc' }, prefix: null, command: 'PRIVMSG', params: ['#chan', 'hello there'] }
 * ```
 */

/**
 * One parsed IRC line.
 *
 * @example
 * ```ts
 * const ping: IrcMessage = { tags: {}, prefix: null, command: 'PING', params: [] };
 * ```
 */
export interface IrcMessage {
  tags: Record<string, string>;
  prefix: string | null;
  /** Upper case. */
  command: string;
  params: string[];
}

const TAG_ESCAPES: Record<string, string> = {
  ';': '\\:',
  ' ': '\\s',
  '\\': '\\\\',
  '\r': '\\r',
  '\n': '\\n',
};
const TAG_UNESCAPES: Record<string, string> = { ':': ';', s: ' ', '\\': '\\', r: '\r', n: '\n' };
const NEEDS_ESCAPE = /[; \\\r\n]/;
const ESCAPE_ALL = /[; \\\r\n]/g;

/**
 * Escapes a tag value (`;` -> `\:`, space -> `\s`, `\` -> `\\`, CR -> `\r`, LF -> `\n`).
 *
 * @example
 * ```ts
 * escapeTagValue('a b;c'); // 'a\\sb\\:c'
 * ```
 */
export function escapeTagValue(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPE_ALL, (c) => TAG_ESCAPES[c] ?? c) : value;
}

/**
 * Reverses {@link escapeTagValue}; an unknown escape keeps the character, a trailing `\` is dropped.
 *
 * @example
 * ```ts
 * unescapeTagValue('a\\sb\\:c'); // 'a b;c'
 * ```
 */
export function unescapeTagValue(value: string): string {
  if (!value.includes('\\')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = value[++i];
    if (next !== undefined) out += TAG_UNESCAPES[next] ?? next;
  }
  return out;
}

/**
 * Formats tags as `@k=v;k2=v2 ` (with the trailing space), or `''` when there are none.
 * Values are escaped; keys are written in the given order.
 *
 * @example
 * ```ts
 * formatTags({ 'msg-id': 'sub', 'system-msg': 'hi there' }); // '@msg-id=sub;system-msg=hi\\sthere '
 * ```
 */
export function formatTags(tags: Record<string, string>): string {
  let out = '';
  for (const key in tags) {
    out += (out ? ';' : '@') + key + '=' + escapeTagValue(tags[key] as string);
  }
  return out ? out + ' ' : '';
}

/**
 * Parses `@a=b;c=d` (without the `@`) into an object, unescaping values.
 *
 * @example
 * ```ts
 * parseTags('a=1;b'); // { a: '1', b: '' }
 * ```
 */
export function parseTags(raw: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const part of raw.split(';')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq === -1) tags[part] = '';
    else tags[part.slice(0, eq)] = unescapeTagValue(part.slice(eq + 1));
  }
  return tags;
}

/**
 * Parses one IRC line (without CR LF). Returns `null` when the line is malformed.
 *
 * @example
 * ```ts
 * parseIrcLine('JOIN #a,#b')?.params; // ['#a,#b']
 * parseIrcLine('@only-tags'); // null
 * ```
 */
export function parseIrcLine(line: string): IrcMessage | null {
  let rest = line;
  let tags: Record<string, string> = {};
  let prefix: string | null = null;
  if (rest.startsWith('@')) {
    const space = rest.indexOf(' ');
    if (space === -1) return null;
    tags = parseTags(rest.slice(1, space));
    rest = rest.slice(space + 1).trimStart();
  }
  if (rest.startsWith(':')) {
    const space = rest.indexOf(' ');
    if (space === -1) return null;
    prefix = rest.slice(1, space);
    rest = rest.slice(space + 1).trimStart();
  }
  const params: string[] = [];
  let command = '';
  while (rest.length > 0) {
    if (command && rest.startsWith(':')) {
      params.push(rest.slice(1));
      break;
    }
    const space = rest.indexOf(' ');
    const word = space === -1 ? rest : rest.slice(0, space);
    if (!command) command = word;
    else params.push(word);
    rest = space === -1 ? '' : rest.slice(space + 1).trimStart();
  }
  if (!/^(?:[A-Za-z]+|\d{3})$/.test(command)) return null;
  return { tags, prefix, command: command.toUpperCase(), params };
}

/**
 * Removes CR and LF so a value can be sent as an IRC parameter.
 *
 * @example
 * ```ts
 * oneLine('a\r\nb'); // 'a  b'
 * ```
 */
export function oneLine(text: string): string {
  return text.includes('\r') || text.includes('\n') ? text.replace(/[\r\n]/g, ' ') : text;
}
