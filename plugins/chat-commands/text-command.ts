import type { ChatCommandDefinition, PermissionLevel } from '../../core/index.js';
import type { Counters } from './counters.js';
import { render } from './render.js';
import type { StreamInfoCache } from './stream-info.js';
import type { Template } from './template.js';

/** Seconds, for everyone in the channel and per user. */
export interface Cooldown {
  global: number;
  user: number;
}

/**
 * A text command, from bots.yaml or made in chat.
 *
 * @example
 * ```ts
 * const spec: TextCommandSpec = { name: 'hi', template, permission: 'everyone', cooldown: { global: 5, user: 0 } };
 * ```
 */
export interface TextCommandSpec {
  name: string;
  template: Template;
  permission: PermissionLevel;
  cooldown: Cooldown;
  aliases?: readonly string[];
  description?: string;
  cooldownBypass?: boolean;
  allow?: readonly string[];
  deny?: readonly string[];
  /** Threaded reply instead of a plain message. */
  reply?: boolean;
  channels?: readonly string[];
}

/** What a text command needs to render. */
export interface TextCommandDeps {
  counters: Counters;
  streams: StreamInfoCache;
}

/**
 * The registry definition of a text command: renders its template for whoever ran it
 * (counting the use when it has `{count}`) and sends the result; an empty result sends
 * nothing.
 *
 * @example
 * ```ts
 * const { template } = parseTemplate('Deaths: {count}', 'command');
 * ctx.twitch.commands.register(
 *   textCommand({ name: 'death', template: template!, permission: 'moderator', cooldown: { global: 0, user: 0 } }, deps),
 * );
 * ```
 */
export function textCommand(spec: TextCommandSpec, deps: TextCommandDeps): ChatCommandDefinition {
  const key = spec.name.toLowerCase();
  return {
    name: key,
    aliases: spec.aliases,
    description: spec.description ?? spec.template.source,
    permission: spec.permission,
    cooldown: spec.cooldown,
    cooldownBypass: spec.cooldownBypass ?? true,
    allow: spec.allow,
    deny: spec.deny,
    channels: spec.channels,
    async run(inv) {
      const text = await render(spec.template, {
        channel: inv.channel,
        invocation: inv,
        count: () => deps.counters.next(inv.channel, key),
        stream: (channel) => deps.streams.get(channel),
      });
      if (!text) return;
      await (spec.reply ? inv.reply(text) : inv.say(text));
    },
  };
}
