/**
 * The SDP a SIP message carries (RFC 3261 §13.2.1, RFC 3264): a body of type
 * application/sdp. An empty body is no SDP; a body of another type is no SDP either (the
 * RFC 3261 §8.2.3 check has already refused types we do not accept); a malformed SDP
 * body throws SdpError(400).
 */
import { contentType } from '../../sip/headers/content-type.js';
import type { SipMessage } from '../../sip/message.js';
import { parseSdp, type SessionDescription } from '../../rtp/sdp/index.js';

export const SDP_TYPE = 'application/sdp';

export function hasSdp(m: SipMessage): boolean {
  if (m.body.length === 0) return false;
  try {
    const t = contentType(m);
    return t === undefined || (t.type === 'application' && t.subtype === 'sdp');
  } catch {
    return false;
  }
}

/** The message's session description, or undefined when it carries none. */
export function sdpOf(m: SipMessage): SessionDescription | undefined {
  return hasSdp(m) ? parseSdp(m.body) : undefined;
}
