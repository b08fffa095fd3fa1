/**
 * What a REFER asks (RFC 3515 §2.1, §2.4.1), read before anything is done:
 *
 *   Refer-To missing or more than one ....... 400 (RFC 3515 §2.4.1)
 *   Refer-To of a scheme we do not route .... 416 (RFC 3261 §21.4.14); malformed: 400
 *   Refer-To naming a method other than INVITE (its `method` parameter, RFC 3261 §19.1.1): 501
 *   Refer-To with a Replaces URI header ..... attended transfer (RFC 3891 §7.1); malformed: 400
 *   otherwise ............................... blind transfer to the URI's number
 *   Refer-Sub: false ......................... no implicit subscription (RFC 4488 §4)
 *
 * The number is the user part of a SIP URI or the number of a tel URI, routed like a
 * dialled number (an unknown one is refused later, in the NOTIFY: RFC 3515 §2.4.4).
 */
import { cseq } from '../../../sip/headers/cseq.js';
import { referTo } from '../../../sip/headers/name-addr.js';
import type { SipRequest } from '../../../sip/message.js';
import { parseUri, type Uri } from '../../../sip/uri.js';
import { parseReplaces, ReplacesError, type ReplacesTarget } from './replaces.js';

export interface ReferAsked {
  kind: 'refer';
  /** The Refer-To URI as written. */
  uri: string;
  /** The number to route (blind transfer); '' when the URI has none. */
  number: string;
  /** Attended transfer: the dialog the referrer's Replaces names. */
  replaces: ReplacesTarget | undefined;
  /** False when the referrer asked for no NOTIFYs (RFC 4488 §4). */
  subscribe: boolean;
  /** CSeq number of the REFER: the `id` of its NOTIFYs (RFC 3515 §2.4.6). */
  id: number;
}

export interface ReferRefused {
  kind: 'refused';
  status: number;
  reason: string;
}

export function readRefer(req: SipRequest): ReferAsked | ReferRefused {
  const refused = (status: number, reason: string): ReferRefused => ({ kind: 'refused', status, reason });
  if (req.headers.count('refer-to') !== 1) return refused(400, 'Exactly one Refer-To is required');
  let uri: Uri;
  let written: string;
  try {
    written = referTo(req)!.uri;
    uri = parseUri(written);
  } catch (err) {
    const status = (err as { status?: number }).status;
    return status === 416 ? refused(416, 'Unsupported URI Scheme') : refused(400, 'Malformed Refer-To');
  }
  const method = uri.params.get('method');
  if (method && method.toUpperCase() !== 'INVITE') return refused(501, `Refer-To method ${method} not supported`);
  let replaces: ReplacesTarget | undefined;
  if (uri.scheme !== 'tel') {
    const value = [...uri.headers].find(([name]) => name.toLowerCase() === 'replaces')?.[1];
    try {
      replaces = value === undefined ? undefined : parseReplaces(value);
    } catch (err) {
      if (!(err instanceof ReplacesError)) throw err;
      return refused(400, 'Malformed Replaces in Refer-To');
    }
  }
  return {
    kind: 'refer',
    uri: written,
    number: uri.scheme === 'tel' ? uri.number : (uri.user ?? ''),
    replaces,
    subscribe: req.headers.get('refer-sub')?.trim().toLowerCase() !== 'false',
    id: cseq(req).seq,
  };
}
