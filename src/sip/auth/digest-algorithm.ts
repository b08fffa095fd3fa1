/**
 * The Digest computation of RFC 7616 §3.4.1-§3.4.3, as SIP uses it (RFC 3261 §22.4, RFC 8760):
 *
 *   A1       = username ":" realm ":" password
 *   A1 (-sess) = H(username ":" realm ":" password) ":" nonce ":" cnonce
 *   A2       = method ":" uri                       (qop=auth; auth-int is never offered here)
 *   response = H( H(A1) ":" nonce ":" nc ":" cnonce ":" qop ":" H(A2) )   with qop
 *   response = H( H(A1) ":" nonce ":" H(A2) )                             without qop (RFC 2069)
 *
 * H is MD5 or SHA-256 (RFC 8760 §2.1), written as lower-case hex. The same function serves the
 * server (verifying with the stored secret) and the client helper (answering a challenge).
 */
import * as crypto from 'node:crypto';

/** The algorithms of RFC 8760 §2.1 that this stack computes. */
export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

export interface AlgorithmInfo {
  name: DigestAlgorithm;
  /** node:crypto hash name. */
  hash: 'md5' | 'sha256';
  /** RFC 7616 §3.4.2: the -sess variants hash the nonce and cnonce into A1. */
  session: boolean;
  /** Length of a response in hex characters. */
  hexLength: number;
}

const ALGORITHMS: Record<string, AlgorithmInfo> = {
  md5: { name: 'MD5', hash: 'md5', session: false, hexLength: 32 },
  'md5-sess': { name: 'MD5-sess', hash: 'md5', session: true, hexLength: 32 },
  'sha-256': { name: 'SHA-256', hash: 'sha256', session: false, hexLength: 64 },
  'sha-256-sess': { name: 'SHA-256-sess', hash: 'sha256', session: true, hexLength: 64 },
};

/**
 * The algorithm named by an `algorithm` parameter (compared case-insensitively, RFC 7616 §3.3);
 * absent means MD5 (RFC 7616 §3.4). Undefined for an algorithm this stack does not compute.
 */
export function digestAlgorithm(name: string | undefined): AlgorithmInfo | undefined {
  if (name === undefined) return ALGORITHMS.md5;
  return ALGORITHMS[name.toLowerCase()];
}

/** The plain algorithm a -sess variant is built on (MD5-sess -> MD5). */
export function baseAlgorithm(a: DigestAlgorithm): 'MD5' | 'SHA-256' {
  return a === 'MD5' || a === 'MD5-sess' ? 'MD5' : 'SHA-256';
}

/** One-shot hashing (crypto.hash, node >= 20.12) is about twice as fast as createHash. */
const oneShot = (crypto as { hash?: (alg: string, data: string, enc: 'hex') => string }).hash;

export function hexDigest(hash: 'md5' | 'sha256', text: string): string {
  return oneShot ? oneShot(hash, text, 'hex') : crypto.createHash(hash).update(text, 'utf8').digest('hex');
}

/** H(A1) of RFC 7616 §3.4.2 for the plain algorithms: H(username ":" realm ":" password). */
export function digestHa1(hash: 'md5' | 'sha256', username: string, realm: string, password: string): string {
  return hexDigest(hash, `${username}:${realm}:${password}`);
}

/** H(A1) of a -sess algorithm from the plain H(A1) (RFC 7616 §3.4.2). */
export function sessionHa1(hash: 'md5' | 'sha256', ha1: string, nonce: string, cnonce: string): string {
  return hexDigest(hash, `${ha1}:${nonce}:${cnonce}`);
}

/** H(A2) for qop=auth or no qop (RFC 7616 §3.4.3): H(method ":" uri). */
export function digestHa2(hash: 'md5' | 'sha256', method: string, uri: string): string {
  return hexDigest(hash, `${method}:${uri}`);
}

/** The response from H(A1) and H(A2) (RFC 7616 §3.4.1), with qop=auth. */
export function qopAuthResponse(hash: 'md5' | 'sha256', ha1: string, nonce: string, nc: string, cnonce: string, ha2: string): string {
  return hexDigest(hash, `${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
}

export interface DigestInput {
  /** Default MD5 (RFC 7616 §3.4). */
  algorithm?: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  /** The `uri` parameter: the Request-URI as the client wrote it (RFC 3261 §22.4). */
  uri: string;
  nonce: string;
  /** `auth` (the only qop this stack speaks), or absent for the RFC 2069 form. */
  qop?: 'auth';
  /** Required with qop and with the -sess algorithms. */
  cnonce?: string;
  /** Nonce count as 8 hex digits (RFC 7616 §3.4: nc=00000001); required with qop. */
  nc?: string;
}

/** The `response` parameter of RFC 7616 §3.4.1, lower-case hex. */
export function computeDigestResponse(input: DigestInput): string {
  const info = digestAlgorithm(input.algorithm)!;
  if (input.qop !== undefined && (input.cnonce === undefined || input.nc === undefined)) {
    throw new Error('qop=auth needs cnonce and nc');
  }
  if (info.session && input.cnonce === undefined) throw new Error(`${info.name} needs a cnonce`);
  let ha1 = digestHa1(info.hash, input.username, input.realm, input.password);
  if (info.session) ha1 = sessionHa1(info.hash, ha1, input.nonce, input.cnonce!);
  const ha2 = digestHa2(info.hash, input.method, input.uri);
  const middle = input.qop === undefined ? input.nonce : `${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}`;
  return hexDigest(info.hash, `${ha1}:${middle}:${ha2}`);
}

/** nc as RFC 7616 §3.4 writes it: exactly 8 lower-case hex digits. */
export function formatNonceCount(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 0xffffffff) throw new RangeError(`nonce count ${n} is not 1..2^32-1`);
  return n.toString(16).padStart(8, '0');
}
