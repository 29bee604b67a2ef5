import type { Command } from '@sapphire/framework';
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CogScope, DiscordFacet, SlashCommandDefinition } from '../../core/index.js';
import { StreamcogsError } from '../../core/index.js';
import type { BotDiscord, CommandEntry } from './bot-discord.js';
import {
  answerOnFailure,
  buttonPiece,
  listenerPiece,
  slashCommandPiece,
  type PieceClass,
} from './pieces.js';

function toData(def: SlashCommandDefinition): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const data =
    'toJSON' in def.data && typeof def.data.toJSON === 'function' ? def.data.toJSON() : def.data;
  return data as RESTPostAPIChatInputApplicationCommandsJSONBody;
}

/** Sapphire-safe piece name, unique per bot, cog and kind. */
function pieceName(bd: BotDiscord, cog: string, kind: string, name: string): string {
  return `${bd.bot}.${cog}.${kind}.${name}`.toLowerCase().replace(/[^a-z0-9_.:-]/g, '_');
}

/** The API data a `Command` piece registered through Sapphire's registry, with its guilds. */
function registeredData(
  piece: Command,
  defaultGuilds: readonly string[],
): Omit<CommandEntry, 'cog' | 'pieceName'>[] {
  const calls = (
    piece.applicationCommandRegistry as unknown as {
      apiCalls: { builtData: CommandEntry['data']; registerOptions: { guildIds?: string[] } }[];
    }
  ).apiCalls;
  return calls.map((c) => ({
    data: c.builtData,
    guilds: c.registerOptions.guildIds?.length ? c.registerOptions.guildIds : defaultGuilds,
  }));
}

/**
 * The `ctx.discord` of one cog: every registration is a Sapphire piece on the bot's
 * client, tracked by the cog's scope (undone on unload), and handlers are guarded.
 * Command changes ask for a bulk overwrite of the bot's guilds.
 *
 * @example
 * ```ts
 * const discord = discordFacet(scope, botDiscord);
 * const off = discord.registerCommand({ data: { name: 'ping', description: 'p' }, run: (i) => i.reply('pong') });
 * await off();
 * ```
 */
export function discordFacet(scope: CogScope, bd: BotDiscord): DiscordFacet {
  const taken = new Set<string>();
  let listeners = 0;
  const claim = (kind: string, name: string): string => {
    const full = pieceName(bd, scope.cog, kind, name);
    if (taken.has(full))
      throw new StreamcogsError(
        'SC_DUPLICATE_REGISTRATION',
        `cog "${scope.cog}" already registered Discord ${kind} "${name}"`,
        {
          fix: 'register it once, or dispose the first registration before registering again',
        },
      );
    taken.add(full);
    return full;
  };
  const checkGuilds = (guilds: readonly string[], what: string): void => {
    const unknown = guilds.filter((g) => !bd.inGuild(g));
    if (unknown.length > 0)
      throw new StreamcogsError(
        'SC_NOT_AVAILABLE',
        `${what}: guild ${unknown.join(', ')} is not in the discord.guilds of bot "${bd.bot}"`,
        {
          fix: `add it to ${bd.bot}.discord.guilds in bots.yaml`,
        },
      );
  };
  const load = (
    store: string,
    name: string,
    piece: PieceClass,
    after?: () => Promise<void>,
  ): Promise<void> =>
    bd.loading(
      bd.connection
        .loadPiece(store, name, piece)
        .then(after)
        .catch((err: unknown) =>
          scope.log.error({ err, piece: name }, `discord: loading ${store} piece failed`),
        ),
    );
  const unload =
    (store: string, name: string, loaded: Promise<void>) => async (): Promise<void> => {
      taken.delete(name);
      await loaded;
      await bd.connection.unloadPiece(store, name);
    };

  return {
    get client() {
      return bd.connection.client;
    },
    guilds: bd.guilds,
    get connected() {
      return bd.connection.connected;
    },
    registerCommand(def) {
      const data = toData(def);
      if (!data?.name || !data.description)
        throw new StreamcogsError(
          'SC_NOT_AVAILABLE',
          'a slash command needs data.name and data.description',
          {
            fix: "registerCommand({ data: { name: 'ping', description: 'Is the bot alive?' }, run })",
          },
        );
      const guilds = def.guilds ?? bd.guilds;
      checkGuilds(guilds, `slash command /${data.name}`);
      const name = claim('command', data.name);
      const run = scope.guard(`discord:/${data.name}`, (i: ChatInputCommandInteraction) =>
        answerOnFailure(i, () => def.run(i)),
      );
      const complete = def.autocomplete;
      const ac = complete
        ? scope.guard(`discord:/${data.name}:autocomplete`, (i: AutocompleteInteraction) =>
            complete(i),
          )
        : undefined;
      bd.addCommand(name, { cog: scope.cog, pieceName: name, data, guilds });
      const loaded = load('commands', name, slashCommandPiece(run, ac));
      bd.requestSync();
      return scope.track(async () => {
        bd.removeCommand(name);
        await unload('commands', name, loaded)();
        bd.requestSync();
      });
    },
    registerButton(def) {
      const name = claim('button', def.customId);
      const run = scope.guard(`discord:button:${def.customId}`, (i: ButtonInteraction) =>
        answerOnFailure(i, () => def.run(i)),
      );
      const loaded = load('interaction-handlers', name, buttonPiece(def.customId, bd.inGuild, run));
      return scope.track(unload('interaction-handlers', name, loaded));
    },
    on(event, handler) {
      const name = claim('on', `${String(event)}.${++listeners}`);
      const run = scope.guard(
        `discord:${String(event)}`,
        handler as (...args: unknown[]) => unknown,
      );
      const loaded = load('listeners', name, listenerPiece(String(event), bd.inGuild, run));
      return scope.track(unload('listeners', name, loaded));
    },
    registerPiece(store, pieceNameGiven, piece) {
      const name = claim(store, pieceNameGiven);
      const keys: string[] = [];
      const collect = async (): Promise<void> => {
        const command = store === 'commands' ? bd.connection.command(name) : undefined;
        if (!command?.registerApplicationCommands) return;
        await bd.connection.realm.run(() =>
          command.registerApplicationCommands!(command.applicationCommandRegistry),
        );
        registeredData(command, bd.guilds).forEach((entry, i) => {
          checkGuilds(entry.guilds, `piece ${pieceNameGiven}`);
          keys.push(`${name}#${i}`);
          bd.addCommand(`${name}#${i}`, { ...entry, cog: scope.cog, pieceName: name });
        });
        bd.requestSync();
      };
      const loaded = load(store, name, piece as PieceClass, collect);
      return scope.track(async () => {
        for (const k of keys) bd.removeCommand(k);
        await unload(store, name, loaded)();
        if (keys.length > 0) bd.requestSync();
      });
    },
    manageRoles(guildId, roles) {
      checkGuilds([guildId], 'manageRoles');
      const key = bd.addRoles(scope.cog, guildId, roles);
      bd.requestSync();
      return scope.track(() => bd.removeRoles(key));
    },
    checks: () => bd.checks(),
  };
}
