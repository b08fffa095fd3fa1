/**
 * One call through the B2BUA: the caller's leg ('a'), the parallel fork to the callee's
 * devices, and - once one answers - that device's leg ('b'), with the media anchored in
 * between (call-media.ts).
 *
 *   routing ──(first 180)──> ringing ──(183 + SDP)──> early      (early media relayed)
 *      │                        │                       │
 *      └───────(2xx from a fork: others CANCELled)──────┴──> answered <──> held
 *   any state before answered ── caller CANCEL (487) / ring timeout (480) / all forks failed
 *   answered ── BYE either side / media timeout / session expiry / no ACK / operator ──> ended
 *
 * The Call owns both DialogLegs (DialogLegOwner): a BYE on one is a BYE on the other; an
 * offer on one is answered here (anchored media: the other leg need not know - hold is
 * music for the held side); DTMF goes across in the form the other leg negotiated.
 * `replaceLeg` lets a transfer put a new dialog in place of one side (transfer-hook.ts);
 * a transfer also re-points who the call is between (`caller`, `callee`, `callerSide`), the
 * history row it writes (`historyId`), and may take the forks still ringing (`handOverFork`).
 */
import { randomUUID } from 'node:crypto';
import { newTag } from '../../sip/dialog/dialog-id.js';
import { contentType } from '../../sip/headers/content-type.js';
import type { SipRequest, SipResponse } from '../../sip/message.js';
import type { ServerTransaction } from '../../sip/transaction/transaction-layer.js';
import { SdpError, type SessionDescription } from '../../rtp/sdp/index.js';
import type { CallDisposition } from '../../store/calls-repository.js';
import type { UserRecord } from '../../store/records.js';
import type { CallerIdentity } from './caller-id.js';
import { calleeInvite, newCallId } from './callee-invite.js';
import type { CallHistoryRecorder } from './call-history-recorder.js';
import { CallMedia, otherSide, type Side } from './call-media.js';
import type { ForkTarget } from './call-routing.js';
import type { CallSettings } from './call-settings.js';
import type { CallTimer } from './call-timers.js';
import type { DialogLeg, DialogLegOwner } from './dialog-leg.js';
import { DTMF_RELAY, dtmfRelayBody, parseDtmfInfo, type DtmfDigit } from './dtmf-info.js';
import { Fork, type ForkFailure, type ForkListener } from './fork.js';
import type { InboundLeg } from './inbound-leg.js';
import type { LegContext, LegEndReason, OfferResult } from './leg-context.js';
import type { MediaPort } from './media-port.js';
import { OutboundLeg } from './outbound-leg.js';
import { buildResponse, warningHeader } from './responses.js';
import type { TransferHandler } from './transfer-hook.js';

export type CallState = 'routing' | 'ringing' | 'early' | 'answered' | 'ended';

/** What every call shares (given by CallManager). */
export interface CallServices {
  ctx: LegContext;
  media: MediaPort;
  settings: CallSettings;
  domain: string;
  mediaAddress: string;
  history: CallHistoryRecorder;
  transfers: TransferHandler | undefined;
  /** The call is over: forget it. */
  ended(call: Call): void;
}

export interface CallSetup {
  inbound: InboundLeg;
  caller: CallerIdentity;
  dialled: string;
  callee: UserRecord;
  targets: ForkTarget[];
  /** Max-Forwards of the caller's INVITE (the B-legs get one less). */
  maxForwards: number;
  id?: string;
}

export class Call implements ForkListener, DialogLegOwner {
  readonly id: string;
  readonly startedAt: number;
  answeredAt: number | null = null;
  answeredBy: string | null = null;
  state: CallState = 'routing';
  readonly media: CallMedia;
  readonly fork: Fork;
  /** The dialogs of the two sides ('a': caller, 'b': the device that answered). */
  readonly legs: { a: DialogLeg | undefined; b: DialogLeg | undefined } = { a: undefined, b: undefined };
  readonly inbound: InboundLeg;
  // Who the call is between; after a transfer (transfer/) the transferee is the caller and
  // the transfer target the callee, on whichever sides they are.
  caller: CallerIdentity;
  dialled: string;
  callee: UserRecord;
  /** The caller's side ('b' when a transfer left the transferee on the callee's side). */
  callerSide: Side = 'a';
  /** The history row this call writes; a transfer starts a new row for the call it becomes. */
  historyId: string;
  /** A transfer of this call is in progress (`softswitch calls` shows it). */
  transferring = false;
  private ringTimer: CallTimer | undefined;
  private earlyLeg: OutboundLeg | undefined;
  /** Who gets the fork's events after `handOverFork`. */
  private forkTaker: ForkListener | undefined;

