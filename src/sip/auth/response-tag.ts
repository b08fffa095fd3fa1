/**
 * The To tag for the responses of the REGISTER pipeline and the auth guard (RFC 3261
 * §8.2.6.2): the same value as statelessToTag in src/sip/response.ts (stable across
 * retransmissions, RFC 3261 §8.2.7), computed with one-shot hashing, which costs about a
 * third of createHash on the per-REGISTER path. Falls back to statelessToTag where
 * crypto.hash is missing (node < 20.12). Delete once response.ts hashes the same way.
 */
import * as crypto from 'node:crypto';
import type { SipRequest } from '../message.js';
import { statelessToTag } from '../response.js';

const oneShot = (crypto as { hash?: (alg: string, data: string, enc: 'hex') => string }).hash;

export function responseToTag(req: SipRequest): string {
  if (!oneShot) return statelessToTag(req);
  const h = req.headers;
  const key = `${h.get('call-id') ?? ''}\n${h.get('from') ?? ''}\n${h.get('via') ?? ''}\n${h.get('cseq') ?? ''}`;
  return oneShot('sha1', key, 'hex').slice(0, 16);
}
