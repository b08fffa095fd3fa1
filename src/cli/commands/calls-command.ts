/** `softswitch calls [--json]`: the live calls of the running switch (control socket `calls.list`). */
import type { Command } from 'commander';
import { shortIds } from '../../app/control/call-id-prefix.js';
import { CALLS_LIST, type LiveCallView } from '../../app/control/live-call-view.js';
import type { CliContext } from '../cli-context.js';
import { printJson } from '../json-views.js';
import { formatDuration, orDash, renderTable } from '../table.js';
import { unexpectedAnswer, withSwitch } from './calls-control.js';
import { commonOptions, type CommonOptions } from './common-options.js';

/** `--json`: LiveCallView with times as ISO strings, plus `duration`. */
export type LiveCallJson = Omit<LiveCallView, 'startedAt' | 'answeredAt'> & {
  startedAt: string;
  answeredAt: string | null;
  /** Whole seconds since the answer, or since the start while not answered. */
  duration: number;
};

export function callsCommand(program: Command, ctx: CliContext): void {
  commonOptions(program.command('calls'), { json: true })
    .description('list live calls: id, caller, dialled, state, answered by, duration, codecs, packets, loss')
    .action((o: CommonOptions) =>
      withSwitch(o.config, ctx, async (client) => {
        const calls = await fetchLiveCalls(client.call.bind(client));
        const now = ctx.deps.now();
        ctx.io.stdout(o.json ? printJson(calls.map((c) => liveCallJson(c, now))) : liveCallsTable(calls, now));
      }),
    );
}

/** `calls.list`, checked to be a list of calls with ids. */
export async function fetchLiveCalls(call: <T>(method: string) => Promise<T>): Promise<LiveCallView[]> {
  const calls = await call<unknown>(CALLS_LIST);
  if (!Array.isArray(calls) || !calls.every((c) => typeof (c as LiveCallView | null)?.id === 'string')) throw unexpectedAnswer(CALLS_LIST);
  return calls as LiveCallView[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const durationOf = (c: LiveCallView, now: number) => Math.max(0, Math.floor((now - (c.answeredAt ?? c.startedAt)) / 1000));

export function liveCallJson(c: LiveCallView, now: number): LiveCallJson {
  return {
    ...c,
    startedAt: iso(c.startedAt),
    answeredAt: c.answeredAt === null ? null : iso(c.answeredAt),
    duration: durationOf(c, now),
  };
}

/** "1001 (Alice)", or the number alone. */
export function partyLabel(number: string, name: string | null): string {
  return name ? `${number} (${name})` : number;
}

function codecs(c: LiveCallView): string {
  const names = [...new Set(c.legs.map((l) => l.codec).filter((n): n is string => n !== null))];
  return names.length ? names.join('/') : '-';
}

function packets(c: LiveCallView): string {
  const total = (key: 'packetsIn' | 'packetsOut') => c.legs.reduce((sum, l) => sum + l[key], 0);
  return c.legs.length ? `${total('packetsIn')}/${total('packetsOut')}` : '-';
}

/** Lost / expected over every incoming stream of the call. */
function loss(c: LiveCallView): string {
  const lost = c.legs.reduce((sum, l) => sum + l.lost, 0);
  const expected = c.legs.reduce((sum, l) => sum + l.packetsIn, 0) + lost;
  return expected === 0 ? '-' : `${((100 * lost) / expected).toFixed(1)}%`;
}

function liveCallsTable(calls: LiveCallView[], now: number): string {
  if (calls.length === 0) return 'no live calls\n';
  const ids = shortIds(calls.map((c) => c.id));
  return renderTable(
    [
      { header: 'ID', cell: (c) => ids.get(c.id)! },
      { header: 'CALLER', cell: (c) => partyLabel(c.caller.number, c.caller.name) },
      { header: 'DIALLED', cell: (c) => c.dialled },
      { header: 'STATE', cell: (c) => c.state },
      { header: 'ANSWERED BY', cell: (c) => orDash(c.callee.answeredBy) },
      { header: 'DURATION', cell: (c) => formatDuration(durationOf(c, now)) },
      { header: 'CODECS', cell: codecs },
      { header: 'PACKETS IN/OUT', cell: packets },
      { header: 'LOSS', cell: loss },
    ],
    calls,
  );
}
