/** What a parsed chat line asks for. */
export interface ParsedCommand {
  /** Lower-case command name, without the prefix. */
  name: string;
  args: string[];
  /** Everything after the name, trimmed. */
  argsText: string;
}

const WS = /\s/;

/**
 * Splits `!name arg1 arg2` after the bot's prefix; null when the line is not a command.
 * Cheap on the common path: a line that does not start with the prefix costs one compare.
 *
 * @example
 * ```ts
 * parseCommand('!So  Alice', '!'); // { name: 'so', args: ['Alice'], argsText: 'Alice' }
 * parseCommand('hello', '!'); // null
 * ```
 */
export function parseCommand(text: string, prefix: string): ParsedCommand | null {
  if (!text.startsWith(prefix)) return null;
  let start = prefix.length;
  while (start < text.length && WS.test(text[start] as string)) start++;
  let end = start;
  while (end < text.length && !WS.test(text[end] as string)) end++;
  if (end === start) return null;
  const argsText = text.slice(end).trim();
  return {
    name: text.slice(start, end).toLowerCase(),
    args: argsText ? argsText.split(/\s+/) : [],
    argsText,
  };
}
