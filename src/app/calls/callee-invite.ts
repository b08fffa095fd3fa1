/**
 * The INVITE to one registered device (a B-leg, RFC 3261 §8.1.1), a new dialog of our own:
 *
 *   Request-URI ...... the binding's Contact (RFC 3261 §10.3: the registered target)
 *   Route ............ the binding's Path, in order (RFC 3327 §5.3: preloaded route set)
 *   From ............. the caller as presented (caller-id.ts) with our tag
 *   To ............... the number dialled, at our domain
 *   P-Asserted-Identity the same identity (RFC 3325 §9.1)
 *   Call-ID, CSeq .... ours (CSeq 1)
 *   Max-Forwards ..... one less than the caller's INVITE had, so a loop through the
 *                      switch dies out (RFC 3261 §16.6 step 3 spirit; 70 at most)
 *   Contact, Allow, Supported (timer: RFC 4028 §7.1), and our SDP offer
 */
import { randomBytes } from 'node:crypto';
import { HeaderList, SipRequest } from '../../sip/message.js';
import { assertedIdentityValue, fromValue, identityUri, type CallerIdentity } from './caller-id.js';
import type { ForkTarget } from './call-routing.js';
import { SDP_TYPE } from './message-sdp.js';

export interface CalleeInviteOptions {
  target: ForkTarget;
  dialled: string;
  caller: CallerIdentity;
  domain: string;
  contact: string;
  tag: string;
  maxForwards: number;
  allow: string;
  supported: string;
  body: string;
  /** Call-ID; default a new random one at `domain`. */
  callId?: string;
}

export function newCallId(domain: string): string {
  return `${randomBytes(12).toString('hex')}@${domain}`;
}

export function calleeInvite(o: CalleeInviteOptions): SipRequest {
  const h = new HeaderList();
  for (const p of o.target.binding.path) h.append('Route', p);
  h.append('Max-Forwards', String(Math.max(0, Math.min(70, o.maxForwards))));
  h.append('From', fromValue(o.caller, o.domain, o.tag));
  h.append('To', `<${identityUri(o.dialled, o.domain)}>`);
  h.append('Call-ID', o.callId ?? newCallId(o.domain));
  h.append('CSeq', '1 INVITE');
  h.append('Contact', o.contact);
  h.append('P-Asserted-Identity', assertedIdentityValue(o.caller, o.domain));
  h.append('Allow', o.allow);
  h.append('Supported', o.supported);
  h.append('Content-Type', SDP_TYPE);
  return new SipRequest('INVITE', o.target.binding.contact, h, Buffer.from(o.body));
}
