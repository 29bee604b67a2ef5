import type { DiscordAPIError, HTTPError, REST, Routes } from 'discord.js';

/** What the webhook sender takes from discord.js (its REST client, routes and errors). */
export interface DiscordRest {
  REST: typeof REST;
  Routes: typeof Routes;
  DiscordAPIError: typeof DiscordAPIError;
  HTTPError: typeof HTTPError;
}

let loading: Promise<DiscordRest> | undefined;
let loaded: DiscordRest | undefined;

/**
 * Imports discord.js on the first webhook call: every process builds a webhook sender, few
 * send anything, and discord.js costs ~30 MB of RSS.
 *
 * @example
 * ```ts
 * const { REST, Routes } = await loadDiscordRest();
 * ```
 */
export function loadDiscordRest(): Promise<DiscordRest> {
  loading ??= import('discord.js').then((d) => {
    loaded = {
      REST: d.REST,
      Routes: d.Routes,
      DiscordAPIError: d.DiscordAPIError,
      HTTPError: d.HTTPError,
    };
    return loaded;
  });
  return loading;
}

/**
 * discord.js's classes once {@link loadDiscordRest} has loaded them, else undefined: before
 * that no REST call was made, so no error can be one of theirs.
 *
 * @example
 * ```ts
 * const lib = loadedDiscordRest();
 * if (lib && err instanceof lib.HTTPError) retryLater();
 * ```
 */
export function loadedDiscordRest(): DiscordRest | undefined {
  return loaded;
}
