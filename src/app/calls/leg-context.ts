/**
 * What a call leg is given by CallManager (the services all legs share) and what it tells
 * its owner (the Call it belongs to). A leg never knows the other leg: the Call does the
 * back-to-back part, so one side's leg can be replaced by another (a transfer) without the
 * legs noticing.
 */
import type { Logger } from '../../log/logger.js';
import type { SessionDescription } from '../../rtp/sdp/index.js';
import type { Dialog } from '../../sip/dialog/dialog.js';
import type { SipRequest, SipResponse } from '../../sip/message.js';
import type { ClientTransaction, ServerTransaction } from '../../sip/transaction/transaction-layer.js';
import type { Flow } from '../../sip/transport/flow.js';
import type { Clock } from '../../time/clock.js';
import type { CallTimers } from './call-timers.js';
import type { ClientEvent, SipPort } from './sip-port.js';

export interface LegContext {
  readonly sip: SipPort;
  readonly timers: CallTimers;
  readonly clock: Clock;
  readonly log: Logger;
  /** [0, 1), for the RFC 3261 §14.1 glare back-off (seeded in tests). */
  readonly random: () => number;
  /** Our Allow header value (RFC 3261 §20.5). */
  readonly allow: string;
  /** Our Supported option tags (RFC 3261 §20.37). */
  readonly supported: string;
  /** Our session interval when a phone asks for RFC 4028 timers (s). */
  readonly sessionExpires: number;
  /** warn-agent for Warning header fields (RFC 3261 §20.43). */
  readonly agent: string;
  /** Our Contact for a dialog over `flow` (`<sip:host:port;transport=...>`). */
  contactFor(flow: Flow): string;
  /** The events of `tx` go to `handler` (until the transaction ends). */
  track(tx: ClientTransaction, handler: (e: ClientEvent) => void): void;
  /** Requests and ACKs inside `dialog` go to `leg` (§12.2.2 matching by dialog id). */
  bindDialog(dialog: Dialog, leg: DialogLegLike): void;
  unbindDialog(dialog: Dialog): void;
  /** Re-sends a 2xx to an INVITE until its ACK (§13.3.1.4); `onTimeout` after 64*T1 without one. */
  retransmit2xx(res: SipResponse, flow: Flow, onTimeout: () => void): string;
  stop2xx(key: string): void;
}

/** What CallManager calls on a leg bound to a dialog. */
export interface DialogLegLike {
  handleRequest(req: SipRequest, tx: ServerTransaction): void;
  handleAck(ack: SipRequest): void;
  /** A 2xx that matched no transaction any more (RFC 6026 §8.9 stray): re-send its ACK. */
  handleStray2xx(res: SipResponse): void;
}

/** An offer (or a request for one) that a leg's phone sent in a re-INVITE or UPDATE. */
export type OfferResult = { body: string } | { status: number; reason?: string; warning?: string; retryAfter?: number };

/** Why a leg's dialog ended other than by a BYE from its phone. */
export type LegEndReason = 'no ACK' | 'session expired' | 'dialog gone' | 'request timed out';

export interface LegOwner<L> {
  /** BYE from the leg's phone (already answered 200). */
  legBye(leg: L, req: SipRequest): void;
  /** re-INVITE/UPDATE with an offer (`offer`), or asking for ours (undefined); RFC 3264 §8. */
  legOffer(leg: L, offer: SessionDescription | undefined, method: 'INVITE' | 'UPDATE'): OfferResult;
  /** The answer to our offer arrived (a 2xx to our re-INVITE/UPDATE, or the ACK of a 2xx with our offer). */
  legAnswer(leg: L, answer: SessionDescription | undefined, via: 'ACK' | '2xx'): void;
  /** INFO in the dialog (RFC 6086); returns the status to answer. */
  legInfo(leg: L, req: SipRequest): number;
  /** REFER in the dialog (RFC 3515): the owner answers `tx`. */
  legRefer(leg: L, req: SipRequest, tx: ServerTransaction): void;
  /** NOTIFY in the dialog (RFC 6665, RFC 3515 §2.4.4): the owner answers `tx`. */
  legNotify(leg: L, req: SipRequest, tx: ServerTransaction): void;
  /** The dialog is over for a reason of its own; the leg has sent BYE where one was due. */
  legEnded(leg: L, why: LegEndReason): void;
}
