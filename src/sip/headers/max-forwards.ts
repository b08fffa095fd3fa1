/**
 * Max-Forwards (RFC 3261 §20.22): `1*DIGIT`, an integer 0-255 (RFC 4475 §3.1.2.4 scalar02
 * sends 300, which is rejected).
 */
import type { SipMessage } from '../message.js';
import { parseBoundedInt } from './grammar.js';

export function parseMaxForwards(value: string): number {
  return parseBoundedInt(value.trim(), 255, 'Max-Forwards', 3);
}

function parseFirst(values: string[]): number | undefined {
  return values.length === 0 ? undefined : parseMaxForwards(values[0]!);
}

/** The Max-Forwards value, or undefined when absent (RFC 2543 peers, RFC 4475 §3.4.1 inv2543). */
export function maxForwards(m: SipMessage): number | undefined {
  return m.headers.typed('max-forwards', parseFirst);
}
