import type { RouteDef } from '../http/types.js';
import { channelRoutes } from './channels.js';
import { commandRoutes } from './commands.js';
import { guildRoutes } from './guilds.js';
import { interactionRoutes } from './interactions.js';
import { userRoutes } from './users.js';
import { webhookExecuteRoutes } from './webhook-execute.js';
import { webhookRoutes } from './webhooks.js';

/**
 * Every REST route, in match order (literal segments such as `@me` before parameters).
 *
 * @example
 * ```ts
 * const router = new Router(allRoutes);
 * ```
 */
export const allRoutes: readonly RouteDef[] = [
  ...userRoutes,
  ...commandRoutes,
  ...interactionRoutes,
  ...guildRoutes,
  ...channelRoutes,
  ...webhookRoutes,
  ...webhookExecuteRoutes,
];
