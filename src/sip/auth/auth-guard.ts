/**
 * The authentication step in front of any request handler: throttle check, then Digest, then
 * the response for every outcome but success. REGISTER uses it with Authorization (401,
 * RFC 3261 §22.2); INVITE and the other requests of a calling device use it with
 * Proxy-Authorization (407, §22.3). Both share one authenticator (nonces, counts) and one
 * throttle, so guesses spread over methods still add up.
 *
 *   blocked source ............. 403 "Too many failed authentications", no digest work
 *   no credentials for us ...... 401/407 with one challenge per algorithm offered to the
 *                                device the request claims to be (or the configured ones)
 *   stale nonce ................ 401/407 with stale=true (no failure)
 *   wrong credentials .......... failure counted; 401/407 with a fresh challenge, 400 for a
 *                                malformed one or a foreign digest-uri, 403 when this failure
 *                                blocked the source
 *   disabled device ............ 403 "Device disabled" (after a correct response only)
 */
import type { SipRequest, SipResponse } from '../message.js';
import { createResponse } from '../response.js';
import { responseToTag } from './response-tag.js';
import type { AuthEvent } from './auth-events.js';
import type { BruteForceThrottle } from './brute-force-throttle.js';
import type { AuthHeader, DigestAuthenticator } from './digest-authenticator.js';

export type GuardResult =
  | { ok: true; username: string; events: AuthEvent[] }
  | { ok: false; response: SipResponse; events: AuthEvent[] };

export const BLOCKED_REASON = 'Too many failed authentications';
export const DISABLED_REASON = 'Device disabled';

export class AuthGuard {
  constructor(
    readonly authenticator: DigestAuthenticator,
    readonly throttle: BruteForceThrottle,
  ) {}

  /** `source`: the address the request came from (flow.remoteAddress). */
  check(req: SipRequest, source: string, now: number, header: AuthHeader = 'Authorization'): GuardResult {
    const events: AuthEvent[] = [];
    if (this.throttle.blockedUntil(source, now, events) !== undefined) {
      return { ok: false, response: refuse(req, 403, BLOCKED_REASON), events };
    }
    const outcome = this.authenticator.authenticate(req, { header, now });
    switch (outcome.kind) {
      case 'authenticated':
        return { ok: true, username: outcome.username, events };
      case 'challenge': {
        const response = this.authenticator.challenge(req, { header, stale: outcome.stale, now, algorithms: outcome.algorithms });
        return { ok: false, response, events };
      }
      case 'disabled':
        return { ok: false, response: refuse(req, 403, DISABLED_REASON), events };
      case 'failed': {
        const blocked = this.throttle.recordFailure(source, outcome.username, outcome.reason, now, events);
        let response: SipResponse;
        if (blocked) response = refuse(req, 403, BLOCKED_REASON);
        else if (outcome.status === 400) response = refuse(req, 400, outcome.reason === 'uri-mismatch' ? 'Digest uri does not match the Request-URI' : 'Malformed credentials');
        else response = this.authenticator.challenge(req, { header, now, algorithms: outcome.algorithms });
        return { ok: false, response, events };
      }
    }
  }
}

function refuse(req: SipRequest, status: number, reason: string): SipResponse {
  return createResponse(req, status, reason, { toTag: responseToTag(req) });
}
