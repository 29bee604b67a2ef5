import { Command } from 'commander';
import { registerCheck } from './commands/check.js';
import { registerSchema } from './commands/schema.js';
import { registerStart } from './commands/start.js';

const program = new Command('streamcogs')
  .description('Run many Twitch + Discord bots from one bots.yaml')
  .showHelpAfterError();

// One file per command under src/commands/.
registerStart(program);
registerCheck(program);
registerSchema(program);

await program.parseAsync(process.argv);
