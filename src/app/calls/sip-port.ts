/**
 * What call control needs of the SIP stack: the four ways to put a message on the wire. The
 * running switch passes its SipStack (which has exactly these methods); unit tests pass a
 * TransactionLayer on the in-memory network (test/unit/calls/support), so every request and
 * response goes through the real transaction layer, serialized and parsed again.
 *
 * Inputs come the other way, through the TransactionUser methods CallManager implements
 * (src/sip/stack/sip-stack.ts): `request`, `ack`, `clientEvent`, `strayResponse`.
 */
import type { SipMessage, SipRequest, SipResponse } from '../../sip/message.js';
import type { ClientTransaction, ServerTransaction, TransactionEvent } from '../../sip/transaction/transaction-layer.js';
import type { Flow } from '../../sip/transport/flow.js';

export interface SipPort {
  respond(tx: ServerTransaction, res: SipResponse): void;
  sendRequest(req: SipRequest, flow: Flow): ClientTransaction;
  /** RFC 3261 §9.1 CANCEL of a client INVITE; `reason` is a Reason header value (RFC 3326). */
  cancel(tx: ClientTransaction, reason?: string): ClientTransaction;
  /** ACK for a 2xx (§13.2.2.4) and the UAS core's 2xx retransmissions (§13.3.1.4). */
  sendStateless(msg: SipMessage, flow: Flow): void;
}

/** Events of client transactions (and Timer H of server INVITEs), as the stack hands them to its TU. */
export type ClientEvent = Extract<TransactionEvent, { type: 'response' | 'timeout' | 'transport-error' }>;
