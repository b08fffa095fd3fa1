/**
 * Transaction identifiers used for matching (RFC 3261 §17.1.3, §17.2.3).
 *
 * Client side (§17.1.3): a response matches the client transaction whose request had the
 * same top Via branch and the same CSeq method (the method tells an INVITE from the CANCEL
 * that shares its branch).
 *
 * Server side (§17.2.3), for branches that start with the magic cookie: the branch, the
 * sent-by of the top Via and the method, where an ACK matches the INVITE it acknowledges and
 * a CANCEL has its own transaction. sent-by is compared as host (case-insensitively) and port
 * as written: retransmissions are copies of the original.
 */
import type { Via } from '../headers/via.js';

export function clientKey(branch: string, method: string): string {
  return `c ${method} ${branch}`;
}

/**
 * The key is joined into one flat string: a template literal would make a rope whose leaves
 * are slices of the received message's text, and a key kept for Timer J's 32 s would keep
 * that whole text alive with it.
 */
export function serverKey(branch: string, via: Via, method: string): string {
  const m = method === 'ACK' ? 'INVITE' : method;
  const host = via.host.toLowerCase();
  return [SERVER_PREFIX, m, branch, via.port === undefined ? host : `${host}:${via.port}`].join(' ');
}

const SERVER_PREFIX = 's';

/** The branch part of a server key, sliced from the key (so it keeps nothing else alive). */
export function serverKeyBranch(key: string): string {
  const start = key.indexOf(' ', SERVER_PREFIX.length + 1) + 1;
  return key.slice(start, key.indexOf(' ', start));
}
