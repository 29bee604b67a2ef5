import { ApiClient } from '@twurple/api';
import { AppTokenAuthProvider } from '@twurple/auth';
import type { CogScope, TwitchEventSub, TwitchFacet } from '../../../../core/index.js';
import type { BotConfig } from '../../../../core/config/types.js';
import { MemoryPlatform } from '../../../helpers/memory-platform.js';

/**
 * The kernel's in-memory chat platform, with the real EventSub facet and a real app-token
 * Helix client (twurple, pointed at the sandbox by TWURPLE_MOCK_API_PORT).
 */
export class EventSubTestPlatform extends MemoryPlatform {
  readonly api: ApiClient;

  constructor(
    bot: BotConfig,
    private readonly eventsub: (scope: CogScope) => TwitchEventSub,
  ) {
    super(bot);
    this.api = new ApiClient({
      authProvider: new AppTokenAuthProvider(
        bot.secrets.clientId ?? 'none',
        bot.secrets.clientSecret ?? 'none',
      ),
    });
  }

  override forCog(scope: CogScope): { twitch: TwitchFacet; discord: undefined } {
    const { twitch } = super.forCog(scope);
    return {
      twitch: { ...twitch, api: this.api, eventsub: this.eventsub(scope) },
      discord: undefined,
    };
  }
}
