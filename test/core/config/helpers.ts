import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadConfig } from '../../../core/config/index.js';
import type {
  CogCatalog,
  CogDescriptor,
  ConfigIssue,
  LoadOptions,
  LoadResult,
  RetiredCog,
} from '../../../core/config/index.js';

/** The fixtures folder of these tests. */
export const FIXTURES = fileURLToPath(new URL('../../fixtures/config/', import.meta.url));

/**
 * twitch-creamery's example bots.yaml, byte for byte (3-space indent, `-   ` items, bare
 * `!`). Kept here rather than in a fixture file because prettier would reformat a .yaml.
 */
export const TWITCH_CREAMERY_EXAMPLE = [
  'example_bot:',
  '   prefix: !',
  '   cogs:',
  '   -   echo_console',
  '   channels:',
  '   -   AnonymousUser',
  '   scopes:',
  '   -   all_scopes',
  '',
].join('\n');

/** Cogs shaped like the built-in ones, with real zod settings. */
export const TEST_COGS: CogDescriptor[] = [
  { name: 'echo_console', description: 'Echoes chat to the console' },
  { name: 'eventsub', description: 'Twitch EventSub subscriptions' },
  {
    name: 'go-live',
    description: 'Posts to Discord when a channel goes live',
    dependsOn: ['eventsub'],
    settings: z
      .object({
        channels: z.array(z.string()).min(1).describe('Channels to watch'),
        message: z.string().default('{channel} is live!'),
        webhook: z.url().optional(),
      })
      .strict(),
  },
  {
    name: 'chat-commands',
    settings: z.object({
      commands: z.record(z.string(), z.string()).default({}),
      cooldownSeconds: z.number().int().min(0).default(5),
    }),
  },
  {
    name: 'sub-roles',
    dependsOn: ['eventsub'],
    twitchScopes: ['channel:read:subscriptions'],
    settings: z.object({ role: z.string(), mode: z.enum(['add', 'sync']).default('add') }),
  },
];

const RETIRED: RetiredCog[] = [
  { name: 'pubsub', reason: 'Twitch shut PubSub down in April 2025', replacement: 'eventsub' },
];

/** A small in-memory catalog; counts resolve calls so caching can be checked. */
export function testCatalog(cogs: CogDescriptor[] = TEST_COGS): CogCatalog & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async resolve(name) {
      calls.push(name);
      return cogs.find((cog) => cog.name === name);
    },
    knownNames: () => cogs.map((cog) => cog.name),
    retired: (name) => RETIRED.find((cog) => cog.name === name),
  };
}

/** Writes `text` as bots.yaml in a fresh directory and returns the directory. */
export function writeConfig(text: string, name = 'bots.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'streamcogs-config-'));
  writeFileSync(join(dir, name), text);
  return dir;
}

/** Loads `text` as bots.yaml with the test catalog and an empty environment by default. */
export function load(text: string, options: Partial<LoadOptions> = {}): Promise<LoadResult> {
  const cwd = writeConfig(text);
  return loadConfig({ cwd, env: {}, catalog: testCatalog(), ...options });
}

/** The errors of a failed load (fails the test if it loaded). */
export function errorsOf(result: LoadResult): ConfigIssue[] {
  if (result.ok)
    throw new Error(`expected errors, got a config; warnings: ${JSON.stringify(result.warnings)}`);
  return result.errors;
}

/** The one issue with this code (fails the test if there is not exactly one). */
export function only(issues: readonly ConfigIssue[], code: string): ConfigIssue {
  const found = issues.filter((issue) => issue.code === code);
  if (found.length !== 1) {
    throw new Error(
      `expected one "${code}" issue, got ${found.length}: ${JSON.stringify(issues, null, 2)}`,
    );
  }
  return found[0]!;
}
