import { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * One file per command under src/commands/. Each is imported only when it runs (all of
 * them for `--help`), so `streamcogs check` does not load Discord, Twitch and the server.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  start: async () => (await import('./commands/start.js')).registerStart,
  check: async () => (await import('./commands/check.js')).registerCheck,
  schema: async () => (await import('./commands/schema.js')).registerSchema,
  dev: async () => (await import('./commands/dev.js')).registerDev,
  new: async () => (await import('./commands/new.js')).registerNew,
  auth: async () => (await import('./commands/auth.js')).registerAuth,
  invite: async () => (await import('./commands/invite.js')).registerInvite,
  status: async () => (await import('./commands/status.js')).registerStatus,
  roles: async () => (await import('./commands/roles.js')).registerRoles,
};

const program = new Command('streamcogs')
  .description('Run many Twitch + Discord bots from one bots.yaml')
  .showHelpAfterError();

const wanted = process.argv[2];
const names = wanted && wanted in COMMANDS ? [wanted] : Object.keys(COMMANDS);
for (const name of names) (await (COMMANDS[name] as () => Promise<Register>)())(program);

await program.parseAsync(process.argv);
