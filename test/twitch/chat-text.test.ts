import { describe, expect, it } from 'vitest';
import { MAX_CHAT_LINE, splitChatText } from '../../src/twitch/chat-text.js';

describe('splitChatText', () => {
  it('turns line breaks into spaces so a message cannot start a second IRC command', () => {
    expect(splitChatText('hi\r\nPRIVMSG #other :spam')).toEqual(['hi PRIVMSG #other :spam']);
  });

  it('splits long text at spaces into lines tmi.js will not split again', () => {
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const lines = splitChatText(words);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(MAX_CHAT_LINE);
    expect(lines.join(' ')).toBe(words);
  });

  it('cuts a text without spaces without breaking a surrogate pair', () => {
    const text = 'a'.repeat(MAX_CHAT_LINE - 1) + '😀' + 'b'.repeat(10);
    const lines = splitChatText(text);
    expect(lines.join('')).toBe(text);
    expect(lines[0]).toBe('a'.repeat(MAX_CHAT_LINE - 1));
  });

  it('gives nothing for blank text', () => {
    expect(splitChatText(' \n ')).toEqual([]);
  });
});
