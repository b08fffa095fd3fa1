/**
 * Who is on a side of a call, as the other party should see them (issue 3, "Caller ID"):
 * the user's custom caller ID or main extension, with the user's name (caller-id.ts). The
 * caller's side is the call's `caller`; the other side is the user of the device on it.
 */
import { presentedIdentity, type CallerIdentity } from '../caller-id.js';
import type { Call } from '../call.js';
import type { Side } from '../call-media.js';
import type { CallDirectory } from '../call-routing.js';

export function partyIdentity(dir: CallDirectory, call: Call, side: Side): CallerIdentity {
  if (side === call.callerSide) return call.caller;
  return deviceIdentity(dir, call.legs[side]?.device ?? call.answeredBy) ?? presentedIdentity(call.callee, null);
}

/** The identity a device's user presents, or undefined for no device of ours. */
export function deviceIdentity(dir: CallDirectory, device: string | null | undefined): CallerIdentity | undefined {
  const who = device ? dir.deviceByExt(device) : undefined;
  return who ? presentedIdentity(who.user, who.device) : undefined;
}

export function sameIdentity(x: CallerIdentity, y: CallerIdentity): boolean {
  return x.number === y.number && x.name === y.name;
}

/** `Alice (1000)` for logs and history reasons. */
export function describe(id: CallerIdentity): string {
  return id.name ? `${id.name} (${id.number})` : id.number;
}
