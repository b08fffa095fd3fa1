/**
 * A transfer whose target is still to answer: a blind transfer (REFER, RFC 3515; RFC 5589
 * §6) ringing the number the referrer named, or an attended transfer whose target was still
 * ringing (Replaces naming the referrer's early dialog, RFC 5589 §7.3 "semi-attended"):
 * the forks of that other call are taken over and go on ringing for the transferee.
 *
 *   blind ......... every device the number reaches rings at once (call-routing.ts, the
 *                   fork of the call core: first answer wins, the others get CANCEL with
 *                   "Call completed elsewhere"); the INVITE offers the call's endpoint on
 *                   the referrer's side and presents the transferee (From and
 *                   P-Asserted-Identity) with Referred-By naming the referrer (RFC 3892)
 *   early attended  the target's 2xx answers the other call's offer: we re-INVITE it with an
 *                   offer of this call's endpoint, carrying the transferee's identity
 *
 * While it rings the transferee hears the music on hold (decided: the same music as a
 * hold, so a held transferee hears no change; the referrer's phone, when it did not hold,
 * still hears the transferee). Its ring timeout is calls.ringTimeout, counted from the
 * REFER (early attended: from the takeover).
 *
 * Outcome: answered - the call connects transferee and target (transferred-call.ts), NOTIFY
 * 200, the referrer's dialog is BYEd after a grace period unless it hung up itself. Busy, no
 * answer (480), refused: NOTIFY with that status; the transferee goes back to the referrer
 * when the referrer's dialog is still up (it stays held until the referrer resumes), else
 * the call ends. The transferee hanging up: the target's forks are CANCELled (missed call).
 */
import { newTag } from '../../../sip/dialog/dialog-id.js';
import type { SipResponse } from '../../../sip/message.js';
import { SdpError, type SessionDescription } from '../../../rtp/sdp/index.js';
import type { CallDisposition } from '../../../store/calls-repository.js';
import type { UserRecord } from '../../../store/records.js';
import { assertedIdentityValue, presentedIdentity, type CallerIdentity } from '../caller-id.js';
import type { Call } from '../call.js';
import { otherSide, type Side } from '../call-media.js';
import type { ForkTarget } from '../call-routing.js';
import type { CallTimer } from '../call-timers.js';
import { calleeInvite, newCallId } from '../callee-invite.js';
import { Fork, type ForkFailure, type ForkListener } from '../fork.js';
import { OutboundLeg } from '../outbound-leg.js';
import type { TransferEnvironment } from '../transfer-hook.js';
import { identityHeaders } from './identity-update.js';
import type { ReferSubscription } from './refer-subscription.js';
import { REFERRER_BYE_GRACE_MS, type ReferrerLeg } from './referrer-leg.js';
import { endTransferRow, transferredReason } from './transfer-history.js';
import { connectTransferred } from './transferred-call.js';

export interface RingingTransferSetup {
  call: Call;
  /** The side the target takes: the referrer's. */
  side: Side;
  referrer: ReferrerLeg;
  referrerId: CallerIdentity;
  transferee: CallerIdentity;
  subscription: ReferSubscription;
  /** The target user (history, identity) and the number dialled. */
  callee: UserRecord;
  dialled: string;
  /** History row of the call being made (transfer-history.ts). */
  row: string;
  /** The target answers another call's offer: re-INVITE it with ours (early attended). */
  reoffer: boolean;
  attended: boolean;
  /** The transfer is over (either way). */
  done(): void;
}

export class RingingTransfer implements ForkListener {
  private fork: Fork | undefined;
  private timer: CallTimer | undefined;
  private rang = false;
  private over = false;

  constructor(
    private readonly env: TransferEnvironment,
    private readonly s: RingingTransferSetup,
  ) {}

  /** Blind: rings `targets` with an offer of the call's endpoint on the referrer's side. */
  ring(targets: ForkTarget[]): void {
    const { env, s } = this;
    const { ctx, domain } = env;
    const body = s.call.media.offerTo(s.side);
    const fork = new Fork(this);
    for (const target of targets) {
      const invite = calleeInvite({
        target, dialled: s.dialled, caller: s.transferee, domain, contact: ctx.contactFor(target.binding.flow), tag: newTag(),
        maxForwards: 70, allow: ctx.allow, supported: ctx.supported, body, callId: newCallId(domain),
      });
      invite.headers.append('Referred-By', assertedIdentityValue(s.referrerId, domain)); // RFC 3892 §3
      fork.add(new OutboundLeg(ctx, target, invite, { completedElsewhereReason: true }, fork, s.call));
    }
    this.watch(fork);
    fork.start();
  }

