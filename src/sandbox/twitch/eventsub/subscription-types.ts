/**
 * The EventSub subscription types the sandbox knows, with Twitch's condition and authorization
 * rules.
 */
export interface EventSubTypeSpec {
  type: string;
  version: string;
  /** Condition fields that must be present and non-empty. */
  required: string[];
  /** Condition fields that may be present. */
  optional: string[];
  /** At least one of these must be present (for `channel.raid`). */
  oneOf?: string[];
  /** Scopes (any of) the authorizing user must have granted; empty means none needed. */
  scopes: string[];
  /** Condition field naming the user whose authorization counts. */
  authUserField: string;
}

const broadcasterOnly = { required: ['broadcaster_user_id'], optional: [] };

const specs: EventSubTypeSpec[] = [
  {
    type: 'stream.online',
    version: '1',
    ...broadcasterOnly,
    scopes: [],
    authUserField: 'broadcaster_user_id',
  },
  {
    type: 'stream.offline',
    version: '1',
    ...broadcasterOnly,
    scopes: [],
    authUserField: 'broadcaster_user_id',
  },
  {
    type: 'channel.update',
    version: '2',
    ...broadcasterOnly,
    scopes: [],
    authUserField: 'broadcaster_user_id',
  },
  {
    type: 'channel.follow',
    version: '2',
    required: ['broadcaster_user_id', 'moderator_user_id'],
    optional: [],
    scopes: ['moderator:read:followers'],
    authUserField: 'moderator_user_id',
  },
  ...[
    'channel.subscribe',
    'channel.subscription.end',
    'channel.subscription.gift',
    'channel.subscription.message',
  ].map((type) => ({
    type,
    version: '1',
    ...broadcasterOnly,
    scopes: ['channel:read:subscriptions'],
    authUserField: 'broadcaster_user_id',
  })),
  {
    type: 'channel.cheer',
    version: '1',
    ...broadcasterOnly,
    scopes: ['bits:read'],
    authUserField: 'broadcaster_user_id',
  },
  {
    type: 'channel.raid',
    version: '1',
    required: [],
    optional: [],
    oneOf: ['from_broadcaster_user_id', 'to_broadcaster_user_id'],
    scopes: [],
    authUserField: 'to_broadcaster_user_id',
  },
  {
    type: 'channel.channel_points_custom_reward_redemption.add',
    version: '1',
    required: ['broadcaster_user_id'],
    optional: ['reward_id'],
    scopes: ['channel:read:redemptions', 'channel:manage:redemptions'],
    authUserField: 'broadcaster_user_id',
  },
];

/**
 * Finds the spec for a type/version pair.
 *
 * @example
 * ```ts
 * findEventSubType('stream.online', '1')?.scopes; // []
 * ```
 */
export function findEventSubType(type: string, version: string): EventSubTypeSpec | undefined {
  return specs.find((s) => s.type === type && s.version === version);
}

/**
 * Validates a condition against a spec; returns an error message or null.
 *
 * @example
 * ```ts
 * validateCondition(spec, { broadcaster_user_id: '1' }); // null
 * ```
 */
export function validateCondition(spec: EventSubTypeSpec, condition: unknown): string | null {
  if (!condition || typeof condition !== 'object' || Array.isArray(condition)) {
    return 'condition is required';
  }
  const cond = condition as Record<string, unknown>;
  const allowed = new Set([...spec.required, ...spec.optional, ...(spec.oneOf ?? [])]);
  for (const [key, value] of Object.entries(cond)) {
    if (!allowed.has(key)) return `unknown condition field: ${key}`;
    if (typeof value !== 'string') return `condition field ${key} must be a string`;
  }
  for (const key of spec.required) {
    if (!cond[key]) return `missing condition field: ${key}`;
  }
  if (spec.oneOf) {
    const present = spec.oneOf.filter((k) => cond[k]);
    if (present.length !== 1) return `exactly one of ${spec.oneOf.join(', ')} is required`;
  }
  return null;
}

/**
 * The user whose authorization a subscription depends on (raids: whichever side is given).
 *
 * @example
 * ```ts
 * authorizingUser(spec, { broadcaster_user_id: '1' }); // '1'
 * ```
 */
export function authorizingUser(spec: EventSubTypeSpec, condition: Record<string, string>): string {
  if (spec.oneOf) {
    for (const key of spec.oneOf) if (condition[key]) return condition[key];
  }
  return condition[spec.authUserField] ?? '';
}
