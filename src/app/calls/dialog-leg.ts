/**
 * One side of a call once its INVITE has made a dialog (RFC 3261 §12): the requests inside
 * that dialog, both ways, and the offer/answer exchanges after the first (RFC 3264 §8).
 * Both the caller's leg (we are its UAS) and the callee's (we are its UAC) become one.
 *
 * In: BYE (200, then the owner hangs up the other side) · re-INVITE / UPDATE (the owner
 * answers the offer, or gives one when the request has none - its answer comes in the ACK,
 * §13.2.1) · INFO · OPTIONS · REFER / NOTIFY (to the owner: transfers) · PRACK (481:
 * we send no reliable provisional responses, RFC 3262 §3) · ACK of our 2xx.
 * Out: re-INVITE / UPDATE with our offer (session refresh), INFO, BYE, and any request a
 * transfer needs (`request`).
 *
 * Glare (RFC 3261 §14): an offer arriving while ours is pending gets 491 (§14.2; RFC 3311
 * §5.2 for UPDATE); a re-INVITE while one of theirs is unanswered gets 500 with Retry-After
 * (§14.2); a 491 to ours makes us try again after 2.1-4 s when we own the Call-ID, else
 * 0-2 s, in units of 10 ms (§14.1).
 * Our 2xx to an INVITE is re-sent until its ACK (§13.3.1.4); none within 64*T1 ends the
 * dialog with a BYE. RFC 4028 session timers: session-timer.ts.
 */
import { cseq } from '../../sip/headers/cseq.js';
import { allow as allowOf } from '../../sip/headers/option-tags.js';
import type { Dialog } from '../../sip/dialog/dialog.js';
import type { InDialogRequestOptions } from '../../sip/dialog/dialog-requests.js';
import type { SipRequest, SipResponse } from '../../sip/message.js';
import type { ClientTransaction, ServerTransaction } from '../../sip/transaction/transaction-layer.js';
import type { Flow } from '../../sip/transport/flow.js';
import { SdpError, type SessionDescription } from '../../rtp/sdp/index.js';
import type { CallTimer } from './call-timers.js';
import type { DialogLegLike, LegContext, LegEndReason, LegOwner } from './leg-context.js';
import { SDP_TYPE, sdpOf } from './message-sdp.js';
import { buildResponse, warningHeader } from './responses.js';
import { negotiateAsUas, negotiatedAsUac, SessionTimer, type UasNegotiation } from './session-timer.js';

export type DialogLegState = 'early' | 'confirmed' | 'ended';

/** The owner's view, plus what it must say for a session refresh by re-INVITE. */
export interface DialogLegOwner extends LegOwner<DialogLeg> {
  /** Our current SDP for this leg, re-offered unchanged in a refresh re-INVITE (RFC 4028 §7.4). */
  legRefreshOffer(leg: DialogLeg): string | undefined;
}

interface PendingOffer {
  method: 'INVITE' | 'UPDATE';
  body: string | undefined;
  headers: Array<[string, string]>;
  done: ((res: SipResponse | undefined) => void) | undefined;
}

export class DialogLeg implements DialogLegLike {
  owner: DialogLegOwner | undefined;
  state: DialogLegState;
  readonly session: SessionTimer;
  /** Our INVITE/UPDATE in progress (an offer in it, or none: a refresh without SDP). */
  private outgoing: { tx: ClientTransaction; hasOffer: boolean } | undefined;
  /** Our 2xx to an INVITE, re-sent until the ACK; `weOffered`: the ACK brings the answer. */
  private awaitingAck: { key: string; seq: number; weOffered: boolean } | undefined;
  private retry: CallTimer | undefined;
  private peerAllow: string[] | undefined;

  constructor(
    private readonly ctx: LegContext,
    readonly dialog: Dialog,
    /** Where this leg's phone is reached: the flow its INVITE came on, or its registration's. */
    public flow: Flow,
    /** Device extension of the phone, null when it is no device of ours. */
    readonly device: string | null,
    peer: SipRequest | SipResponse,
  ) {
    this.state = dialog.state === 'confirmed' ? 'confirmed' : 'early';
    this.notePeerAllow(peer);
    this.session = new SessionTimer(ctx.timers, () => this.refresh(), () => this.expire());
    ctx.bindDialog(dialog, this);
  }

