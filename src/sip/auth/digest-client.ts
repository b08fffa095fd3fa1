/**
 * The UAC side of Digest (RFC 3261 §22.2, §22.3; RFC 7616 §3.4; RFC 8760): turn a
 * WWW-Authenticate / Proxy-Authenticate challenge into Authorization / Proxy-Authorization
 * credentials. Used by tests, the REGISTER benchmark and, later, SIP trunks.
 */
import { randomBytes } from 'node:crypto';
import { formatCredentials, parseAuthHeader, type AuthParams } from '../headers/auth.js';
import { computeDigestResponse, digestAlgorithm, formatNonceCount, type DigestAlgorithm } from './digest-algorithm.js';

export interface ChallengeAnswer {
  username: string;
  password: string;
  method: string;
  /** The Request-URI of the request being authorized (RFC 3261 §22.4). */
  uri: string;
  /** Client nonce; a random one when absent (RFC 7616 §3.4: chosen by the client). */
  cnonce?: string;
  /** How many requests this client has sent with this nonce, this one included; default 1. */
  nc?: number;
}

/**
 * Authorization value answering one challenge (a parsed one, or the header value). Uses
 * qop=auth when the challenge offers it and the RFC 2069 form when it offers no qop at all;
 * throws when the challenge is not Digest, names an algorithm this stack cannot compute, or
 * offers only qop values other than auth.
 */
export function answerChallenge(challenge: AuthParams | string, answer: ChallengeAnswer): string {
  const c = typeof challenge === 'string' ? parseAuthHeader(challenge) : challenge;
  if (c.scheme.toLowerCase() !== 'digest') throw new Error(`cannot answer a ${c.scheme} challenge`);
  const p = c.params;
  const info = digestAlgorithm(p.get('algorithm'));
  if (!info) throw new Error(`unsupported digest algorithm ${p.get('algorithm')}`);
  const realm = p.get('realm') ?? '';
  const nonce = p.get('nonce');
  if (nonce === undefined) throw new Error('challenge without nonce');
  const qopOffer = p.get('qop');
  const qops = qopOffer === undefined ? [] : qopOffer.split(',').map((q) => q.trim().toLowerCase());
  if (qopOffer !== undefined && !qops.includes('auth')) throw new Error(`challenge offers qop ${qopOffer} but not auth`);
  const useQop = qops.includes('auth');
  const cnonce = answer.cnonce ?? randomBytes(12).toString('base64url');
  const nc = formatNonceCount(answer.nc ?? 1);
  const response = computeDigestResponse({
    algorithm: info.name,
    username: answer.username,
    realm,
    password: answer.password,
    method: answer.method,
    uri: answer.uri,
    nonce,
    ...(useQop ? { qop: 'auth' as const, cnonce, nc } : info.session ? { cnonce } : {}),
  });
  const params: Array<[string, string]> = [
    ['username', answer.username],
    ['realm', realm],
    ['nonce', nonce],
    ['uri', answer.uri],
    ['response', response],
    ['algorithm', info.name],
  ];
  if (useQop) params.push(['qop', 'auth'], ['nc', nc], ['cnonce', cnonce]);
  else if (info.session) params.push(['cnonce', cnonce]);
  const opaque = p.get('opaque');
  if (opaque !== undefined) params.push(['opaque', opaque]);
  return formatCredentials('Digest', params);
}

/**
 * The challenge a client answers out of several (RFC 8760 §2.4: a UAS may send one per
 * algorithm): the first whose algorithm is in `preference`, taken in preference order.
 */
export function pickChallenge(
  challenges: readonly AuthParams[],
  preference: readonly DigestAlgorithm[] = ['SHA-256', 'MD5'],
): AuthParams | undefined {
  for (const want of preference) {
    const hit = challenges.find((c) => c.scheme.toLowerCase() === 'digest' && digestAlgorithm(c.params.get('algorithm'))?.name === want);
    if (hit) return hit;
  }
  return undefined;
}
