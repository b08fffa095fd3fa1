/**
 * Call transfers (issue 3, "Mid-call"): the TransferHandler call control consults for REFER,
 * NOTIFY and INVITE with Replaces (transfer-hook.ts). Wired in CallService.
 *
 * REFER in a call's dialog, from either party (RFC 3515; RFC 5589 for what phones expect):
 *
 *   refused before anything happens ... readRefer's 400/416/501; 403 when the call is not
 *                                        answered; 491 while a transfer of the call is in progress
 *   202 Accepted, NOTIFY "100 Trying" . then (refer-subscription.ts)
 *     no Replaces: blind .............. the number is routed like a dialled one (every device
 *                                        of a main extension rings): unknown 404, nobody
 *                                        registered 480, only the transferee's or referrer's
 *                                        own device 482 Loop Detected - each as the final
 *                                        NOTIFY, the call unchanged; else ringing-transfer.ts
 *     Replaces (attended) .............. the dialog it names: none 481, another user's 403,
 *                                        one of this call's own 482, early-only but answered
 *                                        486; answered: attended-transfer.ts; still ringing:
 *                                        its forks go on for the transferee (ringing-transfer.ts)
 *
 * NOTIFY from a phone: 481, we subscribe to nothing (RFC 6665 §4.1.3).
 * INVITE with Replaces: replacing-invite.ts.
 */
import type { SipRequest } from '../../../sip/message.js';
import type { ServerTransaction } from '../../../sip/transaction/transaction-layer.js';
import type { Flow } from '../../../sip/transport/flow.js';
import type { CallerIdentity } from '../caller-id.js';
import type { Call } from '../call.js';
import { otherSide, type Side } from '../call-media.js';
import { routeCall } from '../call-routing.js';
import type { DialogLeg } from '../dialog-leg.js';
import { buildResponse } from '../responses.js';
import type { ServedDialog } from '../number-handler.js';
import type { TransferEnvironment, TransferHandler } from '../transfer-hook.js';
import { transferToAnsweredCall } from './attended-transfer.js';
import { partyIdentity } from './party-identity.js';
import { readRefer, type ReferAsked } from './refer-request.js';
import { ReferSubscription } from './refer-subscription.js';
import { REFERRER_BYE_GRACE_MS, ReferrerLeg } from './referrer-leg.js';
import { acceptReplacingInvite } from './replacing-invite.js';
import { findReplacedDialog } from './replaces.js';
import { RingingTransfer } from './ringing-transfer.js';
import { endTransferRow, startTransferRow, transferredReason } from './transfer-history.js';

/** What a REFER being carried out knows. */
interface Refer {
  call: Call;
  leg: DialogLeg;
  /** The referrer's side (the target takes it); the transferee is on the other. */
  side: Side;
  asked: ReferAsked;
  sub: ReferSubscription;
  referrerId: CallerIdentity;
  transferee: CallerIdentity;
}

export class CallTransfers implements TransferHandler {
  readonly methods = ['REFER', 'NOTIFY'];
  /** RFC 3891 Replaces; RFC 4488 Refer-Sub. */
  readonly optionTags = ['replaces', 'norefersub'];
  private env: TransferEnvironment | undefined;
  /** Transfers in progress, by the call being transferred. */
  private readonly active = new Map<Call, { callEnded(): void }>();

  bind(env: TransferEnvironment): void {
    this.env = env;
  }

  private get e(): TransferEnvironment {
    if (!this.env) throw new Error('CallTransfers used before CallManager bound it');
    return this.env;
  }

