import type { DiscordSandbox } from '../sandbox.js';
import type { SandboxCommand } from '../state/model.js';
import { memberPayload, rolePayload, userPayload } from '../state/payloads.js';
import type { Json } from '../state/payloads.js';
import { memberPermissions } from '../state/permissions.js';

/**
 * An option as it appears in `interaction.data.options`.
 *
 * @example
 * ```ts
 * const raw: RawOption[] = [{ name: 'amount', type: 4, value: 3 }];
 * ```
 */
export interface RawOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: RawOption[];
  focused?: boolean;
}

/**
 * Option values by name (`{ user: '123', amount: 5 }`), typed by the registered command.
 *
 * @example
 * ```ts
 * const options: OptionValues = { user: aliceId, amount: 3, silent: true };
 * ```
 */
export type OptionValues = Record<string, string | number | boolean>;

/** `interaction.data.resolved`. */
export interface Resolved {
  users?: Record<string, Json>;
  members?: Record<string, Json>;
  roles?: Record<string, Json>;
  channels?: Record<string, Json>;
}

interface OptionDef {
  name: string;
  type: number;
  options?: OptionDef[];
}

/**
 * Finds the command a slash-command run refers to: in the guild, then globally, for
 * the given application or any bot in the guild.
 *
 * @example
 * ```ts
 * const cmd = findCommand(sb, guildId, 'ping'); // { appId, command }
 * ```
 */
export function findCommand(
  sb: DiscordSandbox,
  guildId: string | null,
  name: string,
  appId?: string,
): { appId: string; command: SandboxCommand } | null {
  const apps = appId ? [appId] : [...sb.store.botsByApp.keys()];
  for (const app of apps) {
    for (const scope of guildId ? [guildId, undefined] : [undefined]) {
      for (const command of sb.store.commandMap(app, scope).values()) {
        if (command.name === name && command.type === 1) return { appId: app, command };
      }
    }
  }
  return null;
}

function inferType(value: string | number | boolean): number {
  if (typeof value === 'boolean') return 5;
  if (typeof value === 'number') return Number.isInteger(value) ? 4 : 10;
  return 3;
}

function resolve(
  sb: DiscordSandbox,
  guildId: string | null,
  type: number,
  id: string,
  out: Resolved,
): void {
  const guild = guildId ? sb.store.guilds.get(guildId) : undefined;
  const user = sb.store.users.get(id);
  if ((type === 6 || type === 9) && user) {
    (out.users ??= {})[id] = userPayload(user);
    const member = guildId ? sb.store.member(guildId, id) : undefined;
    if (member && guild) {
      const { user: _u, ...rest } = memberPayload(sb.store, member);
      (out.members ??= {})[id] = {
        ...rest,
        permissions: memberPermissions(guild, member).toString(),
      };
    }
  }
  const role = guild?.roles.get(id);
  if ((type === 8 || type === 9) && role) (out.roles ??= {})[id] = rolePayload(role);
  const channel = sb.store.channels.get(id);
  if (type === 7 && channel) {
    (out.channels ??= {})[id] = { id, name: channel.name, type: channel.type, permissions: '0' };
  }
}

/**
 * Turns `{ name: value }` into raw options using the registered definitions (user,
 * role, channel and mentionable options get `resolved` entries).
 *
 * @example
 * ```ts
 * const resolved: Resolved = {};
 * toRawOptions(sb, guildId, command.options, { user: aliceId }, resolved);
 * ```
 */
export function toRawOptions(
  sb: DiscordSandbox,
  guildId: string | null,
  defs: unknown[] | undefined,
  values: OptionValues,
  resolved: Resolved,
): RawOption[] {
  const known = (defs ?? []) as OptionDef[];
  return Object.entries(values).map(([name, value]) => {
    const type = known.find((d) => d.name === name)?.type ?? inferType(value);
    if ([6, 7, 8, 9].includes(type)) resolve(sb, guildId, type, String(value), resolved);
    return { name, type, value };
  });
}

/**
 * Wraps options in a subcommand (and group), as Discord nests them.
 *
 * @example
 * ```ts
 * nestSubcommand(command.options, { group: 'roles', sub: 'add' }); // defs + wrapper
 * ```
 */
export function nestSubcommand(
  defs: unknown[] | undefined,
  path: { group?: string; sub?: string },
): { defs: unknown[] | undefined; wrap: (inner: RawOption[]) => RawOption[] } {
  let current = defs as OptionDef[] | undefined;
  const layers: { name: string; type: number }[] = [];
  if (path.group) {
    layers.push({ name: path.group, type: 2 });
    current = current?.find((d) => d.name === path.group && d.type === 2)?.options;
  }
  if (path.sub) {
    layers.push({ name: path.sub, type: 1 });
    current = current?.find((d) => d.name === path.sub && d.type === 1)?.options;
  }
  const wrap = (inner: RawOption[]): RawOption[] =>
    layers.reduceRight<RawOption[]>((acc, layer) => [{ ...layer, options: acc }], inner);
  return { defs: current, wrap };
}
