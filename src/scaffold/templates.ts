/**
 * What the cog templates need to know.
 *
 * @example
 * ```ts
 * indexTemplate({ name: 'hello', core: 'streamcogs', testing: 'streamcogs/testing', ownFolder: true });
 * ```
 */
export interface TemplateInput {
  /** kebab-case cog name. */
  name: string;
  /** Import specifier of the framework (`'streamcogs'` or a relative path to core/index.js). */
  core: string;
  /** Import specifier of the test kit (`'streamcogs/testing'` or a relative path). */
  testing: string;
  /** The test must add the cog's parent folder to `pluginDirs` (it is not a built-in folder). */
  ownFolder: boolean;
}

/** `shout-box` -> `Shout box`. */
function title(name: string): string {
  const words = name.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * `index.ts` of a new cog: `definePlugin`, a zod settings schema with defaults, and a chat
 * command with a per-user cooldown.
 *
 * @example
 * ```ts
 * const source = indexTemplate({ name: 'hello', core: 'streamcogs', testing: 'streamcogs/testing', ownFolder: true });
 * ```
 */
export function indexTemplate(t: TemplateInput): string {
  return `import { definePlugin, z } from '${t.core}';

/** Settings of the ${t.name} cog in bots.yaml; every field has a default. */
const settings = z.object({
  greeting: z.string().min(1).default('Hello').describe('What !${t.name} says before the name'),
  cooldown_seconds: z
    .number()
    .int()
    .min(0)
    .default(10)
    .describe('How long each viewer waits between two !${t.name}'),
});

/**
 * ${title(t.name)}: answers \`!${t.name}\` with a greeting. Enable it in bots.yaml:
 *
 * \`\`\`yaml
 * cogs:
 *   - ${t.name}: { greeting: Hi }
 * \`\`\`
 */
export default definePlugin({
  name: '${t.name}',
  description: 'Answers !${t.name} with a greeting',
  settings,
  needs: { twitchScopes: ['chat:read', 'chat:edit'] },
  setup(ctx, s) {
    ctx.twitch.commands.register({
      name: '${t.name}',
      description: 'Greets you',
      cooldown: { user: s.cooldown_seconds },
      run: (cmd) => cmd.reply(\`\${s.greeting}, \${cmd.user.displayName}!\`),
    });
    ctx.log.info({ channels: ctx.bot.channels }, '${t.name} ready');
  },
});
`;
}

/**
 * `<name>.test.ts` of a new cog, written with the test kit; it passes as generated.
 *
 * @example
 * ```ts
 * const source = testTemplate({ name: 'hello', core: 'streamcogs', testing: 'streamcogs/testing', ownFolder: true });
 * ```
 */
export function testTemplate(t: TemplateInput): string {
  const dirsImport = t.ownFolder ? `import { fileURLToPath } from 'node:url';\n` : '';
  const dirs = t.ownFolder
    ? `\n    pluginDirs: [fileURLToPath(new URL('../', import.meta.url))],`
    : '';
  return `${dirsImport}import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '${t.testing}';

let t: TestBot;
beforeAll(async () => {
  // A bot in the sandbox (local Twitch and Discord), with this cog and its settings.
  t = await startTestBot({
    cogs: [{ '${t.name}': { greeting: 'Hi' } }],${dirs}
    fakeTime: true,
  });
});
afterAll(async () => {
  await t?.stop();
});

describe('${t.name}', () => {
  it('answers !${t.name} with a threaded reply', async () => {
    t.viewer('ada').says('!${t.name}');
    expect(await t.nextBotMessage()).toBe('Hi, ada!');
  });

  it('makes a viewer wait for the cooldown, not the others', async () => {
    t.viewer('bob').says('!${t.name}');
    expect(await t.nextBotMessage()).toBe('Hi, bob!');
    t.viewer('bob').says('!${t.name}'); // on cooldown: no answer
    t.viewer('cy').says('!${t.name}');
    expect(await t.nextBotMessage()).toBe('Hi, cy!');
    await t.clock.advance(10_000);
    t.viewer('bob').says('!${t.name}');
    expect(await t.nextBotMessage()).toBe('Hi, bob!');
  });
});
`;
}

/**
 * `README.md` stub of a new cog.
 *
 * @example
 * ```ts
 * const text = readmeTemplate({ name: 'hello', core: 'streamcogs', testing: 'streamcogs/testing', ownFolder: true });
 * ```
 */
export function readmeTemplate(t: TemplateInput): string {
  return `# ${t.name}

Answers \`!${t.name}\` with a greeting. _Describe what your cog does here._

## Enable it

\`\`\`yaml
my_bot:
  cogs:
    - ${t.name}:
        greeting: Hi
\`\`\`

## Settings

| setting | default | meaning |
|---|---|---|
| \`greeting\` | \`Hello\` | what \`!${t.name}\` says before the name |
| \`cooldown_seconds\` | \`10\` | how long each viewer waits between two \`!${t.name}\` |

## Commands

| command | who | what |
|---|---|---|
| \`!${t.name}\` | everyone | greets you |

## Develop

\`\`\`sh
npm run dev                                   # edit index.ts: the bots pick it up
npx vitest run ${t.ownFolder ? '' : 'plugins/'}${t.name}    # its test, against the sandbox
\`\`\`

See \`docs/writing-a-cog.md\` in streamcogs: the cog contract, settings, testing and publishing.
`;
}