  refer(call: Call, leg: DialogLeg, req: SipRequest, tx: ServerTransaction): void {
    const env = this.e;
    const asked = readRefer(req);
    const side = call.sideOf(leg);
    const refuse = (status: number, reason?: string) => env.ctx.sip.respond(tx, buildResponse(req, status, reason ? { reason } : {}));
    if (asked.kind === 'refused') return refuse(asked.status, asked.reason);
    if (side === undefined || call.state !== 'answered') return refuse(403, 'Call Not Answered');
    if (this.active.has(call)) return refuse(491, 'Transfer In Progress');
    // RFC 3515 §2.4.2: 202; RFC 4488 §4: say so when we honour Refer-Sub: false.
    env.ctx.sip.respond(tx, buildResponse(req, 202, asked.subscribe ? {} : { headers: [['Refer-Sub', 'false']] }));
    const expires = Math.ceil(env.settings.ringTimeoutMs / 1000) + 30;
    const sub = new ReferSubscription(env, leg, asked.id, asked.subscribe, expires);
    sub.progress(100, 'Trying');
    const r: Refer = {
      call, leg, side, asked, sub,
      referrerId: partyIdentity(env.directory, call, side),
      transferee: partyIdentity(env.directory, call, otherSide(side)),
    };
    env.ctx.log.info(
      { event: 'call.refer', call: call.id, by: leg.device, to: asked.uri, attended: asked.replaces !== undefined },
      `call ${call.id}: ${leg.device ?? '?'} transfers ${r.transferee.number} to ${asked.uri}${asked.replaces ? ' (attended)' : ''}`,
    );
    if (asked.replaces) this.attended(r);
    else this.blind(r);
  }

  notify(_call: Call, _leg: DialogLeg, req: SipRequest, tx: ServerTransaction): void {
    this.e.ctx.sip.respond(tx, buildResponse(req, 481, { reason: 'Subscription Does Not Exist' }));
  }

  inviteWithReplaces(req: SipRequest, tx: ServerTransaction, flow: Flow, callerDevice: string): boolean {
    acceptReplacingInvite(this.e, req, tx, flow, callerDevice);
    return true;
  }

  callEnded(call: Call): void {
    const t = this.active.get(call);
    this.active.delete(call);
    t?.callEnded();
  }

  // ------------------------------------------------------------------ blind

  private blind(r: Refer): void {
    const env = this.e;
    const { call, side, asked } = r;
    const number = asked.number;
    if (env.servedBy?.(number)?.transferIn) return this.blindToServedNumber(r);
    const route = routeCall(number, null, env.directory);
    const own = new Set([r.leg.device, call.legs[otherSide(side)]?.device].filter((d): d is string => !!d));
    const targets = route.kind === 'fork' ? route.targets.filter((t) => !own.has(t.device.ext)) : [];
    if (route.kind === 'reject' || targets.length === 0) {
      const [status, reason] = route.kind === 'reject' ? [route.status, route.status === 404 ? 'Not Found' : 'Temporarily Unavailable'] : [482, 'Loop Detected'];
      const row = startTransferRow(env, { caller: r.transferee, dialled: number, callee: route.callee });
      endTransferRow(env, row, 'failed', `${status} ${route.kind === 'reject' ? route.reason : 'transfer to a party of the call'}`);
      env.ctx.log.info({ event: 'call.transfer_failed', call: call.id, status, target: number }, `transfer of call ${call.id} to ${number} refused: ${status} ${reason}`);
      return r.sub.final(status, reason);
    }
    const referrer = new ReferrerLeg(env, r.leg, call);
    const row = startTransferRow(env, { caller: r.transferee, dialled: number, callee: route.callee });
    const t = new RingingTransfer(env, {
      call, side, referrer, referrerId: r.referrerId, transferee: r.transferee, subscription: r.sub, callee: route.callee, dialled: number, row,
      reoffer: false, attended: false, done: () => this.active.delete(call),
    });
    this.active.set(call, t);
    call.transferring = true;
    call.media.musicWhileTransferring(otherSide(side), true);
    t.ring(targets).catch((err: Error) => t.internalError(err));
  }

  /**
   * A blind transfer to a number the switch answers itself (a conference room,
   * number-handler.ts): the switch is the target and answers at once, so the referrer gets
   * NOTIFY 200 now; the transferee's dialog leaves the call for the handler (which
   * re-INVITEs it onto its own media) and the call ends without a BYE to it. The referrer's
   * dialog is BYEd after the grace period unless it hangs up itself (RFC 5589 §6.1).
   */
  private blindToServedNumber(r: Refer): void {
    const env = this.e;
    const { call, side, asked } = r;
    const handler = env.servedBy!(asked.number)!;
    const tSide = otherSide(side);
    const leg = call.legs[tSide];
    if (!leg) return r.sub.final(481, 'Call/Transaction Does Not Exist');
    const referrer = new ReferrerLeg(env, r.leg, call);
    call.legs[tSide] = undefined;
    call.legs[side] = undefined;
    call.hangup(transferredReason(asked.number, r.referrerId, false));
    handler.transferIn!({ leg, transferee: r.transferee, referrer: r.referrerId, dialled: asked.number });
    r.sub.final(200, 'OK');
    if (!referrer.gone) referrer.hangUpAfter(REFERRER_BYE_GRACE_MS);
  }

