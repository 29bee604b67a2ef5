import { ManualClock, TwitchWorld } from '../../../src/sandbox/twitch/world.js';
import { TwitchApiServer } from '../../../src/sandbox/twitch/helix/index.js';
import type { TwitchApiServerOptions } from '../../../src/sandbox/twitch/helix/index.js';

/**
 * Points twurple's Helix and OAuth calls at a sandbox on `port` (twurple reads
 * `TWURPLE_MOCK_API_PORT` on every request). Returns what puts the previous value back.
 *
 * @example
 * ```ts
 * const restore = pointTwurpleAt(server.port);
 * await new ApiClient({ authProvider }).users.getUserByName('ada'); // asks the sandbox
 * restore();
 * ```
 */
export function pointTwurpleAt(port: number): () => void {
  const previous = process.env.TWURPLE_MOCK_API_PORT;
  process.env.TWURPLE_MOCK_API_PORT = String(port);
  return () => {
    if (previous === undefined) delete process.env.TWURPLE_MOCK_API_PORT;
    else process.env.TWURPLE_MOCK_API_PORT = previous;
  };
}

/** A Twitch world on a manual clock, its Helix/OAuth server, and twurple pointed at it. */
export interface HelixSandbox {
  clock: ManualClock;
  world: TwitchWorld;
  server: TwitchApiServer;
  /** Puts `TWURPLE_MOCK_API_PORT` back and closes the server. */
  close(): Promise<void>;
}

/**
 * Starts a world on a {@link ManualClock} with the app `app`, a Helix server for it (more
 * server options in `server`) and points twurple at it until {@link HelixSandbox.close}.
 *
 * @example
 * ```ts
 * const twitch = await startHelixSandbox({ app: { clientId: 'c', clientSecret: 's' } });
 * twitch.world.ensureUser('ada');
 * twitch.clock.advance(60_000);
 * await twitch.close();
 * ```
 */
export async function startHelixSandbox(options: {
  app: Parameters<TwitchWorld['createApp']>[0];
  server?: Omit<TwitchApiServerOptions, 'world'>;
}): Promise<HelixSandbox> {
  const clock = new ManualClock();
  const world = new TwitchWorld({ now: clock.now });
  world.createApp(options.app);
  const server = await TwitchApiServer.start({ world, ...options.server });
  const restore = pointTwurpleAt(server.port);
  return {
    clock,
    world,
    server,
    async close() {
      restore();
      await server.close();
    },
  };
}
