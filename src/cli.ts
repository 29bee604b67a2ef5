import { Command } from 'commander';
import { buildJsonSchema } from '../core/config/index.js';
import { describeError } from '../core/errors.js';
import { ConfigInvalidError, startApp } from './app.js';
import { createCatalog, loadEverything, renderIssues } from './load.js';

const program = new Command('streamcogs')
  .description('Run many Twitch + Discord bots from one bots.yaml')
  .showHelpAfterError();

program
  .command('start')
  .description(
    'validate bots.yaml, then start every bot (the sandbox when there are no credentials)',
  )
  .option('-c, --config <file>', 'bots.yaml to use (default: CONFIG_FILENAME or bots.yaml)')
  .option('--strict', 'a cog whose setup fails stops startup')
  .option('--no-watch', 'do not reload bots.yaml on change')
  .action(async (opts: { config?: string; strict?: boolean; watch: boolean }) => {
    try {
      const app = await startApp({ file: opts.config, strict: opts.strict, watch: opts.watch });
      let signals = 0;
      const shutdown = (signal: string): void => {
        signals++;
        if (signals > 1) process.exit(1);
        app.log.info({ signal }, 'shutting down');
        const deadline = setTimeout(() => {
          app.log.error('shutdown took over 10 s; exiting');
          process.exit(1);
        }, 10_000);
        deadline.unref();
        app.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            app.log.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGINT', () => shutdown('SIGINT'));
    } catch (err) {
      if (err instanceof ConfigInvalidError) {
        process.stderr.write(renderIssues([...err.issues, ...err.warnings]));
        process.stderr.write('\nnothing was started.\n');
        process.exit(2);
      }
      process.stderr.write(`streamcogs: ${describeError(err)}\n`);
      process.exit(1);
    }
  });

program
  .command('check [file]')
  .description('validate bots.yaml and the environment without connecting anything')
  .option('--production', 'also require every credential (<BOT>_CLIENT_ID, ...)')
  .action(async (file: string | undefined, opts: { production?: boolean }) => {
    const loaded = await loadEverything({ file, requireCredentials: opts.production });
    const issues = [...loaded.errors, ...loaded.warnings];
    if (issues.length > 0) process.stderr.write(renderIssues(issues));
    if (loaded.errors.length > 0) process.exit(2);
    const bots = loaded.config?.bots ?? [];
    process.stdout.write(
      `${loaded.file}: OK, ${bots.length} bot(s): ${bots.map((b) => `${b.name} (${b.cogs.map((c) => c.name).join(', ') || 'no cogs'})`).join('; ')}\n`,
    );
  });

program
  .command('schema')
  .description('print the JSON Schema of bots.yaml, with every installed cog, for editors')
  .action(async () => {
    const catalog = await createCatalog(process.env, process.cwd());
    const descriptors = [];
    for (const name of catalog.knownNames()) {
      const d = await catalog.resolve(name);
      if (d) descriptors.push(d);
    }
    process.stdout.write(`${JSON.stringify(buildJsonSchema(descriptors), null, 2)}\n`);
  });

await program.parseAsync(process.argv);