  /** Early attended: the forks of another call, still ringing, go on for this transfer. */
  adopt(fork: Fork): void {
    for (const leg of fork.legs) leg.owner = this.s.call;
    this.watch(fork);
  }

  forkProgress(_leg: OutboundLeg, res: SipResponse): void {
    if (this.rang || this.over) return;
    this.rang = true;
    this.s.subscription.progress(res.status, res.reason);
  }

  forkAnswered(leg: OutboundLeg, _res: SipResponse, sdp: SessionDescription | undefined): void {
    const { call, side } = this.s;
    const target = leg.dialogLeg!;
    if (this.over || call.state === 'ended') return target.bye();
    this.env.ctx.timers.cancel(this.timer);
    if (this.s.reoffer) {
      call.replaceLeg(side, target);
      target.sendOffer('INVITE', call.media.offerTo(side), identityHeaders(this.s.transferee, this.env.domain), (res) => {
        if (res && res.status < 300) return this.connected(leg);
        // The target is on the call already: a refusal ends it (failed() hangs up).
        this.failed(res?.status ?? 408, res?.reason ?? 'Request Timeout', 'failed');
      });
      return;
    }
    try {
      if (sdp === undefined) throw new SdpError('the target answered without SDP', 488);
      call.media.takeAnswer(side, sdp);
    } catch (err) {
      if (!(err instanceof SdpError)) throw err;
      target.bye();
      return this.failed(488, 'Not Acceptable Here', 'failed');
    }
    call.replaceLeg(side, target);
    call.media.updateHold(side);
    call.media.connect();
    this.connected(leg);
  }

  forkFailed(f: ForkFailure): void {
    this.failed(f.status, f.reason, f.disposition);
  }

  /** The call ended under the transfer (the transferee hung up, an operator, a lost worker). */
  callEnded(): void {
    if (this.over) return;
    this.fork?.cancelAll();
    this.finish();
    endTransferRow(this.env, this.s.row, 'cancelled', 'caller cancelled', this.s.callee.ext);
    this.s.subscription.final(487, 'Request Terminated');
  }

  private watch(fork: Fork): void {
    this.fork = fork;
    this.timer = this.env.ctx.timers.schedule('transfer ring timeout', this.env.settings.ringTimeoutMs, () => {
      fork.cancelAll();
      this.failed(480, 'Temporarily Unavailable', 'no-answer', true);
    });
  }

  private connected(leg: OutboundLeg): void {
    if (this.over) return;
    const { env, s } = this;
    this.finish();
    s.call.media.musicWhileTransferring(otherSide(s.side), false);
    const identity = presentedIdentity(s.callee, leg.target.device);
    const reason = transferredReason(s.attended ? identity : s.dialled, s.referrerId, s.attended);
    connectTransferred(env, s.call, otherSide(s.side), s.transferee, { user: s.callee, device: leg.device, identity, dialled: s.dialled }, { id: s.row, reason });
    s.subscription.final(200, 'OK');
    if (!s.referrer.gone) s.referrer.hangUpAfter(REFERRER_BYE_GRACE_MS);
  }

  private failed(status: number, reason: string, disposition: CallDisposition, missed = false): void {
    if (this.over) return;
    const { env, s } = this;
    this.finish();
    endTransferRow(env, s.row, disposition, `${status} ${reason}`, missed ? s.callee.ext : undefined);
    s.subscription.final(status, reason);
    env.ctx.log.info({ event: 'call.transfer_failed', call: s.call.id, status, target: s.dialled }, `transfer of call ${s.call.id} to ${s.dialled} failed: ${status} ${reason}`);
    if (s.call.state === 'ended') return;
    s.call.transferring = false;
    if (!s.referrer.gone && s.call.sideOf(s.referrer.leg) === s.side) {
      // Back to the referrer, as before the REFER (still held if it held the transferee).
      s.referrer.restore();
      s.call.media.musicWhileTransferring(otherSide(s.side), false);
    } else {
      s.call.hangup(`transfer failed: ${status} ${reason}`);
    }
  }

  private finish(): void {
    this.over = true;
    this.env.ctx.timers.cancel(this.timer);
    this.s.done();
  }
}