  constructor(
    private readonly services: CallServices,
    private readonly setup: CallSetup,
  ) {
    this.id = setup.id ?? randomUUID();
    this.historyId = this.id;
    this.startedAt = services.ctx.clock.now();
    this.inbound = setup.inbound;
    this.inbound.owner = this;
    this.caller = setup.caller;
    this.dialled = setup.dialled;
    this.callee = setup.callee;
    this.fork = new Fork(this);
    const s = services.settings;
    this.media = new CallMedia(this.id, services.media, { address: services.mediaAddress, codecs: s.codecs, mediaTimeoutMs: s.mediaTimeoutMs, musicOnHold: s.musicOnHold, log: services.ctx.log });
  }

  private get log() {
    return this.services.ctx.log;
  }

  /** Opens the media, then rings every target at once. */
  async start(): Promise<void> {
    try {
      await this.media.open();
    } catch (err) {
      this.log.error({ event: 'call.media_unavailable', call: this.id, error: (err as Error).message }, 'no media endpoint for the call');
      this.inbound.refuse(503, { reason: 'Media Unavailable' });
      return this.finish('failed', '503 media unavailable');
    }
    if (this.state !== 'routing') return; // cancelled meanwhile: finish() closed the media
    if (this.inbound.offer) this.media.holdOffer('a', this.inbound.offer);
    const body = this.media.offerTo('b');
    const { ctx, domain } = this.services;
    for (const target of this.setup.targets) {
      const invite = calleeInvite({
        target, dialled: this.dialled, caller: this.caller, domain, contact: ctx.contactFor(target.binding.flow), tag: newTag(),
        maxForwards: this.setup.maxForwards - 1, allow: ctx.allow, supported: ctx.supported, body, callId: newCallId(domain),
      });
      this.fork.add(new OutboundLeg(ctx, target, invite, { completedElsewhereReason: true }, this.fork, this));
    }
    this.ringTimer = ctx.timers.schedule('ring timeout', this.services.settings.ringTimeoutMs, () => this.ringTimeout());
    this.fork.start();
  }

  /** Devices ringing now. */
  ringing(): string[] {
    return this.state === 'answered' || this.state === 'ended' ? [] : this.fork.ringing();
  }

  /** The side `leg` is on, if it is one of the call's legs. */
  sideOf(leg: DialogLeg): Side | undefined {
    return leg === this.legs.a ? 'a' : leg === this.legs.b ? 'b' : undefined;
  }

  /**
   * Puts `leg` in place of `side`'s dialog (a transfer); returns the one it replaces, which
   * the caller of this method ends (or keeps) as the transfer requires.
   */
  replaceLeg(side: Side, leg: DialogLeg): DialogLeg | undefined {
    const old = this.legs[side];
    if (old && old.owner === this) old.owner = undefined;
    leg.owner = this;
    this.legs[side] = leg;
    return old;
  }

  /**
   * A transfer takes the forks still ringing (RFC 3891 Replaces naming this call's early
   * dialog, transfer/): from now they report to `to`; this call ends for its caller (487 to
   * its INVITE, RFC 3261 §9.2 wording) without CANCELling them, and its media closes.
   */
  handOverFork(to: ForkListener, reason: string): Fork {
    this.forkTaker = to;
    this.services.ctx.timers.cancel(this.ringTimer);
    this.inbound.refuse(487);
    this.finish('cancelled', reason);
    return this.fork;
  }

  // ------------------------------------------------------------------ before the answer

  forkProgress(leg: OutboundLeg, res: SipResponse, sdp: SessionDescription | undefined): void {
    if (this.forkTaker) return this.forkTaker.forkProgress(leg, res, sdp);
    if (this.state !== 'routing' && this.state !== 'ringing' && this.state !== 'early') return;
    if (sdp && this.earlyLeg === undefined && this.inbound.offer) {
      const body = this.tryEarlyMedia(sdp);
      if (body !== undefined) {
        this.earlyLeg = leg;
        this.inbound.provisional(183, body);
        this.state = 'early';
        return;
      }
    }
    if (this.state === 'routing') {
      this.inbound.provisional(180);
      this.state = 'ringing';
    }
  }