  /** Whether the phone said it accepts `method` (its Allow; RFC 3261 §20.5). */
  peerAllows(method: string): boolean {
    return this.peerAllow?.includes(method) ?? false;
  }

  // ------------------------------------------------------------------ requests from the phone

  handleRequest(req: SipRequest, tx: ServerTransaction): void {
    if (this.state === 'ended') {
      // A BYE crossing ours is welcome; anything else finds no dialog (§12.2.2).
      this.respond(tx, buildResponse(req, req.method === 'BYE' ? 200 : 481));
      return;
    }
    const verdict = this.dialog.receiveRequest(req);
    if (!verdict.ok) return this.respond(tx, buildResponse(req, verdict.status, { reason: verdict.reason }));
    switch (req.method) {
      case 'BYE':
        this.respond(tx, buildResponse(req, 200));
        this.close();
        this.owner?.legBye(this, req);
        return;
      case 'INVITE':
        return this.offerIn(req, tx, 'INVITE');
      case 'UPDATE':
        return this.offerIn(req, tx, 'UPDATE');
      case 'INFO':
        return this.respond(tx, buildResponse(req, this.owner?.legInfo(this, req) ?? 481));
      case 'OPTIONS':
        return this.respond(tx, buildResponse(req, 200, { headers: [['Allow', this.ctx.allow], ['Accept', SDP_TYPE], ['Supported', this.ctx.supported]] }));
      case 'REFER':
        return this.owner ? this.owner.legRefer(this, req, tx) : this.respond(tx, buildResponse(req, 481));
      case 'NOTIFY':
        return this.owner ? this.owner.legNotify(this, req, tx) : this.respond(tx, buildResponse(req, 481));
      case 'PRACK':
        // RFC 3262 §3: no unacknowledged reliable provisional response matches (we send none).
        return this.respond(tx, buildResponse(req, 481));
      default:
        return this.respond(tx, buildResponse(req, 405, { headers: [['Allow', this.ctx.allow]] }));
    }
  }

  /** The ACK of one of our 2xx (§13.3.1.4); the retransmitter was stopped by the manager. */
  handleAck(ack: SipRequest): void {
    const waiting = this.awaitingAck;
    if (waiting === undefined || cseq(ack).seq !== waiting.seq) return;
    this.ctx.stop2xx(waiting.key);
    this.awaitingAck = undefined;
    if (!waiting.weOffered) return;
    let answer: SessionDescription | undefined;
    try {
      answer = sdpOf(ack);
    } catch {
      answer = undefined;
    }
    this.owner?.legAnswer(this, answer, 'ACK');
  }

  handleStray2xx(res: SipResponse): void {
    const ack = this.dialog.ackFor(res);
    if (ack) this.ctx.sip.sendStateless(ack, this.flow);
  }

  /**
   * The first 2xx of the caller's INVITE went out (inbound-leg.ts): the dialog is confirmed,
   * the 2xx is re-sent until the ACK, which carries the answer when we made the offer.
   */
  initial2xxSent(res: SipResponse, tx: ServerTransaction, weOffered: boolean, timer: UasNegotiation): void {
    this.dialog.confirm();
    this.state = 'confirmed';
    const key = this.ctx.retransmit2xx(res, tx.responseFlow, () => this.lostAck());
    this.awaitingAck = { key, seq: cseq(res).seq, weOffered };
    this.applyUasTimer(timer);
  }

  /** A 2xx from the callee for our INVITE with an RFC 4028 Session-Expires (§7.2). */
  initial2xxReceived(res: SipResponse): void {
    const t = negotiatedAsUac(res);
    if (t) this.session.start(t.seconds, t.refresher === 'uac');
  }

