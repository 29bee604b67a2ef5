import { Command } from 'commander';
import { registerAuth } from './commands/auth.js';
import { registerCheck } from './commands/check.js';
import { registerDev } from './commands/dev.js';
import { registerInvite } from './commands/invite.js';
import { registerNew } from './commands/new.js';
import { registerRoles } from './commands/roles.js';
import { registerSchema } from './commands/schema.js';
import { registerStart } from './commands/start.js';
import { registerStatus } from './commands/status.js';

const program = new Command('streamcogs')
  .description('Run many Twitch + Discord bots from one bots.yaml')
  .showHelpAfterError();

// One file per command under src/commands/.
registerStart(program);
registerCheck(program);
registerSchema(program);
registerDev(program);
registerNew(program);
registerAuth(program);
registerInvite(program);
registerStatus(program);
registerRoles(program);

await program.parseAsync(process.argv);
