import {
  Command,
  InteractionHandler,
  InteractionHandlerTypes,
  Listener,
  type Piece,
} from '@sapphire/framework';
import {
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';

/** A Sapphire piece class as stores load it. */
export type PieceClass = new (context: Piece.LoaderContext, options: Piece.Options) => Piece;

/** Says whether an event or interaction belongs to one of the bot's guilds. */
export type GuildFilter = (guildId: string | null | undefined) => boolean;

const FAILED = 'Something went wrong running this command; it has been logged.';

/**
 * Runs `run`; when it throws before answering, tells the user ephemerally, then rethrows
 * so the cog's guard logs it.
 *
 * @example
 * ```ts
 * await answerOnFailure(interaction, () => definition.run(interaction));
 * ```
 */
export async function answerOnFailure(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  run: () => unknown,
): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (!interaction.replied && !interaction.deferred)
      await interaction.reply({ content: FAILED, flags: MessageFlags.Ephemeral }).catch(() => {});
    throw err;
  }
}

/**
 * A Sapphire `Command` piece for one slash command: `chatInputRun` (and
 * `autocompleteRun`) call the cog's guarded handlers.
 *
 * @example
 * ```ts
 * const Piece = slashCommandPiece(guard('discord:ping', (i) => i.reply('pong')));
 * await realm.stores.loadPiece({ store: 'commands', name: 'alice.pinger.ping', piece: Piece });
 * ```
 */
export function slashCommandPiece(
  run: (interaction: ChatInputCommandInteraction) => Promise<void>,
  autocomplete?: (interaction: AutocompleteInteraction) => Promise<void>,
): PieceClass {
  class SlashCommand extends Command {
    override async chatInputRun(interaction: ChatInputCommandInteraction): Promise<void> {
      await run(interaction);
    }
  }
  if (!autocomplete) return SlashCommand as unknown as PieceClass;
  class SlashCommandWithAutocomplete extends SlashCommand {
    override async autocompleteRun(interaction: AutocompleteInteraction): Promise<void> {
      await autocomplete!(interaction);
    }
  }
  return SlashCommandWithAutocomplete as unknown as PieceClass;
}

/**
 * A Sapphire `InteractionHandler` for buttons whose custom id is `customId` or starts
 * with `customId:`, in the bot's guilds.
 *
 * @example
 * ```ts
 * const Piece = buttonPiece('roles:refresh', () => true, guard('button', (i) => i.update({})));
 * ```
 */
export function buttonPiece(
  customId: string,
  inGuild: GuildFilter,
  run: (interaction: ButtonInteraction) => Promise<void>,
): PieceClass {
  class ButtonHandler extends InteractionHandler {
    constructor(context: InteractionHandler.LoaderContext, options: InteractionHandler.Options) {
      super(context, { ...options, interactionHandlerType: InteractionHandlerTypes.Button });
    }

    override parse(interaction: ButtonInteraction) {
      const id = interaction.customId;
      const matches = id === customId || id.startsWith(`${customId}:`);
      return matches && inGuild(interaction.guildId) ? this.some() : this.none();
    }

    override async run(interaction: ButtonInteraction): Promise<void> {
      await run(interaction);
    }
  }
  return ButtonHandler as unknown as PieceClass;
}

/** The guild an event is about, when its first argument says. */
function guildOf(args: readonly unknown[]): string | null | undefined {
  const first = args[0] as { guildId?: unknown; guild?: { id?: unknown } } | undefined;
  if (!first || typeof first !== 'object') return undefined;
  if (typeof first.guildId === 'string' || first.guildId === null) return first.guildId;
  return typeof first.guild?.id === 'string' ? first.guild.id : undefined;
}

/**
 * A Sapphire `Listener` for a discord.js client event that skips events of guilds the
 * bot does not serve (on a client bots share).
 *
 * @example
 * ```ts
 * const Piece = listenerPiece('guildMemberAdd', inGuild, guard('discord:guildMemberAdd', onJoin));
 * ```
 */
export function listenerPiece(
  event: string,
  inGuild: GuildFilter,
  run: (...args: unknown[]) => Promise<void>,
): PieceClass {
  class EventListener extends Listener {
    constructor(context: Listener.LoaderContext, options: Listener.Options) {
      super(context, { ...options, event });
    }

    override async run(...args: unknown[]): Promise<void> {
      const guild = guildOf(args);
      if (guild !== undefined && guild !== null && !inGuild(guild)) return;
      await run(...args);
    }
  }
  return EventListener as unknown as PieceClass;
}
