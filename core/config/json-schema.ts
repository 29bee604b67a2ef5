import { BOT_FIELDS } from './bot-fields.js';
import { BOT_NAME_PATTERN, IGNORED_KEY_PREFIX } from './bots.js';
import { isRecord } from './describe.js';
import { SNOWFLAKE_PATTERN } from './discord.js';
import { settingsJsonSchema } from './settings.js';
import { ALL_SCOPES, KNOWN_TWITCH_SCOPES, SCOPE_PATTERN } from './twitch-scopes.js';
import type { CogDescriptor } from './types.js';

type Schema = Record<string, unknown>;

/**
 * The JSON Schema dialect used: draft-07 is what yaml-language-server (VS Code YAML) fully supports.
 *
 * @example
 * ```ts
 * buildJsonSchema(await catalog.describeAll()).$schema === JSON_SCHEMA_DIALECT; // true
 * ```
 */
export const JSON_SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

const INTERPOLATED: Schema = {
  type: 'string',
  pattern: '\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}',
  description: 'Expanded from the environment when bots.yaml is loaded.',
};

/** Lets a constrained text field also hold `${VAR}` (checked after expansion instead). */
function orVariable(schema: Schema): Schema {
  const { description, default: fallback, ...rest } = schema;
  const lifted: Schema = {};
  if (description !== undefined) lifted.description = description;
  if (fallback !== undefined) lifted.default = fallback;
  return { ...lifted, anyOf: [rest, INTERPOLATED] };
}

function pattern(regex: RegExp): string {
  return regex.source;
}

/** Rewrites a cog's own `$ref`s to where its definitions now live, and relaxes text fields. */
function adapt(node: unknown, refs: (ref: string) => string): unknown {
  if (Array.isArray(node)) return node.map((item) => adapt(item, refs));
  if (!isRecord(node)) return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema') continue;
    out[key] = key === '$ref' && typeof value === 'string' ? refs(value) : adapt(value, refs);
  }
  const constrained = ['pattern', 'format', 'minLength', 'maxLength', 'enum', 'const'].some(
    (k) => k in out,
  );
  return out.type === 'string' && constrained ? orVariable(out) : out;
}

/** The definitions of one cog's settings, hoisted to the root under unique names. */
function cogDefinitions(cog: CogDescriptor, definitions: Schema): string | undefined {
  if (!cog.settings) return undefined;
  const id = `settings-${cog.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const json = settingsJsonSchema(cog.settings);
  if (!json) {
    definitions[id] = {
      type: 'object',
      description: `Settings of ${cog.name} (not describable as JSON Schema).`,
    };
    return id;
  }
  const refs = (ref: string) => {
    if (ref === '#') return `#/definitions/${id}`;
    const local = /^#\/(?:definitions|\$defs)\/(.+)$/.exec(ref)?.[1];
    return local === undefined ? ref : `#/definitions/${id}-${local}`;
  };
  const { definitions: own, $defs, ...root } = json;
  for (const [name, definition] of Object.entries({ ...(own as object), ...($defs as object) })) {
    definitions[`${id}-${name}`] = adapt(definition, refs);
  }
  definitions[id] = adapt(root, refs);
  return id;
}

function cogEntry(cog: CogDescriptor, definitions: Schema): Schema[] {
  const about = [
    cog.description,
    cog.dependsOn?.length ? `Needs: ${cog.dependsOn.join(', ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const described = about ? { description: about } : {};
  const id = cogDefinitions(cog, definitions);
  // A cog with required settings cannot be written without them (`- go-live` alone).
  const json = cog.settings ? settingsJsonSchema(cog.settings) : null;
  const bare = !(Array.isArray(json?.required) && json.required.length > 0);
  const reference = id ? [{ $ref: `#/definitions/${id}` }] : [];
  const forms = [...reference, ...(bare ? [{ type: 'null' }] : [])];
  const settings = forms.length === 1 ? forms[0] : { anyOf: forms };
  return [
    ...(bare ? [{ const: cog.name, ...described }] : []),
    {
      type: 'object',
      ...described,
      properties: { [cog.name]: { ...settings, ...described } },
      required: [cog.name],
      additionalProperties: false,
    },
  ];
}

/**
 * A JSON Schema (draft-07) of bots.yaml for editors: bots as pattern properties, every bot
 * field with a description for hover, and `cogs` items as the known cogs' names or
 * `{ name: settings }` with each cog's settings schema (from `z.toJSONSchema`, input side).
 * Constrained text fields also accept `${VAR}`.
 *
 * Point VS Code at it with a first line `# yaml-language-server: $schema=./bots.schema.json`.
 *
 * @example
 * ```ts
 * const schema = buildJsonSchema(await catalog.describeAll());
 * await writeFile('bots.schema.json', JSON.stringify(schema, null, 2));
 * ```
 */
export function buildJsonSchema(cogs: readonly CogDescriptor[]): Schema {
  const definitions: Schema = {};
  const snowflake = orVariable({
    type: 'string',
    pattern: pattern(SNOWFLAKE_PATTERN),
    description: 'A Discord id, quoted.',
  });
  definitions.cog = {
    description: 'A cog: its name, or its name with settings under it.',
    anyOf: [...cogs]
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((cog) => cogEntry(cog, definitions)),
  };
  definitions.bot = {
    type: ['object', 'null'],
    description:
      'One bot. Secrets come from the environment: <BOT>_CLIENT_ID, <BOT>_CLIENT_SECRET, <BOT>_DISCORD_TOKEN.',
    additionalProperties: false,
    properties: {
      prefix: orVariable({
        type: 'string',
        minLength: 1,
        maxLength: 5,
        pattern: '^\\S+$',
        default: '!',
        description: BOT_FIELDS.prefix,
      }),
      channels: {
        type: ['array', 'null'],
        description: BOT_FIELDS.channels,
        items: orVariable({
          type: 'string',
          pattern: '^#?[A-Za-z0-9_]{1,25}$',
          description: 'A Twitch login.',
        }),
      },
      scopes: {
        description: BOT_FIELDS.scopes,
        default: ALL_SCOPES,
        anyOf: [
          { const: ALL_SCOPES },
          {
            type: 'array',
            items: {
              anyOf: [
                { enum: [ALL_SCOPES, ...KNOWN_TWITCH_SCOPES] },
                { type: 'string', pattern: pattern(SCOPE_PATTERN) },
              ],
            },
          },
        ],
      },
      cogs: {
        type: ['array', 'null'],
        description: BOT_FIELDS.cogs,
        items: { $ref: '#/definitions/cog' },
      },
      discord: {
        type: 'object',
        description: BOT_FIELDS.discord,
        required: ['guilds'],
        additionalProperties: false,
        properties: {
          application: {
            ...snowflake,
            description: 'Application (client) id; read from the token when absent.',
          },
          guilds: { type: 'array', description: 'Guild (server) ids, quoted.', items: snowflake },
        },
      },
    },
  };
  return {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'streamcogs bots.yaml',
    description:
      'Each top-level key is a bot. Keys starting with x- are ignored (a place for YAML anchors). ${VAR} and ${VAR:-default} are expanded in values.',
    type: 'object',
    patternProperties: {
      [`^${IGNORED_KEY_PREFIX}`]: {
        description:
          'Ignored by streamcogs: a place for YAML anchors (&name) to reuse with *name or <<: *name.',
      },
      [`^(?!${IGNORED_KEY_PREFIX})${pattern(BOT_NAME_PATTERN).slice(1)}`]: {
        $ref: '#/definitions/bot',
      },
    },
    additionalProperties: false,
    definitions,
  };
}
