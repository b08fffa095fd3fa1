/**
 * The caller's INVITE, as its UAS (RFC 3261 §13.3): provisional responses while the callee
 * rings (180; 183 with our SDP for early media), then one final response - our 2xx, whose
 * ACK may carry the caller's answer when its INVITE had no offer (§13.2.1), or a refusal.
 * A CANCEL before the final response gets the INVITE answered 487 (§9.2).
 *
 * The dialog exists from the first response with our To tag (an early dialog, §12.1.1); it
 * is a DialogLeg from then on, which handles everything inside it (BYE, re-INVITE, ...).
 * One To tag for everything we send the caller: the B2BUA hides the callee's forks.
 */
import { Dialog } from '../../sip/dialog/dialog.js';
import { newTag } from '../../sip/dialog/dialog-id.js';
import type { SipRequest } from '../../sip/message.js';
import type { ServerTransaction } from '../../sip/transaction/transaction-layer.js';
import type { Flow } from '../../sip/transport/flow.js';
import type { SessionDescription } from '../../rtp/sdp/index.js';
import { DialogLeg, type DialogLegOwner } from './dialog-leg.js';
import type { LegContext } from './leg-context.js';
import { buildResponse, type ResponseExtras } from './responses.js';
import type { UasNegotiation } from './session-timer.js';

export type InboundState = 'proceeding' | 'early' | 'answered' | 'refused';

export interface InboundLegOptions {
  /** The caller's offer, or undefined for an INVITE without SDP (we offer in the 2xx). */
  offer: SessionDescription | undefined;
  /** RFC 4028 as negotiated from the INVITE (session-timer.ts). */
  timer: UasNegotiation;
  /** Device extension of the caller. */
  device: string | null;
}

export class InboundLeg {
  state: InboundState = 'proceeding';
  readonly tag = newTag();
  readonly offer: SessionDescription | undefined;
  /** The dialog with the caller, from our first tagged response on. */
  dialogLeg: DialogLeg | undefined;
  /** Who handles requests in the dialog (set by the Call before any response goes out). */
  owner: DialogLegOwner | undefined;

  constructor(
    private readonly ctx: LegContext,
    readonly invite: SipRequest,
    readonly tx: ServerTransaction,
    readonly flow: Flow,
    private readonly opts: InboundLegOptions,
  ) {
    this.offer = opts.offer;
  }

  get device(): string | null {
    return this.opts.device;
  }

  /** Still without a final response. */
  get pending(): boolean {
    return this.state === 'proceeding' || this.state === 'early';
  }

  /** 180 Ringing, or 183 Session Progress with our SDP (early media, RFC 3261 §13.3.1.1). */
  provisional(status: 180 | 183, body?: string): void {
    if (!this.pending) return;
    const leg = this.ensureDialog();
    const extras: ResponseExtras = { toTag: this.tag, copyRecordRoute: true, headers: [['Contact', leg.contact()], ['Allow', this.ctx.allow], ['Supported', this.ctx.supported]] };
    if (body !== undefined) extras.body = body;
    this.ctx.sip.respond(this.tx, buildResponse(this.invite, status, extras));
    this.state = 'early';
  }

  /** Our 2xx: an answer to the caller's offer, or our offer when it made none (§13.2.1). */
  accept(body: string): DialogLeg {
    const leg = this.ensureDialog();
    if (!this.pending) return leg;
    const headers: Array<readonly [string, string]> = [['Contact', leg.contact()], ['Allow', this.ctx.allow], ['Supported', this.ctx.supported]];
    if (this.opts.timer.kind === 'timer') headers.push(...this.opts.timer.headers);
    const res = buildResponse(this.invite, 200, { toTag: this.tag, copyRecordRoute: true, headers, body });
    this.ctx.sip.respond(this.tx, res);
    this.state = 'answered';
    leg.initial2xxSent(res, this.tx, this.offer === undefined, this.opts.timer);
    return leg;
  }

  /** A final refusal (3xx-6xx); an early dialog ends with it (§12.3). */
  refuse(status: number, extras: Omit<ResponseExtras, 'toTag'> = {}): void {
    if (!this.pending) return;
    this.ctx.sip.respond(this.tx, buildResponse(this.invite, status, { ...extras, toTag: this.tag }));
    this.state = 'refused';
    this.dialogLeg?.bye();
  }

  private ensureDialog(): DialogLeg {
    if (this.dialogLeg) return this.dialogLeg;
    const dialog = Dialog.uas(this.invite, { localTag: this.tag, localContact: this.ctx.contactFor(this.flow), flow: this.flow, state: 'early' });
    const leg = new DialogLeg(this.ctx, dialog, this.flow, this.opts.device, this.invite);
    leg.owner = this.owner;
    this.dialogLeg = leg;
    return leg;
  }
}
