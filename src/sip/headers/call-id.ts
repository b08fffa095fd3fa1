/**
 * Call-ID (RFC 3261 §20.8): `callid = word [ "@" word ]`. Compared byte for byte (§8.1.1.4).
 */
import { SipSyntaxError } from '../errors.js';
import type { SipMessage } from '../message.js';
import { inClass, WORD } from './grammar.js';

/** Throws unless `value` is `word [ "@" word ]` (surrounding whitespace already trimmed). */
export function validateCallId(value: string): string {
  const at = value.indexOf('@');
  const end = value.length;
  if (end === 0 || at === 0 || at === end - 1) throw new SipSyntaxError('Call-ID: empty word');
  for (let i = 0; i < end; i++) {
    if (i === at) continue;
    if (!inClass(WORD, value.charCodeAt(i))) throw new SipSyntaxError('Call-ID: character not allowed in a word');
  }
  return value;
}

function parseFirst(values: string[]): string {
  if (values.length === 0) throw new SipSyntaxError('missing Call-ID');
  return validateCallId(values[0]!);
}

/** The Call-ID of a message; throws SipSyntaxError when missing or malformed. */
export function callId(m: SipMessage): string {
  return m.headers.typed('call-id', parseFirst);
}
