/**
 * What happens to a new INVITE before anything rings, in order:
 *
 *   1. digest authentication, 407 + Proxy-Authenticate (RFC 3261 §22.3) through the shared
 *      AuthGuard: the nonces, per-device algorithms and brute-force throttle of REGISTER
 *   2. a Contact to build the dialog on ................... 400 (RFC 3261 §8.1.1.8)
 *   3. the offer, when there is one: valid SDP ............ 400 (RFC 4566)
 *      with something we can use ........................ 488 + Warning (RFC 3261 §21.4.26)
 *   4. RFC 4028 Session-Expires not below our Min-SE ...... 422 + Min-SE (RFC 4028 §9)
 *   5. a number the switch answers itself (number-handler.ts: conference rooms) ... 'served'
 *      else routing (call-routing.ts) ..................... 404 unknown number, 480 nobody registered
 *
 * Every refusal after authentication is a call attempt worth a history row (disposition
 * 'failed'); challenges and authentication failures are not.
 */
import { newTag } from '../../sip/dialog/dialog-id.js';
import type { AuthEvent } from '../../sip/auth/auth-events.js';
import type { AuthGuard } from '../../sip/auth/auth-guard.js';
import type { SipRequest, SipResponse } from '../../sip/message.js';
import type { Flow } from '../../sip/transport/flow.js';
import { SdpError, type SessionDescription } from '../../rtp/sdp/index.js';
import type { CodecName } from '../../rtp/codec/codec.js';
import type { DeviceRecord, UserRecord } from '../../store/records.js';
import { presentedIdentity, type CallerIdentity } from './caller-id.js';
import { dialledNumber, routeCall, type CallDirectory, type ForkTarget } from './call-routing.js';
import { singleCodecAnswer } from './codec-choice.js';
import { sdpOf } from './message-sdp.js';
import { buildResponse, warningHeader } from './responses.js';
import { negotiateAsUas, type UasNegotiation } from './session-timer.js';

export interface AdmissionContext {
  guard: AuthGuard;
  directory: CallDirectory;
  codecs: readonly CodecName[];
  sessionExpires: number;
  agent: string;
  /** Whether the switch answers calls to this number itself (number-handler.ts). */
  serves?(number: string): boolean;
}

/** Steps 1-4 passed and the number is one the switch answers itself. */
export interface Served {
  kind: 'served';
  caller: CallerIdentity;
  dialled: string;
  offer: SessionDescription | undefined;
  timer: UasNegotiation;
}

export interface Admitted {
  kind: 'admitted';
  caller: CallerIdentity;
  dialled: string;
  callee: UserRecord;
  targets: ForkTarget[];
  offer: SessionDescription | undefined;
  timer: UasNegotiation;
}

export interface Refused {
  kind: 'refused';
  response: SipResponse;
  /** Set when the request came from an authenticated device: the attempt is recorded. */
  attempt?: { caller: CallerIdentity; dialled: string; callee: UserRecord | null; reason: string };
}

export type Admission = (Admitted | Served | Refused) & { events: AuthEvent[] };

/** Step 1 alone: the device that sent the INVITE, authenticated. */
export interface Authenticated {
  kind: 'authenticated';
  who: { device: DeviceRecord; user: UserRecord };
  caller: CallerIdentity;
  events: AuthEvent[];
}

export function authenticateInvite(req: SipRequest, flow: Flow, now: number, c: AdmissionContext): Authenticated | (Refused & { events: AuthEvent[] }) {
  const g = c.guard.check(req, flow.remoteAddress, now, 'Proxy-Authorization');
  if (!g.ok) return { kind: 'refused', response: g.response, events: g.events };
  const who = c.directory.deviceByExt(g.username);
  if (!who) return { kind: 'refused', response: buildResponse(req, 403, { toTag: newTag() }), events: g.events };
  return { kind: 'authenticated', who, caller: presentedIdentity(who.user, who.device), events: g.events };
}

export function admitInvite(req: SipRequest, flow: Flow, now: number, c: AdmissionContext): Admission {
  const auth = authenticateInvite(req, flow, now, c);
  return auth.kind === 'refused' ? auth : admitAuthenticated(req, auth, c);
}

/** Steps 2-5 for an INVITE whose sender `authenticateInvite` accepted. */
export function admitAuthenticated(req: SipRequest, auth: Authenticated, c: AdmissionContext): Admission {
  const { who, caller, events } = auth;
  const dialled = dialledNumber(req.uri) ?? '';
  const refuse = (status: number, reason: string, callee: UserRecord | null, headers: Array<readonly [string, string]> = []): Admission => ({
    kind: 'refused',
    response: buildResponse(req, status, { headers, toTag: newTag() }),
    attempt: { caller, dialled, callee, reason: `${status} ${reason}` },
    events,
  });
  if (!req.headers.has('contact')) return refuse(400, 'INVITE without Contact', null, [warningHeader(399, c.agent, 'Contact is required (RFC 3261 §8.1.1.8)')]);
  let offer: SessionDescription | undefined;
  try {
    offer = sdpOf(req);
    if (offer) singleCodecAnswer(offer.audio, c.codecs);
  } catch (err) {
    if (!(err instanceof SdpError)) throw err;
    return refuse(err.status, err.message, null, [warningHeader(err.warning?.code ?? 399, c.agent, err.warning?.text ?? err.message)]);
  }
  const timer = negotiateAsUas(req, c.sessionExpires);
  if (timer.kind === 'too-small') return refuse(422, 'Session Interval Too Small', null, [['Min-SE', String(timer.minSe)]]);
  if (c.serves?.(dialled)) return { kind: 'served', caller, dialled, offer, timer, events };
  const route = routeCall(dialled, who.device.ext, c.directory);
  if (route.kind === 'reject') return refuse(route.status, route.reason, route.callee);
  return { kind: 'admitted', caller, dialled, callee: route.callee, targets: route.targets, offer, timer, events };
}