  forkAnswered(leg: OutboundLeg, res: SipResponse, sdp: SessionDescription | undefined): void {
    if (this.forkTaker) return this.forkTaker.forkAnswered(leg, res, sdp);
    this.services.ctx.timers.cancel(this.ringTimer);
    const b = leg.dialogLeg!;
    const answer = sdp ?? (leg === this.earlyLeg ? this.media.sides.b.remote : undefined);
    let body: string;
    try {
      if (answer === undefined) throw new SdpError('the callee answered without SDP', 488);
      this.media.takeAnswer('b', answer);
      body = this.inbound.offer ? this.media.answerTo('a') : this.media.offerTo('a');
    } catch (err) {
      if (!(err instanceof SdpError)) throw err;
      b.bye();
      this.inbound.refuse(488, { headers: [warningHeader(err.warning?.code ?? 399, this.services.ctx.agent, err.message)] });
      return this.finish('failed', `488 ${err.message}`);
    }
    if (this.inbound.offer) this.media.connect();
    this.legs.b = b;
    this.answeredBy = leg.device;
    this.answeredAt = this.services.ctx.clock.now();
    this.legs.a = this.inbound.accept(body);
    this.state = 'answered';
    this.services.history.answered(this.historyId, this.answeredAt, leg.device);
    this.log.info({ event: 'call.answered', call: this.id, by: leg.device, codecs: [this.media.sides.a.codec?.name, this.media.sides.b.codec?.name] }, `call ${this.caller.number} -> ${this.dialled} answered by ${leg.device}`);
  }

  forkFailed(f: ForkFailure): void {
    if (this.forkTaker) return this.forkTaker.forkFailed(f);
    this.services.ctx.timers.cancel(this.ringTimer);
    this.inbound.refuse(f.status, { reason: f.reason });
    this.finish(f.disposition, `${f.status} ${f.reason}`);
  }

  /** The caller's CANCEL (RFC 3261 §9.2) or BYE on the early dialog (§15): 487, every fork CANCELled. */
  callerCancelled(): boolean {
    if (!this.inbound.pending) return false;
    this.fork.cancelAll();
    this.inbound.refuse(487);
    this.finish('cancelled', 'caller cancelled', true);
    return true;
  }

  private ringTimeout(): void {
    if (!this.inbound.pending) return;
    this.fork.cancelAll();
    this.inbound.refuse(480, { reason: 'Temporarily Unavailable' });
    this.finish('no-answer', 'no answer', true);
  }

  private tryEarlyMedia(sdp: SessionDescription): string | undefined {
    try {
      this.media.takeAnswer('b', sdp);
      const body = this.media.answerTo('a');
      this.media.connect();
      return body;
    } catch (err) {
      if (!(err instanceof SdpError)) throw err;
      return undefined;
    }
  }

  // ------------------------------------------------------------------ in the call (DialogLegOwner)

  legBye(leg: DialogLeg): void {
    const side = this.sideOf(leg);
    if (side === undefined) {
      if (leg === this.inbound.dialogLeg) this.callerCancelled();
      return;
    }
    this.legs[otherSide(side)]?.bye();
    this.finish('answered', side === this.callerSide ? 'caller hung up' : 'callee hung up');
  }

  legOffer(leg: DialogLeg, offer: SessionDescription | undefined): OfferResult {
    const side = this.sideOf(leg);
    // An offer in an early dialog: ours in the 183 was not a reliable answer yet (RFC 3311 §5.1).
    if (side === undefined || this.state !== 'answered') return { status: 491 };
    if (offer === undefined) return { body: this.media.offerTo(side) };
    let body: string;
    try {
      body = this.media.answerTo(side, offer);
    } catch (err) {
      if (!(err instanceof SdpError)) throw err;
      return { status: err.status, warning: err.message };
    }
    const hold = this.media.updateHold(side);
    if (hold) this.log.info({ event: hold === 'start' ? 'call.hold' : 'call.resume', call: this.id, by: side === 'a' ? 'caller' : 'callee' }, `call ${this.id} ${hold === 'start' ? 'on hold' : 'resumed'}`);
    return { body };
  }

