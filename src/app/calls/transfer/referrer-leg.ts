/**
 * The transferor's dialog once its REFER is accepted (RFC 5589 §6, §7): it no longer
 * belongs to the call's back-to-back logic - its BYE must not hang up the transferee - so
 * this owner takes it over:
 *
 *   BYE / dialog lost ......... the referrer is gone (`gone`); nobody else is told
 *   re-INVITE / UPDATE, INFO .. passed to the call while the leg is still one of its sides
 *                               (a blind transfer ringing its target); refused with 488
 *                               once it was replaced
 *   REFER ..................... 491: a transfer of this dialog is in progress
 *   NOTIFY .................... 481 (we subscribed to nothing)
 *
 * RFC 5589 §6.1/§7.1: after the final NOTIFY 200 the transferor ends its dialogs with BYE
 * (common phones do so at once); `hangUpAfter` sends our BYE when it has not done so within
 * a grace period. `restore` gives the leg back to its call (the transfer failed and the
 * referrer is still there).
 */
import type { SessionDescription } from '../../../rtp/sdp/index.js';
import type { SipRequest } from '../../../sip/message.js';
import type { ServerTransaction } from '../../../sip/transaction/transaction-layer.js';
import type { Call } from '../call.js';
import type { CallTimer } from '../call-timers.js';
import type { DialogLeg, DialogLegOwner } from '../dialog-leg.js';
import type { LegEndReason, OfferResult } from '../leg-context.js';
import { buildResponse } from '../responses.js';
import type { TransferEnvironment } from '../transfer-hook.js';

/** How long the transferor may take to BYE its dialog after the final NOTIFY 200 (decided; common phones need milliseconds). */
export const REFERRER_BYE_GRACE_MS = 2000;

export class ReferrerLeg implements DialogLegOwner {
  private byeTimer: CallTimer | undefined;
  /** Called once when the referrer's dialog ends. */
  onGone: (() => void) | undefined;

  constructor(
    private readonly env: TransferEnvironment,
    readonly leg: DialogLeg,
    /** The call the leg belongs to (it may stay one of its sides until the transfer completes). */
    private readonly call: Call,
  ) {
    leg.owner = this;
  }

  get gone(): boolean {
    return this.leg.state === 'ended';
  }

  /** BYE after `ms` unless the referrer has hung up by then. */
  hangUpAfter(ms: number): void {
    this.env.ctx.timers.cancel(this.byeTimer);
    this.byeTimer = this.env.ctx.timers.schedule('transfer referrer bye', ms, () => {
      if (this.leg.owner === this) this.leg.bye();
    });
  }

  /** The leg goes back to its call (a failed transfer, the referrer still there). */
  restore(): void {
    this.env.ctx.timers.cancel(this.byeTimer);
    if (this.leg.owner === this) this.leg.owner = this.call;
  }

  private get inCall(): boolean {
    return this.call.state !== 'ended' && this.call.sideOf(this.leg) !== undefined;
  }

  legBye(): void {
    this.ended();
  }

  legEnded(_leg: DialogLeg, _why: LegEndReason): void {
    this.ended();
  }

  legOffer(leg: DialogLeg, offer: SessionDescription | undefined): OfferResult {
    if (this.inCall) return this.call.legOffer(leg, offer);
    return { status: 488, warning: 'the call was transferred' };
  }

  legAnswer(leg: DialogLeg, answer: SessionDescription | undefined, via: 'ACK' | '2xx'): void {
    if (this.inCall) this.call.legAnswer(leg, answer, via);
  }

  legInfo(leg: DialogLeg, req: SipRequest): number {
    return this.inCall ? this.call.legInfo(leg, req) : 200;
  }

  legRefer(_leg: DialogLeg, req: SipRequest, tx: ServerTransaction): void {
    this.env.ctx.sip.respond(tx, buildResponse(req, 491, { reason: 'Transfer In Progress' }));
  }

  legNotify(_leg: DialogLeg, req: SipRequest, tx: ServerTransaction): void {
    this.env.ctx.sip.respond(tx, buildResponse(req, 481, { reason: 'Subscription Does Not Exist' }));
  }

  legRefreshOffer(leg: DialogLeg): string | undefined {
    return this.inCall ? this.call.legRefreshOffer(leg) : undefined;
  }

  private ended(): void {
    this.env.ctx.timers.cancel(this.byeTimer);
    const notify = this.onGone;
    this.onGone = undefined;
    notify?.();
  }
}
