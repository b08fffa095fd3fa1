/**
 * Numbers the switch answers itself instead of ringing phones: conference rooms today
 * (src/app/conference), IVR menus and voicemail later. CallManager asks each handler, in
 * order, whether it serves the dialled number once an INVITE is authenticated and its
 * Contact, SDP and Session-Expires passed admission (call-admission.ts steps 1-4); the
 * first that does takes the INVITE instead of routing (step 5).
 *
 * The handler answers as the UAS itself (InboundLeg, its own media endpoint) and owns the
 * dialog from then on. A blind transfer (REFER, RFC 3515) to a served number is handed to
 * the handler too (`transferIn`): the transferee's dialog moves to it.
 */
import type { SessionDescription } from '../../rtp/sdp/index.js';
import type { SipRequest } from '../../sip/message.js';
import type { ServerTransaction } from '../../sip/transaction/transaction-layer.js';
import type { Flow } from '../../sip/transport/flow.js';
import type { CallerIdentity } from './caller-id.js';
import type { CallHistoryRecorder } from './call-history-recorder.js';
import type { CallSettings } from './call-settings.js';
import type { DialogLeg } from './dialog-leg.js';
import type { LegContext } from './leg-context.js';
import type { LiveCallSource } from './live-calls.js';
import type { UasNegotiation } from './session-timer.js';

/** What CallManager gives a handler once (`bind`). */
export interface NumberHandlerEnvironment {
  ctx: LegContext;
  settings: CallSettings;
  history: CallHistoryRecorder;
  /** The address our SDP names (c=, o=). */
  mediaAddress: string;
  /** The INVITE got its final response or was taken back: a CANCEL no longer finds it. */
  settled(invite: SipRequest): void;
  /** Something happened outside a SIP request or timer (a media event): re-read the deadlines. */
  touched(): void;
}

/** An INVITE that passed admission, for a number a handler serves. */
export interface ServedInvite {
  req: SipRequest;
  tx: ServerTransaction;
  flow: Flow;
  caller: CallerIdentity;
  dialled: string;
  offer: SessionDescription | undefined;
  timer: UasNegotiation;
}

/** What CallManager keeps of a served INVITE until its final response: a CANCEL reaches it (RFC 3261 §9.2). */
export interface ServedCall {
  callerCancelled(): void;
}

/** A party a blind transfer sends to a served number: its dialog leaves the transferred call. */
export interface TransferredParty {
  /** The transferee's dialog with us (its owner is to be replaced by the handler). */
  leg: DialogLeg;
  transferee: CallerIdentity;
  /** Who sent the REFER. */
  referrer: CallerIdentity;
  dialled: string;
}

/** The dialog ids a Replaces header names (RFC 3891 §6.1); tags in either order. */
export interface NamedDialog {
  callId: string;
  toTag: string;
  fromTag: string;
}

/** A dialog of a served call that a REFER with Replaces names (an attended transfer into it). */
export interface ServedDialog {
  /** The device of the phone in that dialog (RFC 3891 §6: only the same user may have it replaced). */
  device: string | null;
  /** The transferee takes the dialog's place; the replaced dialog gets BYE (RFC 3891 §3). */
  takeOver(party: TransferredParty): void;
}

export interface NumberHandler extends Partial<LiveCallSource> {
  bind?(env: NumberHandlerEnvironment): void;
  /** Whether the handler answers calls to `number` itself. */
  serves(number: string): boolean;
  /** Takes the INVITE: answers it (or refuses it) from now on. */
  accept(invite: ServedInvite): ServedCall;
  /** A blind transfer to a served number: the handler takes the transferee's dialog (re-INVITE with its own media). */
  transferIn?(party: TransferredParty): void;
  /** The answered dialog of one of the handler's calls that `named` names, if any (REFER with Replaces). */
  findDialog?(named: NamedDialog): ServedDialog | undefined;
  /** The switch stops: end everything. */
  stop?(): void;
}
