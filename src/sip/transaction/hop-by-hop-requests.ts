/**
 * The two requests the transaction layer builds itself, both hop-by-hop and both sharing
 * the branch of the INVITE they belong to:
 *
 * - ACK for a non-2xx final response (RFC 3261 §17.1.1.3): Request-URI, Call-ID, From and
 *   CSeq number of the INVITE, CSeq method ACK, To of the response (it carries the tag), a
 *   single Via equal to the INVITE's top Via, and the INVITE's Route header fields.
 * - CANCEL (RFC 3261 §9.1): Request-URI, Call-ID, To, From (tags included) and CSeq number of
 *   the INVITE, CSeq method CANCEL, a single Via equal to the INVITE's top Via, the INVITE's
 *   Route header fields, and optionally a Reason (RFC 3326).
 *
 * Field values are copied byte for byte, which is what the next hop compares.
 */
import { cseq } from '../headers/cseq.js';
import { formatVia, parseVia } from '../headers/via.js';
import { HeaderList, SipRequest, type SipResponse } from '../message.js';

/** The top via-parm as written (one Via field may hold several, comma-separated). */
export function topViaValue(req: SipRequest): string {
  const first = req.headers.get('via');
  if (first === undefined) throw new Error('request has no Via');
  if (first.indexOf(',') < 0) return first;
  const parsed = parseVia(first);
  return parsed.length === 1 ? first : formatVia(parsed[0]!);
}

function hopByHop(invite: SipRequest, method: 'ACK' | 'CANCEL', toValue: string): SipRequest {
  const src = invite.headers;
  const h = new HeaderList();
  h.append('Via', topViaValue(invite));
  for (const route of src.getAll('route')) h.append('Route', route);
  h.append('Max-Forwards', src.get('max-forwards') ?? '70');
  h.append('From', src.get('from')!);
  h.append('To', toValue);
  h.append('Call-ID', src.get('call-id')!);
  h.append('CSeq', `${cseq(invite).seq} ${method}`);
  return new SipRequest(method, invite.uri, h);
}

/** RFC 3261 §17.1.1.3: the ACK the INVITE client transaction sends for a 300-699 response. */
export function ackForNon2xx(invite: SipRequest, response: SipResponse): SipRequest {
  const toValue = response.headers.get('to') ?? invite.headers.get('to')!;
  return hopByHop(invite, 'ACK', toValue);
}

/** RFC 3261 §9.1: the CANCEL for a pending INVITE; `reason` is a Reason header value (RFC 3326). */
export function cancelRequest(invite: SipRequest, reason?: string): SipRequest {
  const req = hopByHop(invite, 'CANCEL', invite.headers.get('to')!);
  if (reason !== undefined) req.headers.append('Reason', reason);
  return req;
}