  legAnswer(leg: DialogLeg, answer: SessionDescription | undefined, via: 'ACK' | '2xx'): void {
    const side = this.sideOf(leg);
    if (side === undefined) return;
    try {
      if (answer === undefined) throw new SdpError(`no answer in the ${via}`, 488);
      this.media.takeAnswer(side, answer);
      this.media.updateHold(side);
      this.media.connect();
    } catch (err) {
      if (!(err instanceof SdpError)) throw err;
      this.log.warn({ event: 'call.bad_answer', call: this.id, side, via, error: err.message }, `unusable SDP answer: ${err.message}`);
      // RFC 3261 §13.2.1 / RFC 3264 §8: an unusable answer to the session's offer ends it.
      if (via === 'ACK') this.hangup('unusable SDP answer');
    }
  }

  legInfo(leg: DialogLeg, req: SipRequest): number {
    const side = this.sideOf(leg);
    if (req.body.length === 0) return 200;
    const t = contentType(req);
    const digit = t === undefined ? undefined : parseDtmfInfo(`${t.type}/${t.subtype}`, req.body);
    if (digit === undefined) return 415;
    if (side !== undefined) this.sendDigit(otherSide(side), digit);
    return 200;
  }

  legRefer(leg: DialogLeg, req: SipRequest, tx: ServerTransaction): void {
    const t = this.services.transfers;
    if (t) return t.refer(this, leg, req, tx);
    this.services.ctx.sip.respond(tx, buildResponse(req, 501));
  }

  legNotify(leg: DialogLeg, req: SipRequest, tx: ServerTransaction): void {
    const t = this.services.transfers;
    if (t) return t.notify(this, leg, req, tx);
    this.services.ctx.sip.respond(tx, buildResponse(req, 481, { reason: 'Subscription Does Not Exist' }));
  }

  legEnded(leg: DialogLeg, why: LegEndReason): void {
    const side = this.sideOf(leg);
    if (side === undefined) return;
    this.legs[otherSide(side)]?.bye();
    this.finish(this.state === 'answered' ? 'answered' : 'failed', why);
  }

  legRefreshOffer(leg: DialogLeg): string | undefined {
    const side = this.sideOf(leg);
    return side === undefined ? undefined : this.media.repeatOffer(side);
  }

  // ------------------------------------------------------------------ media events

  /** An RFC 4733 digit arrived from `side`'s phone (reported by the media worker). */
  mediaDigit(side: Side, digit: string, durationMs: number): void {
    const to = otherSide(side);
    // Both sides negotiated telephone-event: the worker's relay forwards the events itself.
    if (this.media.hasTelephoneEvent(to) && this.media.relayMode !== null) return;
    this.sendDigit(to, { digit, durationMs });
  }

  /** No RTP from `side` for calls.mediaTimeout: an answered call not on hold ends. */
  mediaTimeout(side: Side): void {
    if (this.state !== 'answered' || this.media.onHold) return;
    this.log.info({ event: 'call.media_timeout', call: this.id, side }, `no media from the ${side === 'a' ? 'caller' : 'callee'}: hanging up`);
    this.hangup('media timeout');
  }

  /** Ends the call from our side (operator, media timeout, a lost worker). */
  hangup(reason: string): void {
    if (this.state === 'ended') return;
    if (this.inbound.pending) {
      this.fork.cancelAll();
      this.inbound.refuse(480, { reason: 'Temporarily Unavailable' });
      return this.finish('failed', reason);
    }
    this.legs.a?.bye();
    this.legs.b?.bye();
    this.finish(this.answeredAt !== null ? 'answered' : 'failed', reason);
  }

  private sendDigit(to: Side, d: DtmfDigit): void {
    if (this.state !== 'answered') return;
    if (this.media.hasTelephoneEvent(to)) return this.media.sendDtmf(to, d.digit, d.durationMs);
    this.legs[to]?.request('INFO', { body: dtmfRelayBody(d), contentType: DTMF_RELAY });
  }

  private finish(disposition: CallDisposition, reason: string, missed = false): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.services.ctx.timers.cancel(this.ringTimer);
    void this.media.close();
    const endedAt = this.services.ctx.clock.now();
    this.services.history.ended(this.historyId, { endedAt, disposition, endReason: reason }, missed ? [this.callee.ext] : []);
    this.log.info({ event: 'call.ended', call: this.id, disposition, reason, durationMs: endedAt - this.startedAt }, `call ${this.caller.number} -> ${this.dialled} ended: ${reason}`);
    this.services.ended(this);
  }
}
