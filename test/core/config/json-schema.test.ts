import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { buildJsonSchema, JSON_SCHEMA_DIALECT } from '../../../core/config/index.js';
import { FIXTURES, TEST_COGS, TWITCH_CREAMERY_EXAMPLE } from './helpers.js';
import { checkSchema } from './mini-schema.js';

const schema = buildJsonSchema(TEST_COGS);
const check = (text: string) => checkSchema(schema, parse(text));

describe('buildJsonSchema', () => {
  it('is draft-07 with descriptions for editor hover', () => {
    expect(schema.$schema).toBe(JSON_SCHEMA_DIALECT);
    const bot = (
      schema.definitions as Record<string, { properties: Record<string, { description?: string }> }>
    ).bot;
    for (const field of ['prefix', 'channels', 'scopes', 'cogs', 'discord']) {
      expect(bot!.properties[field]!.description, field).toBeTruthy();
    }
  });

  it("contains each cog's settings properties", () => {
    const definitions = schema.definitions as Record<
      string,
      { properties?: Record<string, unknown> }
    >;
    expect(Object.keys(definitions['settings-go-live']!.properties!)).toEqual([
      'channels',
      'message',
      'webhook',
    ]);
    const cogBranches = JSON.stringify(definitions.cog);
    expect(cogBranches).toContain('"const":"eventsub"');
    // go-live has a required setting, so `- go-live` alone is not offered.
    expect(cogBranches).not.toContain('"const":"go-live"');
    expect(check('alice:\n  cogs: [eventsub, go-live]\n')).not.toEqual([]);
    expect(cogBranches).toContain('Posts to Discord when a channel goes live');
  });

  it('validates the example files', () => {
    expect(check(TWITCH_CREAMERY_EXAMPLE.replace('prefix: !', 'prefix: "!"'))).toEqual([]);
    expect(check(readFileSync(join(FIXTURES, 'full.yaml'), 'utf8'))).toEqual([]);
  });

  it('flags what the loader refuses', () => {
    expect(check('alice:\n  cogs: [go-lvie]\n')).not.toEqual([]);
    expect(check('alice:\n  cogs: [{ go-live: { channels: alice } }]\n')).not.toEqual([]);
    expect(check('alice:\n  prefx: "!"\n')).toContainEqual(
      expect.stringContaining('unexpected key prefx'),
    );
    expect(check('alice:\n  discord: { guilds: [123456789012345678] }\n')).not.toEqual([]);
    expect(check('alice:\n  prefix: "too long"\n')).not.toEqual([]);
  });

  it('lets constrained text hold ${VAR}, and ignores x- keys', () => {
    expect(
      check(
        'x-anything: [1, 2]\nalice:\n  prefix: ${PREFIX}\n  discord: { guilds: ["${GUILD}"] }\n',
      ),
    ).toEqual([]);
  });

  it('hoists definitions of recursive settings without clashing', () => {
    const node: z.ZodType = z.lazy(() =>
      z.object({ name: z.string(), children: z.array(node).optional() }),
    );
    const tree = { name: 'tree', settings: z.object({ root: node }) };
    const built = buildJsonSchema([...TEST_COGS, tree]);
    expect(
      checkSchema(
        built,
        parse('a:\n  cogs:\n    - tree: { root: { name: x, children: [{ name: y }] } }\n'),
      ),
    ).toEqual([]);
    expect(
      checkSchema(
        built,
        parse('a:\n  cogs:\n    - tree: { root: { name: x, children: [{ name: 1 }] } }\n'),
      ),
    ).not.toEqual([]);
  });
});
