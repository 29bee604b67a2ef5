import { GatewayIntentBits, PermissionFlagsBits } from 'discord.js';

/**
 * Gateway intents by name (discord.js `GatewayIntentBits` keys), always with `Guilds`.
 * Unknown names come back in `unknown` so the caller can report them.
 *
 * @example
 * ```ts
 * intentBits(['GuildMembers']); // { bits: 3, names: ['Guilds', 'GuildMembers'], unknown: [] }
 * ```
 */
export function intentBits(names: Iterable<string>): {
  bits: number;
  names: string[];
  unknown: string[];
} {
  const table = GatewayIntentBits as unknown as Record<string, number>;
  const known = new Set<string>(['Guilds']);
  const unknown: string[] = [];
  for (const n of names) {
    if (typeof table[n] === 'number') known.add(n);
    else unknown.push(n);
  }
  let bits = 0;
  for (const n of known) bits |= table[n] as number;
  return { bits, names: [...known], unknown };
}

/**
 * Discord permissions by name (discord.js `PermissionFlagsBits` keys) as one bitfield.
 *
 * @example
 * ```ts
 * permissionBits(['ManageRoles', 'ManageWebhooks']).bits; // 805306368n
 * ```
 */
export function permissionBits(names: Iterable<string>): {
  bits: bigint;
  names: string[];
  unknown: string[];
} {
  const table = PermissionFlagsBits as unknown as Record<string, bigint>;
  const known = new Set<string>();
  const unknown: string[] = [];
  for (const n of names) {
    if (typeof table[n] === 'bigint') known.add(n);
    else unknown.push(n);
  }
  let bits = 0n;
  for (const n of known) bits |= table[n] as bigint;
  return { bits, names: [...known].sort(), unknown };
}

/**
 * The label Discord's UI shows for a permission name.
 *
 * @example
 * ```ts
 * permissionLabel('ManageRoles'); // 'Manage Roles'
 * ```
 */
export function permissionLabel(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
}