  private offerIn(req: SipRequest, tx: ServerTransaction, method: 'INVITE' | 'UPDATE'): void {
    let offer: SessionDescription | undefined;
    try {
      offer = sdpOf(req);
    } catch (err) {
      if (!(err instanceof SdpError)) throw err;
      return this.respond(tx, buildResponse(req, err.status, { headers: [warningHeader(399, this.ctx.agent, err.message)] }));
    }
    const offerPending = this.outgoing?.hasOffer === true || this.awaitingAck?.weOffered === true;
    // RFC 3261 §14.2 / RFC 3311 §5.2: an offer while ours is outstanding is glare.
    if (offerPending && (method === 'INVITE' || offer !== undefined)) return this.respond(tx, buildResponse(req, 491));
    const timer = negotiateAsUas(req, this.ctx.sessionExpires);
    if (timer.kind === 'too-small') return this.respond(tx, buildResponse(req, 422, { headers: [['Min-SE', String(timer.minSe)]] }));
    let body: string | undefined;
    if (method === 'INVITE' || offer !== undefined) {
      const result = this.owner?.legOffer(this, offer, method) ?? { status: 481 };
      if ('status' in result) {
        const headers: Array<readonly [string, string]> = [];
        if (result.warning) headers.push(warningHeader(399, this.ctx.agent, result.warning));
        if (result.retryAfter !== undefined) headers.push(['Retry-After', String(result.retryAfter)]);
        return this.respond(tx, buildResponse(req, result.status, { headers, ...(result.reason ? { reason: result.reason } : {}) }));
      }
      body = result.body;
    }
    const headers: Array<readonly [string, string]> = [['Contact', this.contact()], ['Allow', this.ctx.allow], ['Supported', this.ctx.supported]];
    if (timer.kind === 'timer') headers.push(...timer.headers);
    const res = buildResponse(req, 200, { headers, ...(body !== undefined ? { body } : {}) });
    this.respond(tx, res);
    if (method === 'INVITE') {
      if (this.awaitingAck) this.ctx.stop2xx(this.awaitingAck.key);
      const key = this.ctx.retransmit2xx(res, tx.responseFlow, () => this.lostAck());
      this.awaitingAck = { key, seq: cseq(req).seq, weOffered: offer === undefined };
    }
    this.applyUasTimer(timer);
  }

  // ------------------------------------------------------------------ requests to the phone

  /**
   * A re-INVITE or UPDATE from us: `body` an offer (or none: an UPDATE that only refreshes).
   * Retried after a 491 (§14.1), and after the same back-off when an exchange is in progress.
   * `done` gets the final response (undefined when the request timed out or the leg ended).
   */
  sendOffer(method: 'INVITE' | 'UPDATE', body: string | undefined, headers: Array<[string, string]> = [], done?: (res: SipResponse | undefined) => void): void {
    this.startOffer({ method, body, headers, done });
  }

  /** Any other request in the dialog (INFO, REFER, NOTIFY ...); `done` gets the final response. */
  request(method: string, opts: InDialogRequestOptions = {}, done?: (res: SipResponse | undefined) => void): ClientTransaction | undefined {
    if (this.state === 'ended') return undefined;
    const tx = this.ctx.sip.sendRequest(this.dialog.createRequest(method, opts), this.flow);
    this.ctx.track(tx, (e) => {
      if (e.type !== 'response') {
        this.lost('request timed out');
        return done?.(undefined);
      }
      if (e.response.status < 200) return;
      if (this.dialog.receiveResponse(e.response) === 'terminated') this.lost('dialog gone');
      done?.(e.response);
    });
    return tx;
  }

  /** Ends the dialog with a BYE (an early UAS dialog just ends: §15 forbids the callee's BYE there). */
  bye(headers: Array<[string, string]> = []): void {
    if (this.state === 'ended') return;
    const confirmed = this.state === 'confirmed';
    this.state = 'ended';
    this.stopTimers();
    if (!confirmed) return this.release();
    const tx = this.ctx.sip.sendRequest(this.dialog.createRequest('BYE', { headers }), this.flow);
    this.ctx.track(tx, (e) => {
      if (e.type === 'response' && e.response.status < 200) return;
      this.release();
    });
  }

  /** The Contact we put in this dialog's target refresh requests and their 2xx. */
  contact(): string {
    return this.dialog.localContact ?? this.ctx.contactFor(this.flow);
  }

  private startOffer(p: PendingOffer): void {
    if (this.state === 'ended') return p.done?.(undefined);
    if (this.outgoing !== undefined || this.awaitingAck !== undefined) return this.retryLater(p);
    const headers: Array<[string, string]> = [...p.headers, ['Allow', this.ctx.allow], ['Supported', this.ctx.supported]];
    if (this.session.running && this.session.refreshing) headers.push(['Session-Expires', `${this.session.seconds};refresher=uac`]);
    const opts: InDialogRequestOptions = { headers, contact: this.contact() };
    if (p.body !== undefined) Object.assign(opts, { body: p.body, contentType: SDP_TYPE });
    const req = this.dialog.createRequest(p.method, opts);
    const tx = this.ctx.sip.sendRequest(req, this.flow);
    this.outgoing = { tx, hasOffer: p.body !== undefined };
    this.ctx.track(tx, (e) => {
      if (e.type !== 'response') {
        if (this.outgoing?.tx === tx) this.outgoing = undefined;
        this.lost('request timed out');
        return p.done?.(undefined);
      }
      this.offerResponse(req, tx, e.response, p);
    });
  }

