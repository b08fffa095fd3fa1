/**
 * CSeq (RFC 3261 §20.16): `CSeq = 1*DIGIT LWS Method`.
 *
 * The number must fit in 32 bits unsigned (§8.1.1.5; RFC 4475 §3.1.2.4 scalar02 and §3.1.2.5
 * scalarlg send 2**65 and more); it is parsed with bounded work whatever its length.
 */
import { SipSyntaxError } from '../errors.js';
import type { SipMessage } from '../message.js';
import { DIGIT, parseBoundedInt, Scanner, expectEnd } from './grammar.js';

export interface CSeq {
  seq: number;
  method: string;
}

export const CSEQ_MAX = 0xffffffff;

export function parseCSeq(value: string): CSeq {
  const sc = new Scanner(value, 'CSeq');
  sc.skipWs();
  const digits = sc.need(DIGIT, 'a sequence number');
  const seq = parseBoundedInt(digits, CSEQ_MAX, 'CSeq', 10);
  const before = sc.pos;
  sc.skipWs();
  if (sc.pos === before) sc.fail('expected LWS before the method');
  const method = sc.token();
  expectEnd(sc);
  return { seq, method };
}

function parseFirst(values: string[]): CSeq {
  if (values.length === 0) throw new SipSyntaxError('missing CSeq');
  return parseCSeq(values[0]!);
}

/** The CSeq of a message (the first one when a broken peer sent several; see request-checks). */
export function cseq(m: SipMessage): CSeq {
  return m.headers.typed('cseq', parseFirst);
}

export function formatCSeq(c: CSeq): string {
  return `${c.seq} ${c.method}`;
}
