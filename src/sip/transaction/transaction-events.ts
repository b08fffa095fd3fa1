/**
 * What the transaction layer hands back to its shell and transaction user (sans-IO outputs).
 */
import type { SipRequest, SipResponse } from '../message.js';
import type { Flow } from '../transport/flow.js';
import type { ClientTransaction, ServerTransaction } from './transaction.js';

/** Bytes to put on the wire. `tx` names the transaction to blame in `transportError(tx)`. */
export interface Transmit {
  /** Serialized once; retransmissions hand out the same Buffer (do not modify it). */
  data: Buffer;
  flow: Flow;
  tx?: string;
}

export type TransactionEvent =
  /** A new request for the TU (a CANCEL too, in its own server transaction: RFC 3261 §9.2). */
  | { type: 'request'; request: SipRequest; tx: ServerTransaction; flow: Flow }
  /**
   * An ACK that matched no transaction (the ACK for a 2xx, RFC 3261 §17.2.3 / §13.3.1.4), or
   * one that matched an INVITE server transaction in the Accepted state (RFC 6026 §7.1).
   */
  | { type: 'ack'; request: SipRequest; flow: Flow }
  /** Provisional and final responses of a client transaction, 2xx retransmissions in Accepted included (RFC 6026 §7.2). */
  | { type: 'response'; response: SipResponse; tx: ClientTransaction; flow: Flow }
  /**
   * A response that matched no transaction, or a 2xx that reached an INVITE client transaction
   * already Completed by a non-2xx. RFC 6026 §8.9: any element other than a stateless proxy
   * MUST silently discard it; the event exists for statistics and logging.
   */
  | { type: 'stray-response'; response: SipResponse; flow: Flow }
  /** Timer B or F (the TU treats it as a 408, RFC 3261 §8.1.3.1) or Timer H (no ACK, §17.2.1). */
  | { type: 'timeout'; tx: ClientTransaction | ServerTransaction; timer: 'B' | 'F' | 'H' }
  /** RFC 3261 §17.1.4 (client: then Terminated) / RFC 6026 §8.8 (server: stays in its state). */
  | { type: 'transport-error'; tx: ClientTransaction | ServerTransaction }
  | { type: 'terminated'; tx: ClientTransaction | ServerTransaction };
