/**
 * `softswitch history [--user <ext>] [--missed] [--limit N] [--json]`: past and live calls
 * from the database, newest first. Reads the file directly, so it works with the switch
 * stopped.
 */
import type { Command } from 'commander';
import { MAX_HISTORY_LIMIT, type CallHistoryEntry } from '../../store/calls-repository.js';
import { CliError } from '../cli-error.js';
import { withDirectory, type CliContext } from '../cli-context.js';
import { printJson } from '../json-views.js';
import { formatDuration, orDash, renderTable } from '../table.js';
import { partyLabel } from './calls-command.js';
import { commonOptions, type CommonOptions } from './common-options.js';

interface HistoryOptions extends CommonOptions {
  user?: string;
  missed?: boolean;
  limit?: string;
}

export interface CallHistoryJson {
  id: string;
  callerNumber: string;
  callerName: string | null;
  callerDevice: string | null;
  dialled: string;
  calleeUser: string | null;
  answeredBy: string | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  /** Whole seconds from answer to end; null when not answered or still live. */
  talkSeconds: number | null;
  /** null while live. */
  disposition: string | null;
  endReason: string | null;
  /** Users (main extensions) for whom this was a missed call. */
  missedBy: string[];
  parties: Array<{ user: string; role: 'caller' | 'callee'; missed: boolean }>;
}

export function historyCommand(program: Command, ctx: CliContext): void {
  commonOptions(program.command('history'), { json: true })
    .description('list past calls, newest first (works with the switch stopped)')
    .option('--user <ext>', 'only calls of this user (main extension), as caller or callee')
    .option('--missed', 'only missed calls (of --user, else of anyone)')
    .option('--limit <n>', `at most this many calls, 1-${MAX_HISTORY_LIMIT} (default 50)`)
    .action((o: HistoryOptions) => {
      const limit = parseLimit(o.limit);
      return withDirectory(o.config, ctx, ({ store }) => {
        const calls = store.calls.list({
          ...(o.user !== undefined ? { userExt: o.user } : {}),
          missedOnly: o.missed === true,
          ...(limit !== undefined ? { limit } : {}),
        });
        ctx.io.stdout(o.json ? printJson(calls.map(callHistoryJson)) : historyTable(calls, o, ctx.io.env.TZ));
      });
    });
}

function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_HISTORY_LIMIT) {
    throw new CliError(`--limit must be an integer 1-${MAX_HISTORY_LIMIT}, got "${text}"`);
  }
  return n;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const missedBy = (c: CallHistoryEntry) => [...new Set(c.parties.filter((p) => p.missed).map((p) => p.userExt))];

function talkSeconds(c: CallHistoryEntry): number | null {
  return c.answeredAt !== null && c.endedAt !== null ? Math.max(0, Math.floor((c.endedAt - c.answeredAt) / 1000)) : null;
}

function talkCell(c: CallHistoryEntry): string {
  const seconds = talkSeconds(c);
  return seconds === null ? '-' : formatDuration(seconds);
}

export function callHistoryJson(c: CallHistoryEntry): CallHistoryJson {
  return {
    id: c.id,
    callerNumber: c.callerNumber,
    callerName: c.callerName,
    callerDevice: c.callerDevice,
    dialled: c.dialled,
    calleeUser: c.calleeUser,
    answeredBy: c.answeredBy,
    startedAt: iso(c.startedAt)!,
    answeredAt: iso(c.answeredAt),
    endedAt: iso(c.endedAt),
    talkSeconds: talkSeconds(c),
    disposition: c.disposition,
    endReason: c.endReason,
    missedBy: missedBy(c),
    parties: c.parties.map((p) => ({ user: p.userExt, role: p.role, missed: p.missed })),
  };
}

function historyTable(calls: CallHistoryEntry[], o: HistoryOptions, timeZone: string | undefined): string {
  if (calls.length === 0) return `no ${o.missed ? 'missed ' : ''}calls${o.user !== undefined ? ` for user ${o.user}` : ''}\n`;
  const when = localTimeFormat(timeZone);
  return renderTable(
    [
      { header: 'STARTED', cell: (c) => when(c.startedAt) },
      { header: 'ID', cell: (c) => c.id.slice(0, 8) },
      { header: 'CALLER', cell: (c) => partyLabel(c.callerNumber, c.callerName) },
      { header: 'DIALLED', cell: (c) => c.dialled },
      { header: 'ANSWERED BY', cell: (c) => orDash(c.answeredBy) },
      { header: 'TALK', cell: talkCell },
      { header: 'RESULT', cell: (c) => c.disposition ?? 'live' },
      { header: 'MISSED BY', cell: (c) => orDash(missedBy(c).join(',')) },
      { header: 'REASON', cell: (c) => orDash(c.endReason) },
    ],
    calls,
  );
}

/** `2023-11-14 22:13:20` in `timeZone` ($TZ), else the system's zone; an unknown zone falls back to it too. */
export function localTimeFormat(timeZone: string | undefined): (ms: number) => string {
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  };
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', timeZone ? { ...options, timeZone } : options);
  } catch {
    format = new Intl.DateTimeFormat('en-US', options);
  }
  return (ms) => {
    const part = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
    return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`;
  };
}
