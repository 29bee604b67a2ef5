import type { ChatMessage, PluginContext } from '../../core/index.js';
import { parseDuration } from './duration.js';
import { render } from './render.js';
import type { TimerSettings } from './settings.js';
import type { StreamInfoCache } from './stream-info.js';
import { parseTemplate, type Template } from './template.js';

interface ChannelState {
  lines: number;
  lastPost: number;
  next: number;
  busy: boolean;
}

/** Timers post slightly early rather than a whole interval late when ticks jitter. */
const TOLERANCE = 0.05;

/**
 * One timer of bots.yaml: posts its messages in turn, in each of its channels, at most
 * once per interval, only after `min_chat_lines` chat lines (not the bot's) since its last post
 * there, and only while the channel is live (Helix, cached) unless `only_when_live: false`.
 * It checks on each tick and on each chat line once the interval has passed.
 *
 * @example
 * ```ts
 * const timer = new ChatTimer(ctx, settings.timers[0], streams, 0);
 * timer.start();
 * ```
 */
export class ChatTimer {
  readonly #templates: Template[];
  readonly #intervalMs: number;
  readonly #state = new Map<string, ChannelState>();
  readonly #label: string;

  constructor(
    private readonly ctx: PluginContext,
    private readonly settings: TimerSettings,
    private readonly streams: StreamInfoCache,
    index: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#templates = settings.messages.map((m) => parseTemplate(m, 'timer').template as Template);
    this.#intervalMs = parseDuration(settings.every) ?? 15 * 60_000;
    this.#label = settings.name ?? `timers[${index}]`;
  }

  /** Starts ticking and counting chat lines; both stop when the cog unloads. */
  start(): void {
    const started = this.now();
    const state = (channel: string): ChannelState => {
      let s = this.#state.get(channel);
      if (!s) this.#state.set(channel, (s = { lines: 0, lastPost: started, next: 0, busy: false }));
      return s;
    };
    this.ctx.twitch.chat.onMessage((m: ChatMessage) => {
      if (m.self || !this.#channels().includes(m.channel)) return;
      const s = state(m.channel);
      s.lines++;
      if (this.#due(s) && s.lines >= this.settings.min_chat_lines)
        return this.#attempt(m.channel, s);
    });
    this.ctx.schedule.every(this.#intervalMs, () =>
      Promise.all(this.#channels().map((c) => this.#attempt(c, state(c)))),
    );
  }

  #channels(): readonly string[] {
    return this.settings.channels ?? this.ctx.bot.channels;
  }

  #due(s: ChannelState): boolean {
    return this.now() - s.lastPost >= this.#intervalMs * (1 - TOLERANCE);
  }

  async #attempt(channel: string, s: ChannelState): Promise<void> {
    if (s.busy || !this.#due(s)) return;
    const skip = (reason: string) =>
      this.ctx.log.debug({ timer: this.#label, channel, reason }, 'timer not posted');
    if (s.lines < this.settings.min_chat_lines)
      return skip(`${s.lines} of ${this.settings.min_chat_lines} chat lines`);
    s.busy = true;
    try {
      if (this.settings.only_when_live && !(await this.streams.get(channel))?.live)
        return skip('offline');
      // Several instances on one Redis each run this timer: the one that claims the post
      // makes it; the others count it as made.
      const claimMs = Math.max(1, Math.floor(this.#intervalMs * (1 - TOLERANCE)));
      if (!(await this.ctx.storage.claim(`timer:${this.#label}:${channel}`, claimMs))) {
        s.lines = 0;
        s.lastPost = this.now();
        return skip('another instance posted it');
      }
      const template = this.#templates[s.next % this.#templates.length] as Template;
      const text = await render(template, {
        channel,
        stream: (c) => this.streams.get(c),
      });
      s.next++;
      s.lines = 0;
      s.lastPost = this.now();
      if (text) await this.ctx.twitch.chat.say(channel, text);
      this.ctx.log.debug({ timer: this.#label, channel }, 'timer posted');
    } finally {
      s.busy = false;
    }
  }
}
