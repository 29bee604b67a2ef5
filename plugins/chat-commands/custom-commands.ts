import type { Disposer, PluginContext } from '../../core/index.js';
import type { ChannelCommands, CustomCommandStore } from './custom-store.js';
import { parseTemplate } from './template.js';
import { textCommand, type TextCommandDeps } from './text-command.js';

/**
 * A refusal to show the moderator as the answer, e.g. "!discord already exists".
 *
 * @example
 * ```ts
 * throw new ChatError('!discord already exists: use !cmd edit.');
 * ```
 */
export class ChatError extends Error {}

interface Registration {
  /** What was registered, to notice a change. */
  key: string;
  dispose: Disposer;
}

/**
 * The text commands moderators make in chat, per channel: kept in storage, registered in
 * the bot's command registry for that channel only, changed one at a time.
 *
 * @example
 * ```ts
 * const custom = new CustomCommands(ctx, store, deps);
 * await custom.loadAll();
 * await custom.change('alice', (doc) => { doc.commands.hi = stored; });
 * ```
 */
export class CustomCommands {
  readonly #docs = new Map<string, Promise<ChannelCommands>>();
  readonly #registered = new Map<string, Map<string, Registration>>();
  #lock: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: PluginContext,
    private readonly store: CustomCommandStore,
    private readonly deps: TextCommandDeps,
  ) {}

  /** Registers the saved commands of every channel that has some. */
  async loadAll(): Promise<void> {
    for (const channel of await this.store.channels()) await this.doc(channel);
  }

  /** The channel's chat-made commands (loaded and registered on first use). */
  doc(channel: string): Promise<ChannelCommands> {
    let doc = this.#docs.get(channel);
    if (!doc) {
      doc = this.store.load(channel).then((loaded) => {
        this.#sync(channel, loaded);
        return loaded;
      });
      this.#docs.set(channel, doc);
      doc.catch(() => this.#docs.delete(channel));
    }
    return doc;
  }

  /**
   * Runs one change of a channel's commands after the previous change finished: `edit`
   * changes a copy (throw a {@link ChatError} to refuse); then the registry follows and the
   * copy is saved. If the registry refuses, nothing changes.
   */
  change<T>(channel: string, edit: (doc: ChannelCommands) => T | Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const current = await this.doc(channel);
      const next = structuredClone(current);
      const result = await edit(next);
      try {
        this.#sync(channel, next, changedNames(current, next));
      } catch (err) {
        this.#sync(channel, current);
        throw err;
      }
      await this.store.save(channel, next);
      this.#docs.set(channel, Promise.resolve(next));
      return result;
    };
    const p = this.#lock.then(run, run);
    this.#lock = p.catch(() => {});
    return p;
  }

  /**
   * Makes the registrations of `channel` match `doc`. A name in `strict` that cannot be
   * registered throws; any other is logged and left inactive.
   */
  #sync(channel: string, doc: ChannelCommands, strict: ReadonlySet<string> = new Set()): void {
    let regs = this.#registered.get(channel);
    if (!regs) this.#registered.set(channel, (regs = new Map()));
    const wanted = new Map<string, { key: string; register: () => Disposer }>();
    for (const [name, cmd] of Object.entries(doc.commands)) {
      const { template, problems } = parseTemplate(cmd.response, 'command');
      if (!template) {
        this.ctx.log.warn({ channel, command: name }, `saved !${name}: ${problems[0]?.message}`);
        continue;
      }
      const spec = { name, template, permission: cmd.permission, cooldown: cmd.cooldown };
      wanted.set(name, {
        key: JSON.stringify(['c', cmd.response, cmd.permission, cmd.cooldown]),
        register: () =>
          this.ctx.twitch.commands.register(
            textCommand({ ...spec, channels: [channel] }, this.deps),
          ),
      });
    }
    for (const [alias, target] of Object.entries(doc.aliases))
      wanted.set(alias, {
        key: JSON.stringify(['a', target]),
        register: () => this.ctx.twitch.commands.alias(alias, target, { channels: [channel] }),
      });
    for (const [name, reg] of regs)
      if (wanted.get(name)?.key !== reg.key) {
        void reg.dispose();
        regs.delete(name);
      }
    for (const [name, want] of wanted) {
      if (regs.has(name)) continue;
      try {
        regs.set(name, { key: want.key, dispose: want.register() });
      } catch (err) {
        if (strict.has(name)) throw new ChatError(`!${name} is taken by another command.`);
        this.ctx.log.warn(
          { err, channel, command: name },
          `chat-made !${name} in #${channel} is not active: another cog or bots.yaml now has that name; delete it in chat or rename the other`,
        );
      }
    }
  }
}

function changedNames(a: ChannelCommands, b: ChannelCommands): Set<string> {
  const names = new Set<string>();
  for (const n of new Set([...Object.keys(a.commands), ...Object.keys(b.commands)]))
    if (JSON.stringify(a.commands[n]) !== JSON.stringify(b.commands[n])) names.add(n);
  for (const n of new Set([...Object.keys(a.aliases), ...Object.keys(b.aliases)]))
    if (a.aliases[n] !== b.aliases[n]) names.add(n);
  return names;
}
