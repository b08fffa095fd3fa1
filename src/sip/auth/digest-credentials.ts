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
import { scanAuthValue } from '../headers/auth.js';
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

/**
 * The Authorization (or Proxy-Authorization) field values of a request, every one read
 * (a malformed one anywhere throws SipSyntaxError), then the first that is for us checked.
 */
export function pickCredentials(values: readonly string[], realm: string, offered: ReadonlySet<string>): CredentialsPick {
  const all = values.length === 1 ? [readFields(values[0]!)] : values.map(readFields);
  for (const c of all) {
    if (c.scheme.toLowerCase() !== 'digest') continue;
    if (c.realm !== realm) continue;
    const info = digestAlgorithm(c.algorithm);
    if (!info || !offered.has(baseAlgorithm(info.name))) continue;
    if (c.userhash?.toLowerCase() === 'true') continue;
    return checkParams(c, info.name, info.hexLength);
  }
  return NONE;
}

/**
 * The parameters of one credentials value that picking and checking read (RFC 7616 §3.4),
 * in plain fields: the auth grammar is scanned once, without a Map of every parameter.
 * Other parameters are only remembered by name, to refuse a repeated one.
 */
class CredentialFields {
  scheme = '';
  username: string | undefined = undefined;
  realm: string | undefined = undefined;
  nonce: string | undefined = undefined;
  uri: string | undefined = undefined;
  response: string | undefined = undefined;
  algorithm: string | undefined = undefined;
  cnonce: string | undefined = undefined;
  nc: string | undefined = undefined;
  qop: string | undefined = undefined;
  userhash: string | undefined = undefined;
  private others: string[] | undefined = undefined;

  /** Stores one parameter; false when it was there already. */
  set(name: string, value: string): boolean {
    switch (name) {
      case 'username': return this.username === undefined && ((this.username = value), true);
      case 'realm': return this.realm === undefined && ((this.realm = value), true);
      case 'nonce': return this.nonce === undefined && ((this.nonce = value), true);
      case 'uri': return this.uri === undefined && ((this.uri = value), true);
      case 'response': return this.response === undefined && ((this.response = value), true);
      case 'algorithm': return this.algorithm === undefined && ((this.algorithm = value), true);
      case 'cnonce': return this.cnonce === undefined && ((this.cnonce = value), true);
      case 'nc': return this.nc === undefined && ((this.nc = value), true);
      case 'qop': return this.qop === undefined && ((this.qop = value), true);
      case 'userhash': return this.userhash === undefined && ((this.userhash = value), true);
    }
    if (this.others?.includes(name)) return false;
    (this.others ??= []).push(name);
    return true;
  }
}

function readFields(value: string): CredentialFields {
  const c = new CredentialFields();
  c.scheme = scanAuthValue(value, (name, v) => c.set(name, v)).scheme;
  return c;
}

function checkParams(p: CredentialFields, algorithm: DigestAlgorithm, hexLength: number): CredentialsPick {
  const username = p.username;
  if (username === undefined || username === '') return malformed(username, 'no username');
  const nonce = p.nonce;
  const uri = p.uri;
  const response = p.response?.toLowerCase();
  const cnonce = p.cnonce;
  const ncText = p.nc;
  if (nonce === undefined || uri === undefined || response === undefined) return malformed(username, 'nonce, uri or response missing');
  // RFC 7616 §3.4: qop is mandatory when the challenge offered it, which ours always does;
  // the RFC 2069 form without qop has no nonce count and so no replay protection.
  if (p.qop?.toLowerCase() !== 'auth') return malformed(username, 'qop must be auth');
  if (cnonce === undefined || cnonce === '' || ncText === undefined) return malformed(username, 'cnonce or nc missing');
  if (!isHex(ncText, 8)) return malformed(username, 'nc must be 8 hex digits');
  if (!isHex(response, hexLength)) return malformed(username, 'response is not a digest');
  const nc = parseInt(ncText, 16);
  if (nc === 0) return malformed(username, 'nc must start at 1');
  return { kind: 'ok', credentials: { username, algorithm, nonce, uri, response, cnonce, ncText, nc } };
}

function malformed(username: string | undefined, why: string): CredentialsPick {
  return { kind: 'malformed', username, why };
}

function isHex(s: string, length: number): boolean {
  if (s.length !== length) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}
