/**
 * An attended transfer into a room (REFER with Replaces naming a room call's dialog, RFC 3891
 * §7.1; the call core hands it over through NumberHandler.findDialog): the transferee takes
 * the named call's place.
 *
 * Decided: a participant's place is taken without the entry rules (the PIN was given on
 * that leg), always as a participant (administrator rights are not handed on); a leg still
 * at the PIN prompt hands the prompt on (the transferee enters it). The replaced dialog
 * then ends with BYE (RFC 3891 §3).
 */
import type { NamedDialog, ServedDialog, TransferredParty } from '../calls/number-handler.js';
import type { ConferenceContext } from './conference-context.js';
import { RoomCall } from './room-call.js';

/** Whether `call`'s dialog is the one named (tags in either order, as calls/transfer/replaces.ts). */
export function namesCall(call: RoomCall, named: NamedDialog): boolean {
  const id = call.dialogId;
  if (!id || id.callId !== named.callId) return false;
  return (id.localTag === named.toTag && id.remoteTag === named.fromTag) || (id.localTag === named.fromTag && id.remoteTag === named.toTag);
}

export function servedDialogOf(cx: ConferenceContext, call: RoomCall): ServedDialog {
  return { device: call.identity.device, takeOver: (party) => takeOver(cx, call, party) };
}

function takeOver(cx: ConferenceContext, call: RoomCall, party: TransferredParty): void {
  const admitted = call.state === 'in-room' || call.state === 'joining' ? 'participant' : undefined;
  const next = RoomCall.transferIn(cx, party.leg, party.transferee, party.referrer, call.dialled, admitted);
  cx.log.info(
    { event: 'conference.replaced', room: call.dialled, call: call.id, by: next.id, transferee: party.transferee.number },
    `${party.transferee.number} takes the place of ${call.identity.number} in room ${call.dialled} (attended transfer)`,
  );
  call.hangup(`replaced by ${party.transferee.number} (attended transfer)`);
}
