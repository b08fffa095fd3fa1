/** `softswitch conference-range set | list`: the numbers reserved for conference rooms. */
import type { Command } from 'commander';
import { describeRange, inAnyRange, rangeSize, type RangeChange } from '../../app/rooms/rooms.js';
import type { ConferenceRange, RoomRecord } from '../../store/store.js';
import type { CliContext } from '../cli-context.js';
import { printJson } from '../json-views.js';
import { renderTable } from '../table.js';
import { commonOptions, type CommonOptions } from './common-options.js';
import { withRooms } from './room-session.js';

/** Taken extensions listed under `conference-range set` before "and N more". */
const SHOWN_TAKEN = 5;

export interface ConferenceRangeJson {
  from: string;
  to: string;
  /** How many numbers the range holds. */
  numbers: number;
  /** Rooms configured in it now. */
  rooms: number;
}

export function conferenceRangeCommands(program: Command, ctx: CliContext): void {
  const range = program.command('conference-range').description('set and list the number ranges reserved for conference rooms');

  commonOptions(range.command('set <ranges...>'))
    .description('replace the conference ranges by <from>-<to> ... (e.g. 8000-8999); refused if a room would be left outside')
    .action((texts: string[], o: CommonOptions) =>
      withRooms(o.config, ctx, ({ rooms }) => ctx.io.stdout(rangeChangeLines(rooms.setConferenceRanges(texts)))),
    );

  commonOptions(range.command('list'), { json: true })
    .description('list the conference ranges with how many numbers and rooms each has')
    .action((o: CommonOptions) =>
      withRooms(o.config, ctx, ({ rooms }) => {
        const all = rooms.rooms().map((v) => v.room);
        const rows = rooms.conferenceRanges().map((r) => rangeJson(r, all));
        ctx.io.stdout(o.json ? printJson(rows) : rangeTable(rows));
      }),
    );
}

export function rangeJson(range: ConferenceRange, rooms: readonly RoomRecord[]): ConferenceRangeJson {
  return { from: range.from, to: range.to, numbers: rangeSize(range), rooms: rooms.filter((room) => inAnyRange(room.number, [range])).length };
}

function rangeChangeLines(change: RangeChange): string {
  const set = change.ranges.length ? change.ranges.map((r) => `${describeRange(r)} (${rangeSize(r)} number${rangeSize(r) === 1 ? '' : 's'})`).join(', ') : 'none';
  const taken = change.taken.slice(0, SHOWN_TAKEN).map((t) => `  ${t.number} is used by ${t.holder}: no room can take it\n`);
  const more = change.taken.length > SHOWN_TAKEN ? [`  and ${change.taken.length - SHOWN_TAKEN} more extensions inside the ranges\n`] : [];
  return `conference ranges: ${set}\n` + taken.join('') + more.join('');
}

function rangeTable(rows: ConferenceRangeJson[]): string {
  if (rows.length === 0) return 'no conference range (set one with: softswitch conference-range set <from>-<to>)\n';
  return renderTable(
    [
      { header: 'RANGE', cell: (r) => `${r.from}-${r.to}` },
      { header: 'NUMBERS', cell: (r) => String(r.numbers) },
      { header: 'ROOMS', cell: (r) => String(r.rooms) },
    ],
    rows,
  );
}
