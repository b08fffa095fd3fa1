/**
 * Conference numbering (issue 5): the ranges of numbers reserved for conference rooms, as
 * `<from>-<to>` with both ends digit strings of the same length (`8000-8999`). Numbers of
 * one length compare as strings in numeric order, and numbers of different lengths are
 * different numbers, so `800-899` and `8000-8999` do not overlap.
 */
import type { ConferenceRange } from '../../store/store.js';
import { invalid } from '../directory/directory-error.js';

export const MAX_CONFERENCE_RANGES = 20;

const RANGE_TEXT = /^([0-9]+)-([0-9]+)$/;
const RANGE_END = /^[0-9]{2,10}$/;

/** `8000-8999` -> { from: '8000', to: '8999' }; blanks around the text are dropped. */
export function parseConferenceRange(text: string): ConferenceRange {
  const m = RANGE_TEXT.exec(text.trim());
  if (!m) throw invalid(`conference range must be <from>-<to> in digits (e.g. 8000-8999), got ${JSON.stringify(text)}`);
  const [, from, to] = m as unknown as [string, string, string];
  if (!RANGE_END.test(from) || !RANGE_END.test(to)) throw invalid(`conference range ${from}-${to}: numbers must be 2 to 10 digits`);
  if (from.length !== to.length) throw invalid(`conference range ${from}-${to}: both ends must have the same number of digits`);
  if (from > to) throw invalid(`conference range ${from}-${to}: the start is above the end`);
  return { from, to };
}

/** A whole set of ranges: at most 20, none overlapping another; returned in number order. */
export function checkConferenceRanges(ranges: readonly ConferenceRange[]): ConferenceRange[] {
  if (ranges.length > MAX_CONFERENCE_RANGES) throw invalid(`at most ${MAX_CONFERENCE_RANGES} conference ranges, got ${ranges.length}`);
  const sorted = [...ranges].sort(compareRanges);
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1]!, sorted[i]!];
    if (a.from.length === b.from.length && b.from <= a.to) throw invalid(`conference ranges ${describeRange(a)} and ${describeRange(b)} overlap`);
  }
  return sorted;
}

export function inRange(number: string, range: ConferenceRange): boolean {
  return number.length === range.from.length && number >= range.from && number <= range.to;
}

export function inAnyRange(number: string, ranges: readonly ConferenceRange[]): boolean {
  return ranges.some((r) => inRange(number, r));
}

/** How many numbers a range holds (`8000-8999`: 1000). */
export function rangeSize(range: ConferenceRange): number {
  return Number(range.to) - Number(range.from) + 1;
}

export function describeRange(range: ConferenceRange): string {
  return `${range.from}-${range.to}`;
}

/** `8000-8999, 9500-9599`. */
export function describeRanges(ranges: readonly ConferenceRange[]): string {
  return ranges.map(describeRange).join(', ');
}

function compareRanges(a: ConferenceRange, b: ConferenceRange): number {
  return a.from.length - b.from.length || (a.from < b.from ? -1 : a.from > b.from ? 1 : 0);
}
