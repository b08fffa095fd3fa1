/**
 * Replacing the conference numbering: the new set is checked as a whole (format, at most 20,
 * no overlap) and refused when it would leave an existing room outside every range, all in
 * one IMMEDIATE transaction with the write.
 */
import type { ConferenceRange } from '../../store/store.js';
import type { DirectoryContext } from '../directory/directory-context.js';
import { DirectoryError } from '../directory/directory-error.js';
import { checkConferenceRanges, describeRanges, inAnyRange, parseConferenceRange } from './conference-ranges.js';

/** Rooms named in an "outside every range" refusal before "and N more". */
const NAMED_ROOMS = 5;

/** An extension of a user or device inside a new range: no room can take that number. */
export interface TakenNumber {
  number: string;
  /** "user Alice", "device of Alice". */
  holder: string;
}

export interface RangeChange {
  ranges: ConferenceRange[];
  previous: ConferenceRange[];
  /** Users' and devices' extensions inside the new ranges, in number order. */
  taken: TakenNumber[];
}

/** `texts`: `<from>-<to>` each (`8000-8999`); an empty list removes every range (only when there are no rooms). */
export function setConferenceRanges(ctx: DirectoryContext, texts: readonly string[]): RangeChange {
  const ranges = checkConferenceRanges(texts.map(parseConferenceRange));
  return ctx.store.transaction(() => {
    const previous = ctx.store.conferenceRanges.list();
    const orphans = ctx.store.rooms.list().filter((room) => !inAnyRange(room.number, ranges));
    if (orphans.length > 0) throw new DirectoryError('refused', orphanMessage(orphans, ranges));
    ctx.store.conferenceRanges.set(ranges);
    return { ranges, previous, taken: takenNumbers(ctx, ranges) };
  });
}

function orphanMessage(orphans: ReadonlyArray<{ number: string; name: string }>, ranges: readonly ConferenceRange[]): string {
  const named = orphans.slice(0, NAMED_ROOMS).map((r) => `${r.number} (${r.name})`).join(', ');
  const more = orphans.length > NAMED_ROOMS ? ` and ${orphans.length - NAMED_ROOMS} more` : '';
  const one = orphans.length === 1;
  const where = ranges.length === 0 ? 'without a conference range' : `outside every new range (${describeRanges(ranges)})`;
  return `conference room${one ? '' : 's'} ${named}${more} would be ${where}; move or remove ${one ? 'it' : 'them'} first`;
}

function takenNumbers(ctx: DirectoryContext, ranges: readonly ConferenceRange[]): TakenNumber[] {
  const extensions = [...ctx.store.users.list().map((u) => u.ext), ...ctx.store.devices.list().map((d) => d.ext)];
  const inside = [...new Set(extensions.filter((ext) => inAnyRange(ext, ranges)))];
  inside.sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  // A user's main extension shared with the user's own device is named once, as the user.
  return inside.map((number) => ({ number, holder: ctx.numbering.claims(number)[0]!.description }));
}
