/**
 * A new INVITE with Replaces sent to the switch (RFC 3891 §3): the sender asks to take the
 * place of one of our dialogs - a user moving a call to another of their phones ("call
 * pull"), or a phone finishing a transfer itself. CallManager hands it over once the sender
 * is authenticated (407 like any INVITE).
 *
 *   Replaces malformed, no Contact ........................ 400 (RFC 3891 §6.1; RFC 3261 §8.1.1.8)
 *   names no dialog of ours, or the caller's early dialog .. 481 (RFC 3891 §3: an early dialog
 *                                                            this UA did not initiate)
 *   names a dialog already ended ........................... 603 (RFC 3891 §3)
 *   early-only but the dialog is confirmed ................. 486 (RFC 3891 §3)
 *   sender is not the user of the replaced dialog's device . 403 (RFC 3891 §6: only an
 *                                                            authorized party may replace; decided:
 *                                                            the same user)
 *   SDP unusable ........................................... 400 / 488
 *
 * Accepted: a new endpoint for that side (the old phone may still be sending to the old
 * one: symmetric latching, call-media.ts), answered 200 with its SDP (answer to the offer,
 * or our offer when it sent none, §13.2.1: the ACK answers); the new dialog takes the old
 * one's side, the old one gets BYE (RFC 3891 §3), and the other party is told the new
 * identity when it differs. No endpoint free: 503. No new history row: the call and its parties are the same (the row's
 * answering device follows when the callee's side moved).
 */
import { newTag } from '../../../sip/dialog/dialog-id.js';
import type { SipRequest } from '../../../sip/message.js';
import type { ServerTransaction } from '../../../sip/transaction/transaction-layer.js';
import type { Flow } from '../../../sip/transport/flow.js';
import { SdpError, type SessionDescription } from '../../../rtp/sdp/index.js';
import type { Call } from '../call.js';
import { otherSide, type Side } from '../call-media.js';
import { singleCodecAnswer } from '../codec-choice.js';
import type { DialogLeg } from '../dialog-leg.js';
import { InboundLeg } from '../inbound-leg.js';
import { sdpOf } from '../message-sdp.js';
import { buildResponse, warningHeader } from '../responses.js';
import { negotiateAsUas, type UasNegotiation } from '../session-timer.js';
import type { TransferEnvironment } from '../transfer-hook.js';
import { sendConnectedIdentity } from './identity-update.js';
import { deviceIdentity, partyIdentity, sameIdentity } from './party-identity.js';
import { findReplacedDialog, parseReplaces, ReplacesError, type ReplacesTarget } from './replaces.js';

export function acceptReplacingInvite(env: TransferEnvironment, req: SipRequest, tx: ServerTransaction, flow: Flow, device: string): void {
  const refuse = (status: number, reason?: string, warning?: string) =>
    env.ctx.sip.respond(tx, buildResponse(req, status, { toTag: newTag(), ...(reason ? { reason } : {}), headers: warning ? [warningHeader(399, env.ctx.agent, warning)] : [] }));
  let target: ReplacesTarget;
  try {
    target = parseReplaces(req.headers.get('replaces') ?? '');
  } catch (err) {
    if (!(err instanceof ReplacesError)) throw err;
    return refuse(400, undefined, err.message);
  }
  if (!req.headers.has('contact')) return refuse(400, undefined, 'Contact is required (RFC 3261 §8.1.1.8)');
  const found = findReplacedDialog(env.calls.values(), target);
  if (!found || found.side === undefined) return refuse(481);
  const { call, leg: old, side } = found;
  if (old.state === 'ended') return refuse(603);
  if (target.earlyOnly) return refuse(486);
  const sender = env.directory.deviceByExt(device);
  const owner = old.device ? env.directory.deviceByExt(old.device) : undefined;
  if (!sender || !owner || sender.user.id !== owner.user.id) return refuse(403, 'Forbidden', 'only a device of the same user may replace this dialog');

  let offer: SessionDescription | undefined;
  try {
    offer = sdpOf(req);
    if (offer) singleCodecAnswer(offer.audio, env.settings.codecs);
  } catch (err) {
    if (!(err instanceof SdpError)) throw err;
    return refuse(err.status, undefined, err.message);
  }
  const timer = negotiateAsUas(req, env.ctx.sessionExpires);
  if (timer.kind === 'too-small') return env.ctx.sip.respond(tx, buildResponse(req, 422, { toTag: newTag(), headers: [['Min-SE', String(timer.minSe)]] }));
  call.media.openStandby(side).then(
    () => {
      if (call.state === 'ended' || call.legs[side] !== old) {
        call.media.closeStandby(side);
        return refuse(481);
      }
      replace(env, { req, tx, flow, device, call, side, old, offer, timer });
    },
    () => refuse(503, 'Service Unavailable'),
  ).catch((err: Error) => env.ctx.log.error({ event: 'call.transfer_error', call: call.id, err: err.stack }, 'INVITE with Replaces failed'));
}

interface Replacement {
  req: SipRequest;
  tx: ServerTransaction;
  flow: Flow;
  device: string;
  call: Call;
  side: Side;
  old: DialogLeg;
  offer: SessionDescription | undefined;
  timer: UasNegotiation;
}

function replace(env: TransferEnvironment, r: Replacement): void {
  const { req, tx, flow, device, call, side, old, offer, timer } = r;
  call.media.promoteStandby(side);
  const body = offer ? call.media.answerTo(side, offer) : call.media.offerTo(side);
  const before = partyIdentity(env.directory, call, side);
  const inbound = new InboundLeg(env.ctx, req, tx, flow, { offer, timer, device });
  inbound.owner = call;
  call.replaceLeg(side, inbound.accept(body));
  old.bye();
  if (offer) {
    call.media.updateHold(side);
    call.media.connect();
  }
  if (side !== call.callerSide) {
    call.answeredBy = device;
    env.history.answered(call.historyId, call.answeredAt ?? env.ctx.clock.now(), device);
  } else call.caller = { ...call.caller, device };
  const now = deviceIdentity(env.directory, device);
  if (now && !sameIdentity(now, before)) sendConnectedIdentity(call, otherSide(side), now, env.domain);
  env.ctx.log.info({ event: 'call.replaced', call: call.id, side, from: old.device, to: device }, `call ${call.id}: ${device} replaced ${old.device ?? '?'} (INVITE with Replaces)`);
}