  // ------------------------------------------------------------------ attended
  /**
   * REFER with Replaces naming the referrer's dialog in a served call (its consultation call
   * to a conference room): the transferee takes that dialog's place there (the handler
   * re-INVITEs it onto its own media and BYEs the replaced dialog, RFC 3891 §3); the
   * transferred call ends without a BYE to the transferee. Same authorization as any
   * Replaces: a dialog of the referrer's own user (RFC 3891 §6).
   */
  private attendedToServedDialog(r: Refer, served: ServedDialog): void {
    const env = this.e;
    const { call, side, sub } = r;
    const mine = r.leg.device ? env.directory.deviceByExt(r.leg.device) : undefined;
    const theirs = served.device ? env.directory.deviceByExt(served.device) : undefined;
    if (!mine || !theirs || mine.user.id !== theirs.user.id) return sub.final(403, 'Forbidden');
    if (r.asked.replaces!.earlyOnly) return sub.final(486, 'Busy Here');
    const tSide = otherSide(side);
    const leg = call.legs[tSide];
    if (!leg) return sub.final(481, 'Call/Transaction Does Not Exist');
    const referrer = new ReferrerLeg(env, r.leg, call);
    call.legs[tSide] = undefined;
    call.legs[side] = undefined;
    call.hangup(transferredReason(r.asked.number, r.referrerId, true));
    served.takeOver({ leg, transferee: r.transferee, referrer: r.referrerId, dialled: r.asked.number });
    sub.final(200, 'OK');
    if (!referrer.gone) referrer.hangUpAfter(REFERRER_BYE_GRACE_MS);
  }

  private attended(r: Refer): void {
    const env = this.e;
    const { call, side, sub } = r;
    const other = findReplacedDialog(env.calls.values(), r.asked.replaces!);
    if (!other) {
      const served = env.servedDialog?.(r.asked.replaces!);
      return served ? this.attendedToServedDialog(r, served) : sub.final(481, 'Call/Transaction Does Not Exist');
    }
    if (other.call === call) return sub.final(482, 'Loop Detected');
    const mine = r.leg.device ? env.directory.deviceByExt(r.leg.device) : undefined;
    const theirs = other.leg.device ? env.directory.deviceByExt(other.leg.device) : undefined;
    // The referrer may only name one of its own dialogs (RFC 3891 §6: authorize replacing).
    if (!mine || !theirs || mine.user.id !== theirs.user.id) return sub.final(403, 'Forbidden');
    if (r.asked.replaces!.earlyOnly && !other.early) return sub.final(486, 'Busy Here');
    const transfereeDevice = call.legs[otherSide(side)]?.device;
    const y = other.call;
    const targetDevices = other.side !== undefined ? [y.legs[otherSide(other.side)]?.device] : y.fork.legs.map((l) => l.device);
    if (transfereeDevice && targetDevices.includes(transfereeDevice)) return sub.final(482, 'Loop Detected');

    const referrer = new ReferrerLeg(env, r.leg, call);
    const done = () => this.active.delete(call);
    if (other.side !== undefined) {
      this.active.set(call, transferToAnsweredCall(env, { call, side, referrer, referrerId: r.referrerId, transferee: r.transferee, subscription: sub, other: { ...other, side: other.side }, done }));
      return;
    }
    // The target still rings (semi-attended): its forks go on for the transferee.
    const row = startTransferRow(env, { caller: r.transferee, dialled: y.dialled, callee: y.callee });
    const t = new RingingTransfer(env, {
      call, side, referrer, referrerId: r.referrerId, transferee: r.transferee, subscription: sub, callee: y.callee, dialled: y.dialled, row,
      reoffer: true, attended: true, done,
    });
    this.active.set(call, t);
    call.transferring = true;
    call.media.musicWhileTransferring(otherSide(side), true);
    t.adopt(y.handOverFork(t, `${transferredReason(r.transferee, r.referrerId, true)} while ringing`));
    sub.final(200, 'OK');
    referrer.hangUpAfter(REFERRER_BYE_GRACE_MS);
  }
}
