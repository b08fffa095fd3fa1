/** The `softswitch` command tree. Built fresh per run (commander keeps parse state). */
import { packageVersion } from '../config/package-version.js';
import type { CliContext } from './cli-context.js';
import { callsCommand } from './commands/calls-command.js';
import { conferenceRangeCommands } from './commands/conference-range-commands.js';
import { deviceCommands } from './commands/device-commands.js';
import { hangupCommand } from './commands/hangup-command.js';
import { historyCommand } from './commands/history-command.js';
import { registrationsCommand } from './commands/registrations-command.js';
import { roomCommands } from './commands/room-commands.js';
import { startCommand } from './commands/start-command.js';
import { userCommands } from './commands/user-commands.js';
import { SoftswitchCommand } from './softswitch-command.js';

const EXAMPLES = `
Examples:
  softswitch start --config /etc/softswitch/config.yaml
  softswitch user add 1001 --name "Alice Martin" --cli +4930123456
  softswitch device add 1001 --user 1001 --secret 'Xk7#pQ2!vR' --model "Yealink T54W" --mac 80:5e:c0:12:34:56
  softswitch registrations --user 1001
  softswitch conference-range set 8000-8999
  softswitch room add 8000 --name "All hands" --public --pin 4711 --admin-pin 90210

Every command takes --config FILE; list and show commands take --json. See docs/cli.md.`;

export function buildProgram(ctx: CliContext): SoftswitchCommand {
  const program = new SoftswitchCommand('softswitch');
  program
    .description('PBX softswitch: SIP registrar, B2BUA and conference mixer')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.stdout(s),
      writeErr: (s) => ctx.io.stderr(s),
      outputError: () => {}, // reported as one line by run()
    })
    .addHelpText('after', EXAMPLES);
  startCommand(program, ctx);
  userCommands(program, ctx);
  deviceCommands(program, ctx);
  registrationsCommand(program, ctx);
  callsCommand(program, ctx);
  hangupCommand(program, ctx);
  historyCommand(program, ctx);
  conferenceRangeCommands(program, ctx);
  roomCommands(program, ctx);
  return program;
}
