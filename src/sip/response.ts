/**
 * Building a response to a request (RFC 3261 §8.2.6).
 *
 * §8.2.6.2: From, Call-ID, CSeq and every Via (in order) are copied; To is copied and gets
 * the UAS's tag when it has none (not for 100 Trying); §8.2.6.1: a 100 Trying copies
 * Timestamp. Field values are copied as received, byte for byte, which is what the
 * transaction and dialog matching of the peer compares.
 */
import { createHash } from 'node:crypto';
import { HeaderList, SipResponse, type SipRequest } from './message.js';
import { to } from './headers/name-addr.js';
import { reasonPhrase } from './reason-phrases.js';

export interface ResponseOptions {
  /** Tag added to To when the request's To has none (RFC 3261 §8.2.6.2). */
  toTag?: string;
  /** Copy Record-Route, as a UAS must in a dialog-creating response (RFC 3261 §12.1.1). */
  copyRecordRoute?: boolean;
}

export function createResponse(req: SipRequest, status: number, reason?: string, opts: ResponseOptions = {}): SipResponse {
  if (!Number.isInteger(status) || status < 100 || status > 699) throw new RangeError(`status ${status} is not 100-699`);
  const h = new HeaderList();
  const src = req.headers;
  const addTag = opts.toTag !== undefined && status !== 100 && !toHasTag(req);
  for (let i = 0; i < src.size; i++) {
    switch (src.keyAt(i)) {
      case 'via':
      case 'from':
      case 'call-id':
      case 'cseq':
        h.appendFieldOf(src, i);
        break;
      case 'to':
        h.appendFieldOf(src, i, addTag ? `${src.valueAt(i)};tag=${opts.toTag}` : src.valueAt(i));
        break;
      case 'timestamp':
        if (status === 100) h.appendFieldOf(src, i);
        break;
      case 'record-route':
        if (opts.copyRecordRoute) h.appendFieldOf(src, i);
        break;
    }
  }
  return new SipResponse(status, reason ?? reasonPhrase(status), h);
}

/** Whether the request's To already has a tag (a malformed To is treated as tagged: never add a second). */
function toHasTag(req: SipRequest): boolean {
  if (!req.headers.has('to')) return true;
  try {
    return to(req).tag !== undefined;
  } catch {
    return true;
  }
}

/**
 * A To tag that is the same for every retransmission of a request, for responses sent
 * without transaction state (RFC 3261 §8.2.7): derived from Call-ID, From tag, top Via
 * branch and CSeq as received.
 */
export function statelessToTag(req: SipRequest): string {
  const h = req.headers;
  const key = `${h.get('call-id') ?? ''}\n${h.get('from') ?? ''}\n${h.get('via') ?? ''}\n${h.get('cseq') ?? ''}`;
  return createHash('sha1').update(key).digest('hex').slice(0, 16);
}
