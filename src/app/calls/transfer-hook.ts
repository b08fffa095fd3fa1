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
 */
import type { SipRequest } from '../../sip/message.js';
import type { ServerTransaction } from '../../sip/transaction/transaction-layer.js';
import type { Flow } from '../../sip/transport/flow.js';
import type { Call } from './call.js';
import type { DialogLeg } from './dialog-leg.js';

export interface TransferHandler {
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
