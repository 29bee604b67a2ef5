/**
 * A tiny JSON Schema (draft-07 subset) checker for tests: enough to validate bots.yaml
 * examples against the generated schema without adding ajv. Returns the failures.
 */
type Schema = Record<string, unknown> | boolean;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

function matchesType(value: unknown, type: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  const actual = typeOf(value);
  return types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

export function checkSchema(
  schema: Schema,
  value: unknown,
  root: Schema = schema,
  at = '$',
): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${at}: not allowed`];
  const s = schema;
  const errors: string[] = [];
  const fail = (why: string) => errors.push(`${at}: ${why}`);
  if (typeof s.$ref === 'string') {
    const target = s.$ref
      .replace(/^#\/?/, '')
      .split('/')
      .filter(Boolean)
      .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], root);
    if (target === undefined) return [`${at}: unresolved ${s.$ref}`];
    errors.push(...checkSchema(target as Schema, value, root, at));
  }
  if (s.type !== undefined && !matchesType(value, s.type))
    fail(`expected ${String(s.type)}, got ${typeOf(value)}`);
  if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(value))
    fail(`expected ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    fail('not in enum');
  if (
    Array.isArray(s.anyOf) &&
    !s.anyOf.some((sub) => checkSchema(sub as Schema, value, root, at).length === 0)
  ) {
    fail('matches no anyOf branch');
  }
  if (
    Array.isArray(s.oneOf) &&
    s.oneOf.filter((sub) => checkSchema(sub as Schema, value, root, at).length === 0).length !== 1
  ) {
    fail('does not match exactly one oneOf branch');
  }
  if (Array.isArray(s.allOf))
    for (const sub of s.allOf) errors.push(...checkSchema(sub as Schema, value, root, at));
  if (typeof value === 'string') {
    if (typeof s.minLength === 'number' && [...value].length < s.minLength) fail('too short');
    if (typeof s.maxLength === 'number' && [...value].length > s.maxLength) fail('too long');
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value))
      fail(`does not match ${s.pattern}`);
    if (s.format === 'uri' && !/^[a-z][a-z0-9+.-]*:/i.test(value)) fail('not a uri');
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) fail('below minimum');
    if (typeof s.maximum === 'number' && value > s.maximum) fail('above maximum');
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) fail('too few items');
    if (s.items !== undefined && !Array.isArray(s.items)) {
      value.forEach((item, i) =>
        errors.push(...checkSchema(s.items as Schema, item, root, `${at}[${i}]`)),
      );
    }
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of (s.required as string[] | undefined) ?? [])
      if (!(key in object)) fail(`missing ${key}`);
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    const patterns = Object.entries((s.patternProperties ?? {}) as Record<string, Schema>);
    for (const [key, item] of Object.entries(object)) {
      let known = false;
      if (key in properties) {
        known = true;
        errors.push(...checkSchema(properties[key]!, item, root, `${at}.${key}`));
      }
      for (const [pattern, sub] of patterns) {
        if (new RegExp(pattern, 'u').test(key)) {
          known = true;
          errors.push(...checkSchema(sub, item, root, `${at}.${key}`));
        }
      }
      if (!known && s.additionalProperties === false) fail(`unexpected key ${key}`);
      if (!known && typeof s.additionalProperties === 'object') {
        errors.push(...checkSchema(s.additionalProperties as Schema, item, root, `${at}.${key}`));
      }
    }
  }
  return errors;
}
