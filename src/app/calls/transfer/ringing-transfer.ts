/**
 * A transfer whose target is still to answer: a blind transfer (REFER, RFC 3515; RFC 5589
 * §6) ringing the number the referrer named, or an attended transfer whose target was still
 * ringing (Replaces naming the referrer's early dialog, RFC 5589 §7.3 "semi-attended"):
 * the forks of that other call are taken over and go on ringing for the transferee.
 *
 *   blind ......... every device the number reaches rings at once (call-routing.ts, the
 *                   fork of the call core: first answer wins, the others get CANCEL with
 *                   "Call completed elsewhere"); the INVITE offers a new endpoint of the call
 *                   on the referrer's side (CallMedia standby: the referrer keeps its own until
 *                   the target answers) and presents the transferee (From and
 *                   P-Asserted-Identity) with Referred-By naming the referrer (RFC 3892)
 *   early attended  the target's 2xx answers the other call's offer: we re-INVITE it with an
 *                   offer of this call's new endpoint, carrying the transferee's identity
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
  /** The target's endpoint is open (false: it could not be). */
  private ready: Promise<boolean> = Promise.resolve(false);
  /** The target's endpoint took the referrer's side: the referrer needs a new offer to come back. */
  private promoted = false;

  constructor(
    private readonly env: TransferEnvironment,
    private readonly s: RingingTransferSetup,
  ) {}

  /** Blind: rings `targets` with an offer of a new endpoint for the referrer's side. */
  async ring(targets: ForkTarget[]): Promise<void> {
    if (!(await (this.ready = this.openEndpoint()))) return;
    const { env, s } = this;
    const { ctx, domain } = env;
    const body = s.call.media.standbyOffer(s.side);
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
    this.ready = this.openEndpoint();
  }

  private async openEndpoint(): Promise<boolean> {
    try {
      await this.s.call.media.openStandby(this.s.side);
    } catch (err) {
      if (this.over) return false;
      this.env.ctx.log.warn({ event: 'call.transfer_media', call: this.s.call.id, error: (err as Error).message }, 'no media endpoint for the transfer target');
      this.fork?.cancelAll();
      this.failed(503, 'Service Unavailable', 'failed');
      return false;
    }
    if (!this.over) return true;
    this.s.call.media.closeStandby(this.s.side);
    return false;
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
      // Re-INVITEd once its endpoint is open (at once, unless it answered within milliseconds).
      this.ready.then((ok) => (ok && !this.over ? this.reoffer(leg) : target.bye())).catch((err: Error) => this.internalError(err));
      return;
    }
    try {
      if (sdp === undefined) throw new SdpError('the target answered without SDP', 488);
      call.media.promoteStandby(side);
      this.promoted = true;
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

  /** A bug of ours, in a promise's continuation: logged, and the transfer ends as failed. */
  internalError(err: Error): void {
    this.env.ctx.log.error({ event: 'call.transfer_error', call: this.s.call.id, err: err.stack }, 'transfer failed');
    this.failed(500, 'Server Internal Error', 'failed');
  }

  private reoffer(leg: OutboundLeg): void {
    const { call, side } = this.s;
    const target = leg.dialogLeg!;
    call.replaceLeg(side, target);
    call.media.promoteStandby(side);
    this.promoted = true;
    target.sendOffer('INVITE', call.media.offerTo(side), identityHeaders(this.s.transferee, this.env.domain), (res) => {
      if (res && res.status < 300) return this.connected(leg);
      // The target is on the call already: a refusal ends it (failed() hangs up).
      this.failed(res?.status ?? 408, res?.reason ?? 'Request Timeout', 'failed');
    });
  }

  forkFailed(f: ForkFailure): void {
    this.failed(f.status, f.reason, f.disposition);
  }

  /** The call ended under the transfer (the transferee hung up, an operator, a lost worker). */
  callEnded(): void {
    if (this.over) return;
    this.fork?.cancelAll(); // (the call's media closed its standby endpoint too)
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
    if (!this.promoted) s.call.media.closeStandby(s.side);
    if (!s.referrer.gone && s.call.sideOf(s.referrer.leg) === s.side) {
      // Back to the referrer, as before the REFER (still held if it held the transferee).
      s.referrer.restore();
      s.call.media.musicWhileTransferring(otherSide(s.side), false);
      if (this.promoted) s.referrer.leg.sendOffer('INVITE', s.call.media.offerTo(s.side)); // its endpoint went to the target
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
