/**
 * Picking and checking the Digest credentials of a request (RFC 3261 §22.2, §22.3;
 * RFC 7616 §3.4; RFC 8760 §2.4).
 *
 * A request may carry several Authorization (or Proxy-Authorization) fields, one per realm or
 * scheme. The ones for another scheme (RFC 4475 §3.3.7 regaut01), another realm, an algorithm
 * outside `offered` (the authenticator passes every algorithm it can offer to some device and
 * checks afterwards that this username was offered this one), or a userhash (RFC 7616 §3.4.4,
 * never offered here) are not for us: they are skipped, and a request with nothing else is
 * simply challenged. Credentials that are for us but lack a parameter the challenge asked for
 * are `malformed`.
 */
import type { AuthParams } from '../headers/auth.js';
import { baseAlgorithm, digestAlgorithm, type DigestAlgorithm } from './digest-algorithm.js';

/** Credentials addressed to this server, every parameter present and well formed. */
export interface DigestCredentials {
  username: string;
  algorithm: DigestAlgorithm;
  nonce: string;
  uri: string;
  /** Lower-case hex, length checked against the algorithm. */
  response: string;
  cnonce: string;
  /** The nc parameter as sent (8 hex digits) and its value. */
  ncText: string;
  nc: number;
}

export type CredentialsPick =
  | { kind: 'none' }
  | { kind: 'malformed'; username: string | undefined; why: string }
  | { kind: 'ok'; credentials: DigestCredentials };

const NONE: CredentialsPick = { kind: 'none' };

export function pickCredentials(all: readonly AuthParams[], realm: string, offered: ReadonlySet<string>): CredentialsPick {
  for (const c of all) {
    if (c.scheme.toLowerCase() !== 'digest') continue;
    const p = c.params;
    if (p.get('realm') !== realm) continue;
    const info = digestAlgorithm(p.get('algorithm'));
    if (!info || !offered.has(baseAlgorithm(info.name))) continue;
    if (p.get('userhash')?.toLowerCase() === 'true') continue;
    return checkParams(p, info.name, info.hexLength);
  }
  return NONE;
}

function checkParams(p: Map<string, string>, algorithm: DigestAlgorithm, hexLength: number): CredentialsPick {
  const username = p.get('username');
  const malformed = (why: string): CredentialsPick => ({ kind: 'malformed', username, why });
  if (username === undefined || username === '') return malformed('no username');
  const nonce = p.get('nonce');
  const uri = p.get('uri');
  const response = p.get('response')?.toLowerCase();
  const cnonce = p.get('cnonce');
  const ncText = p.get('nc');
  if (nonce === undefined || uri === undefined || response === undefined) return malformed('nonce, uri or response missing');
  // RFC 7616 §3.4: qop is mandatory when the challenge offered it, which ours always does;
  // the RFC 2069 form without qop has no nonce count and so no replay protection.
  if (p.get('qop')?.toLowerCase() !== 'auth') return malformed('qop must be auth');
  if (cnonce === undefined || cnonce === '' || ncText === undefined) return malformed('cnonce or nc missing');
  if (!isHex(ncText, 8)) return malformed('nc must be 8 hex digits');
  if (!isHex(response, hexLength)) return malformed('response is not a digest');
  const nc = parseInt(ncText, 16);
  if (nc === 0) return malformed('nc must start at 1');
  return { kind: 'ok', credentials: { username, algorithm, nonce, uri, response, cnonce, ncText, nc } };
}

function isHex(s: string, length: number): boolean {
  if (s.length !== length) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}
