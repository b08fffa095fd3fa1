/**
 * The body of a NOTIFY for the refer event (RFC 3515 §2.4.5): a message/sipfrag (RFC 3420)
 * holding at least the status line of the response the REFER's request got, e.g.
 * `SIP/2.0 180 Ringing`. We send exactly that line, CRLF-terminated (RFC 3420 §2: a
 * start-line alone is a valid fragment).
 */
import { reasonPhrase } from '../../../sip/reason-phrases.js';

/** Content-Type of the NOTIFY body (RFC 3515 §2.4.5: version 2.0). */
export const SIPFRAG_TYPE = 'message/sipfrag;version=2.0';

export function sipfragStatus(status: number, reason: string = reasonPhrase(status)): string {
  return `SIP/2.0 ${status} ${reason.replace(/[\r\n]/g, ' ')}\r\n`;
}
