/**
 * The hook transfers (REFER, RFC 3515; REFER with Replaces, RFC 3891; NOTIFY progress and
 * the identity update after a transfer) plug into. The call core itself implements none of
 * it: without a TransferHandler a REFER is answered 501 Not Implemented (RFC 3515 §2.4.1
 * allows refusing) and REFER is not listed in Allow.
 *
 * What a handler gets to work with (see call.ts): the Call, the DialogLeg the request came
 * on, `call.legs`, `call.media` (offer/answer per side, relay), `call.replaceLeg(side, leg)`
 * to put a new dialog in place of one side, and `leg.request(...)` / `leg.sendOffer(...)`
 * to send REFER, NOTIFY or a re-INVITE/UPDATE carrying a new P-Asserted-Identity.
 *
 * CallManager hands the handler its shared services once (`bind`: the leg context for new
 * dialogs and timers, routing, history, the live calls a Replaces may name) and tells it
 * when a call ends (`callEnded`), so a transfer still ringing its target can stop.
 */
import type { SipRequest } from '../../sip/message.js';
import type { ServerTransaction } from '../../sip/transaction/transaction-layer.js';
import type { Flow } from '../../sip/transport/flow.js';
import type { Call } from './call.js';
import type { CallHistoryRecorder } from './call-history-recorder.js';
import type { CallDirectory } from './call-routing.js';
import type { CallSettings } from './call-settings.js';
import type { DialogLeg } from './dialog-leg.js';
import type { LegContext } from './leg-context.js';
import type { NamedDialog, NumberHandler, ServedDialog } from './number-handler.js';

/** What a TransferHandler works with besides the Call it is given (CallManager's own services). */
export interface TransferEnvironment {
  ctx: LegContext;
  directory: CallDirectory;
  settings: CallSettings;
  /** sip.domain, for identities (From, P-Asserted-Identity, Referred-By). */
  domain: string;
  history: CallHistoryRecorder;
  /** The live calls by id (a Replaces names a dialog of one of them). */
  calls: ReadonlyMap<string, Call>;
  /** The handler that answers `number` itself (a conference room), if any: a blind transfer goes to it. */
  servedBy?(number: string): NumberHandler | undefined;
  /** A dialog of a served call (a conference room leg) that a Replaces names: an attended transfer into it. */
  servedDialog?(named: NamedDialog): ServedDialog | undefined;
}

export interface TransferHandler {
  /** Called once by CallManager's constructor with the services the handler needs. */
  bind?(env: TransferEnvironment): void;
  /** A call ended (any reason): a transfer in progress on it stops. */
  callEnded?(call: Call): void;
  /** Methods added to our Allow (e.g. REFER, NOTIFY). */
  readonly methods: readonly string[];
  /** Option tags added to our Supported (e.g. replaces, norefersub). */
  readonly optionTags: readonly string[];
  /** A REFER inside one of the call's dialogs: answer `tx` (202 ...) and carry it out. */
  refer(call: Call, leg: DialogLeg, req: SipRequest, tx: ServerTransaction): void;
  /** A NOTIFY inside one of the call's dialogs (progress of a REFER we sent). */
  notify(call: Call, leg: DialogLeg, req: SipRequest, tx: ServerTransaction): void;
  /** A new INVITE with Replaces (RFC 3891): return true when the handler took it. */
  inviteWithReplaces?(req: SipRequest, tx: ServerTransaction, flow: Flow, callerDevice: string): boolean;
}
