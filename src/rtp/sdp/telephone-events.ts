/**
 * RFC 4733 §2.4.1 event lists in a=fmtp (e.g. "0-15", "0-16", "0-15,66,70").
 * An absent list means the DTMF events 0-15. The engine understands 0-15 (DTMF digits,
 * RFC 4733 §3.2) and 16 (flash, RFC 4734 §3.2).
 */

/** The events the engine can send and receive. */
export const SUPPORTED_EVENTS_MAX = 16;
/** RFC 4733 §2.4.1: the events assumed when the fmtp lists none. */
const DEFAULT_EVENTS = '0-15';

/** The event codes of an fmtp event list; undefined when the list is not well formed. */
export function parseEventList(fmtp: string | undefined): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of (fmtp ?? DEFAULT_EVENTS).split(',')) {
    const m = /^\s*(\d{1,3})(?:\s*-\s*(\d{1,3}))?\s*$/.exec(part);
    if (!m) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from > 255 || to > 255 || to < from) return undefined;
    for (let e = from; e <= to; e++) out.add(e);
  }
  return out;
}

/** An fmtp event list ("0-15", "0-16,32") for a set of event codes, ranges merged. */
export function formatEventList(events: Iterable<number>): string {
  const sorted = [...events].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The offered events the engine supports, as an fmtp list; undefined when none. */
export function answerEventList(offered: string | undefined): string | undefined {
  const events = parseEventList(offered);
  if (!events) return undefined;
  const shared = [...events].filter((e) => e <= SUPPORTED_EVENTS_MAX);
  return shared.length > 0 ? formatEventList(shared) : undefined;
}
