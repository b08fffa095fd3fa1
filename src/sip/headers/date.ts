/**
 * Date (RFC 3261 §20.17): `rfc1123-date = wkday "," SP date1 SP time SP "GMT"`. Only GMT is
 * allowed (RFC 4475 §3.1.2.12 baddate sends "EST").
 */
import { SipSyntaxError } from '../errors.js';
import type { SipMessage } from '../message.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// Anchored, fixed-width fields, no nested quantifiers: linear time on any input.
const RFC1123 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d\d) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d\d):(\d\d):(\d\d) GMT$/;

/** Milliseconds since the epoch of an RFC 1123 date in GMT; throws SipSyntaxError otherwise. */
export function parseSipDate(value: string): number {
  const m = RFC1123.exec(value.trim());
  if (!m) throw new SipSyntaxError('Date: not an RFC 1123 date in GMT');
  const [, , dd, mon, yyyy, hh, mi, ss] = m;
  const t = Date.UTC(Number(yyyy), MONTHS.indexOf(mon!), Number(dd), Number(hh), Number(mi), Number(ss));
  if (Number(dd) < 1 || Number(dd) > 31 || Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 60) {
    throw new SipSyntaxError('Date: field out of range');
  }
  return t;
}

export function formatSipDate(ms: number): string {
  return new Date(ms).toUTCString();
}

function parseFirst(values: string[]): number | undefined {
  return values.length === 0 ? undefined : parseSipDate(values[0]!);
}

/** The Date header as epoch milliseconds, or undefined when absent. */
export function date(m: SipMessage): number | undefined {
  return m.headers.typed('date', parseFirst);
}
