/**
 * Our INVITE to one device (a fork of the call), as its UAC (RFC 3261 §13.2):
 *
 *   1xx ........... progress to the fork (180 ringing; 183/180 with SDP: early media)
 *   first 2xx ..... a DialogLeg (confirmed dialog, §13.2.2.4), ACKed at once; the fork
 *                   decides whether this device won the call
 *   2xx again ..... the same ACK re-sent (§13.2.2.4); a 2xx of another dialog (a proxy
 *                   forking further) is ACKed and ended with BYE
 *   3xx-6xx ....... the fork failed with that status (the transaction ACKs it, §17.1.1.3)
 *   timeout ....... 408; transport error: 503 (§8.1.3.1, §17.1.4)
 *
 * `abandon(reason)` when the call no longer wants this device: CANCEL (with the fork
 * policy's Reason, RFC 3326) while it rings; a 2xx that crosses the CANCEL (§9.1) is
 * ACKed and ended with BYE, so the device stops ringing either way.
 */
import { DialogSet } from '../../sip/dialog/dialog-set.js';
import type { SipRequest, SipResponse } from '../../sip/message.js';
import type { ClientTransaction } from '../../sip/transaction/transaction-layer.js';
import { SdpError, type SessionDescription } from '../../rtp/sdp/index.js';
import type { ForkTarget } from './call-routing.js';
import { DialogLeg, type DialogLegOwner } from './dialog-leg.js';
import type { LegContext } from './leg-context.js';
import { sdpOf } from './message-sdp.js';
import type { ClientEvent } from './sip-port.js';

/** Per-fork setting (issue 3): whether losing this fork sends Reason "Call completed elsewhere". */
export interface ForkPolicy {
  completedElsewhereReason: boolean;
}

export type OutboundState = 'calling' | 'ringing' | 'answered' | 'failed' | 'abandoned';

export interface OutboundListener {
  outboundProgress(leg: OutboundLeg, res: SipResponse, sdp: SessionDescription | undefined): void;
  outboundAnswered(leg: OutboundLeg, res: SipResponse, sdp: SessionDescription | undefined): void;
  outboundFailed(leg: OutboundLeg, status: number, reason: string): void;
}

export class OutboundLeg {
  state: OutboundState = 'calling';
  /** The confirmed dialog with the device, after its 2xx. */
  dialogLeg: DialogLeg | undefined;
  /** The final status when the fork failed. */
  failure: { status: number; reason: string } | undefined;
  private readonly set: DialogSet;
  private tx: ClientTransaction | undefined;

  constructor(
    private readonly ctx: LegContext,
    readonly target: ForkTarget,
    readonly invite: SipRequest,
    readonly policy: ForkPolicy,
    private readonly listener: OutboundListener,
    /** Who handles the dialog once the device answers. */
    public owner: DialogLegOwner | undefined,
  ) {
    this.set = new DialogSet(invite, { flow: target.binding.flow });
  }

  get device(): string {
    return this.target.device.ext;
  }

  /** Still ringing (no final response, not abandoned). */
  get pending(): boolean {
    return this.state === 'calling' || this.state === 'ringing';
  }

  start(): void {
    this.tx = this.ctx.sip.sendRequest(this.invite, this.target.binding.flow);
    this.ctx.track(this.tx, (e) => this.onEvent(e));
  }

  /** Stops this fork: CANCEL while it rings (RFC 3261 §9.1), with `reason` (RFC 3326) if given. */
  abandon(reason?: string): void {
    if (!this.pending) return;
    this.state = 'abandoned';
    if (this.tx) this.ctx.sip.cancel(this.tx, reason);
  }

  private onEvent(e: ClientEvent): void {
    if (e.type === 'timeout') return this.fail(408, 'Request Timeout');
    if (e.type === 'transport-error') return this.fail(503, 'Service Unavailable');
    const res = e.response;
    if (res.status < 200) return this.progress(res);
    if (res.status < 300) return this.answered(res);
    this.set.receiveResponse(res);
    this.fail(res.status, res.reason);
  }

  private progress(res: SipResponse): void {
    this.set.receiveResponse(res);
    if (!this.pending || res.status === 100) return;
    this.state = 'ringing';
    this.listener.outboundProgress(this, res, this.sdpIn(res));
  }

  private answered(res: SipResponse): void {
    const update = this.set.receiveResponse(res);
    if (update.kind === 'retransmission') {
      if (update.ack) this.ctx.sip.sendStateless(update.ack, this.target.binding.flow);
      return;
    }
    if (update.kind !== 'confirmed') return;
    const leg = new DialogLeg(this.ctx, update.dialog, this.target.binding.flow, this.device, res);
    this.ctx.sip.sendStateless(update.dialog.createAck(this.invite), this.target.binding.flow);
    if (this.dialogLeg !== undefined || this.state === 'abandoned' || this.state === 'failed') {
      // §9.1: a 2xx crossed our CANCEL, or a second dialog: ACKed above, ended now.
      leg.bye();
      return;
    }
    this.dialogLeg = leg;
    leg.owner = this.owner;
    leg.initial2xxReceived(res);
    this.state = 'answered';
    this.listener.outboundAnswered(this, res, this.sdpIn(res));
  }

  private fail(status: number, reason: string): void {
    if (this.state === 'answered' || this.state === 'failed') return;
    const wasAbandoned = this.state === 'abandoned';
    this.state = 'failed';
    this.failure = { status, reason };
    if (!wasAbandoned) this.listener.outboundFailed(this, status, reason);
  }

  private sdpIn(res: SipResponse): SessionDescription | undefined {
    try {
      return sdpOf(res);
    } catch (err) {
      if (!(err instanceof SdpError)) throw err;
      this.ctx.log.info({ event: 'call.bad_sdp', device: this.device, status: res.status, error: err.message }, `unusable SDP from ${this.device}`);
      return undefined;
    }
  }
}
