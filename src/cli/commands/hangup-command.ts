/** `softswitch hangup <call>`: ends a live call given by its id or a unique prefix of it. */
import type { Command } from 'commander';
import { matchCallId, shortIds } from '../../app/control/call-id-prefix.js';
import { CALLS_HANGUP, type HangupParams } from '../../app/control/live-call-view.js';
import { CliError, UsageError } from '../cli-error.js';
import type { CliContext } from '../cli-context.js';
import { safe } from '../table.js';
import { withSwitch } from './calls-control.js';
import { fetchLiveCalls, partyLabel } from './calls-command.js';
import { commonOptions, type CommonOptions } from './common-options.js';

/** How many matching ids an "ambiguous" error names before "...". */
const SHOWN_MATCHES = 5;

export function hangupCommand(program: Command, ctx: CliContext): void {
  commonOptions(program.command('hangup <call>'))
    .description('end a live call (<call>: its id from `softswitch calls`, or a unique prefix)')
    .action((input: string, o: CommonOptions) => {
      if (input.trim() === '') throw new UsageError('<call> must not be empty');
      return withSwitch(o.config, ctx, async (client) => {
        const calls = await fetchLiveCalls(client.call.bind(client));
        const match = matchCallId(input, calls.map((c) => c.id));
        if (match.kind === 'none') throw new CliError(`no live call ${safe(input)}`);
        if (match.kind === 'ambiguous') throw new CliError(ambiguous(input, match.ids));
        const params: HangupParams = { call: match.id };
        await client.call(CALLS_HANGUP, params);
        const c = calls.find((x) => x.id === match.id)!;
        ctx.io.stdout(safe(`hung up call ${c.id} (${partyLabel(c.caller.number, c.caller.name)} -> ${c.dialled})`) + '\n');
      });
    });
}

function ambiguous(input: string, ids: string[]): string {
  const short = shortIds(ids);
  const named = ids.slice(0, SHOWN_MATCHES).map((id) => short.get(id)!);
  const more = ids.length > SHOWN_MATCHES ? ', ...' : '';
  return `${safe(input)} matches ${ids.length} live calls (${named.join(', ')}${more}); give more of the id`;
}
