import { Events, type Client } from 'discord.js';
import type { ClusterClaim } from '../../core/cluster.js';
import type { Logger } from '../../core/log.js';

/** Interaction tokens live 15 minutes: no copy of one can arrive later. */
const INTERACTION_CLAIM_MS = 15 * 60_000;

/**
 * Several instances logged in with the same bot token each get every INTERACTION_CREATE
 * (Discord sends events to every unsharded session). Only the instance that claims the
 * interaction id in shared storage passes it on to Sapphire and the cogs; the others drop
 * it, so a command runs and is answered once. Call it before the client logs in. A storage
 * failure passes the interaction on rather than lose it.
 *
 * @example
 * ```ts
 * const claim = clusterClaim(runtime.storage);
 * if (claim) claimInteractions(client, claim, log);
 * await client.login(token);
 * ```
 */
export function claimInteractions(client: Client, claim: ClusterClaim, log: Logger): void {
  const emit = client.emit.bind(client) as (event: string, ...args: unknown[]) => boolean;
  const claimed = (event: string, ...args: unknown[]): boolean => {
    if (event !== Events.InteractionCreate) return emit(event, ...args);
    const id = (args[0] as { id?: string } | undefined)?.id;
    if (!id) return emit(event, ...args);
    claim(`interaction:${id}`, INTERACTION_CLAIM_MS).then(
      (mine) => void (mine && emit(event, ...args)),
      (err: unknown) => {
        log.warn({ err }, 'discord: could not claim an interaction in shared storage; answering');
        emit(event, ...args);
      },
    );
    return true;
  };
  client.emit = claimed as Client['emit'];
}
