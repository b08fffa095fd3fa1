/**
 * Content-Length (RFC 3261 §20.14): `1*DIGIT`, octets in the body. A negative or
 * non-numeric value is a framing error (RFC 4475 §3.1.2.3 ncl); the bound keeps huge
 * digit strings from costing more than a length check.
 */
import type { SipMessage } from '../message.js';
import { parseBoundedInt } from './grammar.js';

/** Largest body this stack accepts a length for (well above any datagram or framed message). */
export const MAX_CONTENT_LENGTH = 0x7fffffff;

export function parseContentLength(value: string): number {
  return parseBoundedInt(value.trim(), MAX_CONTENT_LENGTH, 'Content-Length', 10);
}

function parseFirst(values: string[]): number | undefined {
  return values.length === 0 ? undefined : parseContentLength(values[0]!);
}

/** The Content-Length as received; undefined when absent. The serializer always writes the body's real length. */
export function contentLength(m: SipMessage): number | undefined {
  return m.headers.typed('content-length', parseFirst);
}
