/**
 * Longest chat line we send, in UTF-16 units. Twitch takes 500 characters; tmi.js splits
 * anything of 500 or more itself and sends the rest 350 ms later, outside our limiter, so
 * we stay one below.
 *
 * @example
 * ```ts
 * splitChatText(text).every((line) => line.length <= MAX_CHAT_LINE); // true
 * ```
 */
export const MAX_CHAT_LINE = 499;

/**
 * Turns text into chat lines: line breaks become spaces (a raw newline would end the IRC
 * line and start another command), and text longer than {@link MAX_CHAT_LINE} is split
 * at spaces where it can be, never inside a surrogate pair. Empty text gives no line.
 *
 * @example
 * ```ts
 * splitChatText('one\ntwo'); // ['one two']
 * splitChatText('a '.repeat(400)).length; // 2
 * ```
 */
export function splitChatText(text: string, max = MAX_CHAT_LINE): string[] {
  let rest = text.replace(/[\r\n\0]+/g, ' ').trim();
  const lines: string[] = [];
  while (rest.length > max) {
    let cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) {
      cut = max;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut--;
    }
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) lines.push(rest);
  return lines;
}
