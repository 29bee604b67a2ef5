import type { z, ZodType } from 'zod';
import type { Disposer } from './disposer.js';
import type { PluginContext } from './context.js';

/**
 * The plugin API version this framework implements; npm cogs declare the one they target.
 *
 * @example
 * ```ts
 * // an npm cog states the API it was written for; another version is refused at load
 * export default definePlugin({
 *   name: 'hello',
 *   description: 'says hi',
 *   apiVersion: 1, // === PLUGIN_API_VERSION
 *   setup() {},
 * });
 * ```
 */
export const PLUGIN_API_VERSION = 1;

/**
 * What a cog needs from the platforms, used for OAuth scopes, intents and invite permissions.
 *
 * @example
 * ```ts
 * needs: { twitchScopes: ['chat:read'], discordPermissions: ['ManageRoles'] }
 * ```
 */
export interface PluginNeeds {
  /** Twitch scopes for the bot's own account, e.g. `chat:read`, `chat:edit`. */
  twitchScopes?: readonly string[];
  /** Discord gateway intents by name (discord.js `GatewayIntentBits` keys), e.g. `Guilds`. */
  discordIntents?: readonly string[];
  /** Discord permissions by name (discord.js `PermissionFlagsBits` keys), e.g. `ManageRoles`. */
  discordPermissions?: readonly string[];
}

/**
 * What `setup` may return: nothing, or a teardown run when the cog unloads.
 *
 * @example
 * ```ts
 * setup(ctx) {
 *   const socket = openFeed(ctx.bot.name);
 *   return () => socket.close(); // run when the cog unloads
 * }
 * ```
 */
export type SetupResult = void | Disposer | Promise<void | Disposer>;

/**
 * A cog: a named unit of behaviour mounted on a bot.
 *
 * @typeParam S - the zod schema of its settings in bots.yaml.
 *
 * @example
 * ```ts
 * const hello: PluginDefinition = {
 *   name: 'hello',
 *   description: 'Answers !hello',
 *   needs: { twitchScopes: ['chat:read', 'chat:edit'] },
 *   setup(ctx) {
 *     ctx.twitch.commands.register({ name: 'hello', run: (cmd) => cmd.reply('Hello!') });
 *   },
 * };
 * export default definePlugin(hello);
 * ```
 */
export interface PluginDefinition<S extends ZodType = ZodType> {
  /** kebab-case, equal to its folder name (or its npm package name). */
  name: string;
  /** One line shown in `streamcogs schema` and the docs. */
  description: string;
  /** The plugin API version the cog was written for; defaults to the current one. */
  apiVersion?: number;
  /** Settings schema: validated at load, defaults applied, the result frozen. */
  settings?: S;
  /** Cogs that must be mounted first on the same bot. */
  dependsOn?: readonly string[];
  needs?: PluginNeeds;
  /** Mounts the cog. Register everything through `ctx`; return a teardown if you hold more. */
  setup(ctx: PluginContext, settings: Readonly<z.output<S>>): SetupResult;
}

/**
 * Declares a cog. The returned object is what a cog module default-exports.
 *
 * @example
 * ```ts
 * import { definePlugin, z } from 'streamcogs';
 *
 * export default definePlugin({
 *   name: 'hello',
 *   description: 'Answers !hello',
 *   settings: z.object({ greeting: z.string().default('Hello') }),
 *   setup(ctx, settings) {
 *     ctx.twitch.commands.register({
 *       name: 'hello',
 *       run: (cmd) => cmd.reply(`${settings.greeting}, ${cmd.user.displayName}!`),
 *     });
 *   },
 * });
 * ```
 */
export function definePlugin<S extends ZodType = ZodType>(
  definition: PluginDefinition<S>,
): PluginDefinition<S> {
  return Object.freeze({ apiVersion: PLUGIN_API_VERSION, ...definition });
}
