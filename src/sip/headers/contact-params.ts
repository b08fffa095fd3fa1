/**
 * Contact header parameters a registrar acts on (RFC 3261 §20.10, §10.3):
 *
 *   c-p-q       = "q" EQUAL qvalue
 *   qvalue      = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
 *   c-p-expires = "expires" EQUAL delta-seconds
 *
 * and the instance id of RFC 5626 §4.1 (`+sip.instance="<urn:...>"`).
 */
import { SipSyntaxError } from '../errors.js';
import { parseDeltaSeconds } from './expires.js';
import { unquote } from './grammar.js';
import type { NameAddr } from './name-addr.js';

/** The Contact's expires parameter in seconds (clamped to 2**32-1), or undefined when absent. */
export function contactExpires(c: NameAddr): number | undefined {
  const v = c.params.get('expires');
  if (v === undefined) return undefined;
  if (v === null) throw new SipSyntaxError('Contact: expires needs a value');
  return parseDeltaSeconds(v);
}

const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** The Contact's q parameter as a number 0..1, or undefined when absent. */
export function contactQ(c: NameAddr): number | undefined {
  const v = c.params.get('q');
  if (v === undefined) return undefined;
  if (v === null || !QVALUE.test(v)) throw new SipSyntaxError('Contact: q is not a qvalue');
  return Number(v);
}

/** The RFC 5626 +sip.instance value without its quotes (e.g. "<urn:uuid:...>"), or undefined. */
export function contactInstance(c: NameAddr): string | undefined {
  const v = c.params.get('+sip.instance');
  return v === undefined || v === null ? undefined : unquote(v);
}

/** The RFC 5626 reg-id, or undefined. */
export function contactRegId(c: NameAddr): number | undefined {
  const v = c.params.get('reg-id');
  if (v === undefined) return undefined;
  if (v === null || !/^[1-9]\d{0,9}$/.test(v) || Number(v) > 0xffffffff) throw new SipSyntaxError('Contact: bad reg-id');
  return Number(v);
}
