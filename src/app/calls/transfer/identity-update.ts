/**
 * Telling a phone who it is connected to after a transfer (issue 3: "the parties see each
 * other's number and name"): a request in its dialog carrying the new P-Asserted-Identity
 * (RFC 3325 §9.1), which phones of the trust domain display in place of the original
 * From/To (a dialog's From and To never change, RFC 3261 §12.2.1.1).
 *
 *   phone allows UPDATE (its Allow) ... UPDATE without a body (RFC 3311 §5.1: no offer needed)
 *   otherwise .......................... re-INVITE with our current SDP unchanged, same o=
 *                                        version (RFC 3264 §8: an offer identical to the last
 *                                        one changes nothing); its answer is taken as usual
 *
 * When the media moves too (the target of an attended transfer is re-pointed at the other
 * call's endpoint), the caller sends a re-INVITE with the new offer and these headers instead.
 */
import { assertedIdentityValue, type CallerIdentity } from '../caller-id.js';
import type { Call } from '../call.js';
import type { Side } from '../call-media.js';

export function identityHeaders(who: CallerIdentity, domain: string): Array<[string, string]> {
  return [['P-Asserted-Identity', assertedIdentityValue(who, domain)]];
}

export function sendConnectedIdentity(call: Call, side: Side, who: CallerIdentity, domain: string): void {
  const leg = call.legs[side];
  if (!leg || leg.state !== 'confirmed') return;
  const headers = identityHeaders(who, domain);
  if (leg.peerAllows('UPDATE')) leg.sendOffer('UPDATE', undefined, headers);
  else leg.sendOffer('INVITE', call.media.repeatOffer(side), headers);
}
