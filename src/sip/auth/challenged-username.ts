/**
 * Whom an unauthenticated request claims to be, so that its challenge can offer the Digest
 * algorithms of that device (a per-device override, see digest-authenticator.ts). Only a
 * hint for choosing the challenge: nothing is granted on it, the credentials that come back
 * are checked against their own username.
 *
 * - REGISTER: the To user. RFC 3261 §10.2: To holds the address-of-record being registered,
 *   whose user part here is the device extension (the registrar refuses any other, §10.3
 *   steps 4-5).
 * - Any other request (INVITE, MESSAGE ... answered 407, RFC 3261 §22.3): the From user, the
 *   device that sends it.
 *
 * Undefined when the header or its URI is malformed, or the URI has no user (tel:, a host
 * only): the request is then challenged with the configured default.
 */
import { from, to } from '../headers/name-addr.js';
import type { SipRequest } from '../message.js';
import { parseUri } from '../uri.js';

export function challengedUsername(req: SipRequest): string | undefined {
  try {
    const uri = parseUri((req.method === 'REGISTER' ? to(req) : from(req)).uri);
    return uri.scheme === 'tel' ? undefined : uri.user;
  } catch {
    return undefined;
  }
}
