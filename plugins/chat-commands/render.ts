import type { ChatUser } from '../../core/index.js';
import { formatUptime } from './duration.js';
import type { StreamInfo } from './stream-info.js';
import { neutralize, type Template } from './template.js';

/** What a template is rendered with. */
export interface RenderScope {
  channel: string;
  /** Who ran the command and with what; absent for timers. */
  invocation?: { user: ChatUser; args: readonly string[]; argsText: string };
  /** Counts this use and returns the new total (called once, only if `{count}` is used). */
  count?: () => Promise<number>;
  /** Stream facts of the channel (called once, only if a Helix variable is used). */
  stream?: (channel: string) => Promise<StreamInfo | undefined>;
  /** Default `Math.random`. */
  random?: () => number;
  now?: () => number;
}

const HELIX = ['uptime', 'game', 'title'];

/**
 * Renders a checked template. Asynchronous facts (`{count}`, Helix) are fetched once and
 * only when used; a fact Helix could not give renders as `unknown`. The result never starts
 * with a chat command a viewer slipped in (see `neutralize`).
 *
 * @example
 * ```ts
 * const { template } = parseTemplate('{displayName} rolled {random 1-6}', 'command');
 * await render(template!, { channel: 'alice', invocation: { user, args: [], argsText: '' } });
 * ```
 */
export async function render(template: Template, scope: RenderScope): Promise<string> {
  const uses = template.uses;
  const [count, stream] = await Promise.all([
    uses.has('count') && scope.count ? scope.count() : undefined,
    HELIX.some((h) => uses.has(h)) && scope.stream ? scope.stream(scope.channel) : undefined,
  ]);
  const random = scope.random ?? Math.random;
  const now = scope.now ?? Date.now;
  const inv = scope.invocation;
  let out = '';
  for (const part of template.parts) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    const orFallback = (v: string | undefined): string => (v ? v : (part.fallback ?? ''));
    switch (part.name) {
      case 'user':
        out += inv?.user.login ?? '';
        break;
      case 'displayname':
        out += inv?.user.displayName ?? '';
        break;
      case 'touser':
        out += inv?.args[0]?.replace(/^@+/, '') || inv?.user.displayName || '';
        break;
      case 'channel':
        out += scope.channel;
        break;
      case 'args':
        out += orFallback(inv?.argsText);
        break;
      case 'count':
        out += String(count ?? 0);
        break;
      case 'random': {
        const min = part.min ?? 1;
        const max = part.max ?? 100;
        out += String(min + Math.floor(random() * (max - min + 1)));
        break;
      }
      case 'uptime':
        out += !stream
          ? 'unknown'
          : stream.startedAt
            ? formatUptime(now() - stream.startedAt.getTime())
            : 'offline';
        break;
      case 'game':
        out += stream?.game || (stream ? 'no category' : 'unknown');
        break;
      case 'title':
        out += stream ? stream.title : 'unknown';
        break;
      default:
        out += orFallback(inv?.args[Number(part.name) - 1]);
    }
  }
  return neutralize(out, template.action).trim();
}