  private offerResponse(req: SipRequest, tx: ClientTransaction, res: SipResponse, p: PendingOffer): void {
    if (res.status < 200) return;
    if (res.status < 300 && req.method === 'INVITE') {
      const again = this.dialog.ackFor(res);
      if (again) return this.ctx.sip.sendStateless(again, this.flow); // a retransmitted 2xx (§13.2.2.4)
      this.ctx.sip.sendStateless(this.dialog.createAck(req), this.flow);
    }
    if (this.outgoing?.tx !== tx) return;
    this.outgoing = undefined;
    if (res.status >= 300) {
      if (res.status === 491) return this.retryLater(p);
      if (this.dialog.receiveResponse(res) === 'terminated') this.lost('dialog gone');
      return p.done?.(res);
    }
    this.dialog.receiveResponse(res);
    const t = negotiatedAsUac(res);
    if (t) this.session.start(t.seconds, t.refresher === 'uac');
    else if (this.session.running && this.session.refreshing) this.session.start(this.session.seconds, true);
    if (p.body !== undefined) {
      let answer: SessionDescription | undefined;
      try {
        answer = sdpOf(res);
      } catch {
        answer = undefined;
      }
      this.owner?.legAnswer(this, answer, '2xx');
    }
    p.done?.(res);
  }

  /** RFC 3261 §14.1: 2.1-4 s when we own the Call-ID (we made this dialog as UAC), else 0-2 s, in 10 ms units. */
  private retryLater(p: PendingOffer): void {
    const tens = this.dialog.role === 'uac' ? 210 + Math.floor(this.ctx.random() * 191) : Math.floor(this.ctx.random() * 201);
    this.ctx.timers.cancel(this.retry);
    this.retry = this.ctx.timers.schedule('glare retry', tens * 10, () => this.startOffer(p));
  }

  // ------------------------------------------------------------------ session timer (RFC 4028)

  private applyUasTimer(t: UasNegotiation): void {
    if (t.kind === 'timer') this.session.start(t.seconds, t.refresher === 'uas');
    else this.session.stop();
  }

  /** §7.4: UPDATE without a body when the phone accepts UPDATE, else re-INVITE with the same SDP. */
  private refresh(): void {
    if (this.peerAllows('UPDATE')) return this.sendOffer('UPDATE', undefined);
    this.sendOffer('INVITE', this.owner?.legRefreshOffer(this));
  }

  /** §10: no refresh came in time: BYE. */
  private expire(): void {
    this.ctx.log.info({ event: 'call.session_expired', device: this.device, callId: this.dialog.id.callId }, 'session timer expired: BYE');
    this.bye([['Reason', 'SIP;cause=408;text="Session timer expired"']]);
    this.owner?.legEnded(this, 'session expired');
  }

  // ------------------------------------------------------------------ ending

  private lostAck(): void {
    this.awaitingAck = undefined;
    this.bye();
    this.owner?.legEnded(this, 'no ACK');
  }

  private lost(why: LegEndReason): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.stopTimers();
    this.release();
    this.owner?.legEnded(this, why);
  }

  /** The phone ended the dialog (its BYE). */
  private close(): void {
    this.state = 'ended';
    this.stopTimers();
    this.release();
  }

  private stopTimers(): void {
    this.session.stop();
    this.ctx.timers.cancel(this.retry);
    if (this.awaitingAck) this.ctx.stop2xx(this.awaitingAck.key);
    this.awaitingAck = undefined;
  }

  private release(): void {
    this.dialog.terminate();
    this.ctx.unbindDialog(this.dialog);
  }

  private respond(tx: ServerTransaction, res: SipResponse): void {
    this.ctx.sip.respond(tx, res);
  }

  private notePeerAllow(m: SipRequest | SipResponse): void {
    if (!m.headers.has('allow')) return;
    try {
      this.peerAllow = allowOf(m).map((x) => x.toUpperCase());
    } catch {
      this.peerAllow = undefined;
    }
  }
}
