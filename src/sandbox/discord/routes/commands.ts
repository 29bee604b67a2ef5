import { Errors } from '../http/errors.js';
import { json, noContent, requireBot } from '../http/types.js';
import type { RouteContext, RouteDef, RouteReply } from '../http/types.js';
import type { SandboxCommand } from '../state/model.js';

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** The command map this route addresses, after access checks. */
function scope(ctx: RouteContext): { map: Map<string, SandboxCommand>; guildId?: string } {
  const bot = requireBot(ctx);
  if (ctx.params.appId !== bot.appId) throw Errors.missingAccess();
  const guildId = ctx.params.guildId;
  if (guildId !== undefined) {
    if (!ctx.sb.store.guilds.has(guildId)) throw Errors.unknownGuild();
    if (!ctx.sb.store.member(guildId, bot.userId)) throw Errors.missingAccess();
  }
  return { map: ctx.sb.store.commandMap(bot.appId, guildId), guildId };
}

/**
 * Validates and normalises a command body into a stored command.
 *
 * @example
 * ```ts
 * normaliseCommand({ name: 'ping', description: 'Ping' }, existing, ids, appId);
 * ```
 */
function normaliseCommand(
  ctx: RouteContext,
  body: Record<string, unknown>,
  existing: SandboxCommand | undefined,
  guildId: string | undefined,
): SandboxCommand {
  const type = typeof body.type === 'number' ? body.type : 1;
  const name = body.name;
  if (typeof name !== 'string' || !NAME.test(name) || (type === 1 && name !== name.toLowerCase())) {
    throw Errors.invalidForm('name', 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
  const description = typeof body.description === 'string' ? body.description : '';
  if (type === 1 && (description.length < 1 || description.length > 100)) {
    throw Errors.invalidForm(
      'description',
      'BASE_TYPE_BAD_LENGTH',
      'Must be between 1 and 100 in length.',
    );
  }
  const command: SandboxCommand = {
    id: existing?.id ?? ctx.sb.ids.next(),
    application_id: requireBot(ctx).appId,
    version: ctx.sb.ids.next(),
    default_member_permissions: body.default_member_permissions ?? null,
    type,
    name,
    name_localizations: body.name_localizations ?? null,
    description,
    description_localizations: body.description_localizations ?? null,
    dm_permission: body.dm_permission ?? true,
    contexts: body.contexts ?? null,
    integration_types: body.integration_types ?? [0],
    nsfw: body.nsfw ?? false,
  };
  if (Array.isArray(body.options)) command.options = body.options;
  if (guildId !== undefined) command.guild_id = guildId;
  return command;
}

function findSame(
  map: Map<string, SandboxCommand>,
  body: Record<string, unknown>,
): SandboxCommand | undefined {
  const type = typeof body.type === 'number' ? body.type : 1;
  for (const c of map.values()) if (c.name === body.name && c.type === type) return c;
  return undefined;
}

/** Drops localisation maps unless `with_localizations=true`, as Discord does. */
function view(ctx: RouteContext, c: SandboxCommand): Record<string, unknown> {
  if (ctx.query.get('with_localizations') === 'true') return c;
  const { name_localizations: _n, description_localizations: _d, ...rest } = c;
  return rest;
}

function commandOf(ctx: RouteContext): {
  map: Map<string, SandboxCommand>;
  command: SandboxCommand;
} {
  const { map } = scope(ctx);
  const command = map.get(ctx.params.commandId ?? '');
  if (!command) throw Errors.unknownCommand();
  return { map, command };
}

function list(ctx: RouteContext): RouteReply {
  return json([...scope(ctx).map.values()].map((c) => view(ctx, c)));
}

function create(ctx: RouteContext): RouteReply {
  const { map, guildId } = scope(ctx);
  const existing = findSame(map, ctx.body);
  const command = normaliseCommand(ctx, ctx.body, existing, guildId);
  if (!existing && map.size >= 100)
    throw Errors.invalidForm(
      'name',
      'MAX_COMMANDS',
      'Maximum number of application commands reached (100)',
    );
  map.set(command.id, command);
  return json(command, existing ? 200 : 201);
}

function bulkOverwrite(ctx: RouteContext): RouteReply {
  const { map, guildId } = scope(ctx);
  const bodies = ctx.body.$array;
  if (!Array.isArray(bodies)) throw Errors.invalidForm('_', 'BASE_TYPE_ARRAY', 'Must be an array.');
  const next = bodies.map((b) =>
    normaliseCommand(
      ctx,
      b as Record<string, unknown>,
      findSame(map, b as Record<string, unknown>),
      guildId,
    ),
  );
  map.clear();
  for (const c of next) map.set(c.id, c);
  return json(next);
}

function edit(ctx: RouteContext): RouteReply {
  const { map, command } = commandOf(ctx);
  const updated = normaliseCommand(ctx, { ...command, ...ctx.body }, command, command.guild_id);
  map.set(updated.id, updated);
  return json(updated);
}

function remove(ctx: RouteContext): RouteReply {
  const { map, command } = commandOf(ctx);
  map.delete(command.id);
  return noContent();
}

function createLimits(ctx: RouteContext) {
  return {
    refs: [
      {
        name: 'POST application-command',
        key: `${ctx.params.appId ?? ''}|${ctx.params.guildId ?? ''}`,
        spec: ctx.sb.limits.commandCreate,
        scope: 'user' as const,
      },
    ],
  };
}

function routesUnder(base: string): RouteDef[] {
  return [
    { method: 'GET', path: base, auth: 'bot', handler: list },
    { method: 'POST', path: base, auth: 'bot', limits: createLimits, handler: create },
    { method: 'PUT', path: base, auth: 'bot', handler: bulkOverwrite },
    {
      method: 'GET',
      path: `${base}/:commandId`,
      auth: 'bot',
      handler: (ctx) => json(view(ctx, commandOf(ctx).command)),
    },
    { method: 'PATCH', path: `${base}/:commandId`, auth: 'bot', handler: edit },
    { method: 'DELETE', path: `${base}/:commandId`, auth: 'bot', handler: remove },
  ];
}

/**
 * Application commands, global and per guild: list (`with_localizations`), create
 * (upsert by name), bulk overwrite (ids kept for same name), get, edit, delete.
 *
 * @example
 * ```ts
 * const router = new Router([...commandRoutes]);
 * ```
 */
export const commandRoutes: RouteDef[] = [
  ...routesUnder('/applications/:appId/commands'),
  ...routesUnder('/applications/:appId/guilds/:guildId/commands'),
];
