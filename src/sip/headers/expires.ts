/**
 * Expires (RFC 3261 §20.19) and the Contact `expires` parameter (§20.10): delta-seconds,
 * 0 to 2**32-1. Larger values are clamped to 2**32-1 (a registrar shortens them anyway,
 * §10.3 step 7) and parsed with bounded work (RFC 4475 §3.1.2.4 scalar02 sends a 100-digit
 * Expires); anything but digits is a syntax error.
 */
import { SipSyntaxError } from '../errors.js';
import type { SipMessage } from '../message.js';
import { isDigits } from './grammar.js';

export const MAX_DELTA_SECONDS = 0xffffffff;

export function parseDeltaSeconds(value: string): number {
  const v = value.trim();
  if (!isDigits(v)) throw new SipSyntaxError('delta-seconds: not a number');
  let i = 0;
  while (i < v.length - 1 && v.charCodeAt(i) === 48) i++;
  if (v.length - i > 10) return MAX_DELTA_SECONDS;
  return Math.min(Number(v.slice(i)), MAX_DELTA_SECONDS);
}

function parseFirst(values: string[]): number | undefined {
  return values.length === 0 ? undefined : parseDeltaSeconds(values[0]!);
}

/** The Expires header in seconds, or undefined when absent; throws SipSyntaxError when malformed. */
export function expires(m: SipMessage): number | undefined {
  return m.headers.typed('expires', parseFirst);
}

/** Min-Expires (RFC 3261 §20.23). */
export function minExpires(m: SipMessage): number | undefined {
  return m.headers.typed('min-expires', parseFirst);
}
