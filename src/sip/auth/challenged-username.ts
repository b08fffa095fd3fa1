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
    const uri = (req.method === 'REGISTER' ? to(req) : from(req)).uri;
    return plainUser(uri) ?? userOf(uri);
  } catch {
    return undefined;
  }
}

/**
 * The usual form, read without a full parse (every unauthenticated REGISTER passes here):
 * `sip:` or `sips:`, a user of letters, digits, `-`, `.`, `_` only (nothing to unescape, no
 * password), `@`, then something. Undefined for anything else, which goes through parseUri.
 */
function plainUser(uri: string): string | undefined {
  const start = uri.charCodeAt(3) === 58 /* : */ ? 4 : uri.charCodeAt(4) === 58 ? 5 : 0;
  if (start === 0 || !/^sips?:/i.test(uri)) return undefined;
  for (let i = start; i < uri.length; i++) {
    const c = uri.charCodeAt(i);
    if (c === 64 /* @ */) return i > start && i + 1 < uri.length ? uri.slice(start, i) : undefined;
    const plain = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 46 || c === 95;
    if (!plain) return undefined;
  }
  return undefined;
}

function userOf(uri: string): string | undefined {
  const u = parseUri(uri);
  return u.scheme === 'tel' ? undefined : u.user;
}
