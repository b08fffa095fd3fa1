/**
 * The Replaces header field (RFC 3891 §6.1), in an INVITE or inside a Refer-To URI (RFC
 * 3891 §7.1, escaped as a URI header), and the dialog of ours it names.
 *
 *   Replaces = "Replaces" HCOLON callid *(SEMI replaces-param)
 *   replaces-param = to-tag / from-tag / early-flag / generic-param
 *
 * RFC 3891 §3: the recipient compares to-tag with its local tag and from-tag with the remote
 * tag. A phone transferring through the switch names its own dialog with us the other way
 * round in some stacks, so both orders match here (tags are random; a false match would need
 * the same Call-ID and both tags).
 */
import type { Call } from '../call.js';
import type { Side } from '../call-media.js';
import type { DialogLeg } from '../dialog-leg.js';

export interface ReplacesTarget {
  callId: string;
  toTag: string;
  fromTag: string;
  /** `early-only`: replace only a dialog that is still early (RFC 3891 §6.1). */
  earlyOnly: boolean;
}

export class ReplacesError extends Error {}

export function parseReplaces(value: string): ReplacesTarget {
  const [callId, ...params] = value.split(';').map((p) => p.trim());
  if (!callId || /\s/.test(callId)) throw new ReplacesError('Replaces without a Call-ID');
  let toTag: string | undefined;
  let fromTag: string | undefined;
  let earlyOnly = false;
  for (const p of params) {
    const eq = p.indexOf('=');
    const name = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
    const v = eq < 0 ? '' : p.slice(eq + 1).trim();
    if (name === 'to-tag') toTag = v;
    else if (name === 'from-tag') fromTag = v;
    else if (name === 'early-only') earlyOnly = true;
  }
  // RFC 3891 §6.1: both tags are required.
  if (!toTag || !fromTag) throw new ReplacesError('Replaces needs to-tag and from-tag (RFC 3891 §6.1)');
  return { callId, toTag, fromTag, earlyOnly };
}

/** A dialog of a live call that a Replaces names. */
export interface ReplacedDialog {
  call: Call;
  leg: DialogLeg;
  /** The call's side the dialog is on; undefined for the caller's early dialog (not answered yet). */
  side: Side | undefined;
  early: boolean;
}

function names(leg: DialogLeg, t: ReplacesTarget): boolean {
  const id = leg.dialog.id;
  if (id.callId !== t.callId) return false;
  return (id.localTag === t.toTag && id.remoteTag === t.fromTag) || (id.localTag === t.fromTag && id.remoteTag === t.toTag);
}

/** The answered sides of every call, and each caller's early dialog while its call rings. */
export function findReplacedDialog(calls: Iterable<Call>, t: ReplacesTarget): ReplacedDialog | undefined {
  for (const call of calls) {
    if (call.state === 'ended') continue;
    for (const side of ['a', 'b'] as const) {
      const leg = call.legs[side];
      if (leg && names(leg, t)) return { call, leg, side, early: false };
    }
    const early = call.inbound.dialogLeg;
    if (early && call.inbound.pending && names(early, t)) return { call, leg: early, side: undefined, early: true };
  }
  return undefined;
}
