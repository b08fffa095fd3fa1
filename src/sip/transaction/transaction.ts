/**
 * Client and server transactions (RFC 3261 §17) as the transaction user sees them
 * (read-only views), and the mutable records the state machines work on.
 *
 * Per-transaction state is kept small: the request, its serialized bytes (serialized once,
 * reused for every retransmission), the last response and its bytes, a retransmission
 * interval and at most two timer nodes (one retransmission timer, one lifetime timer).
 *
 * A non-INVITE server transaction over UDP keeps even less once it has sent its final
 * response: in Completed it only re-sends that response to retransmissions, for 64*T1
 * (RFC 3261 §17.2.2, Timer J = 32 s), so it lets the parsed request and response go and
 * keeps their bytes. A registrar answering 3000 REGISTERs a second holds ~100k of these;
 * whatever they reference is promoted to the old generation and marked by every major GC.
 */
import type { SipRequest, SipResponse } from '../message.js';
import { parseMessage } from '../parser.js';
import { TransactionReleasedError } from './transaction-released-error.js';
import type { Flow } from '../transport/flow.js';
import type { HeapNode } from './timer-heap.js';
import type { TimerName } from './timer-values.js';

/**
 * States of the client machines. `Pending` is not an RFC state: it is a CANCEL waiting for
 * the first provisional response of its INVITE (RFC 3261 §9.1 forbids sending it earlier).
 */
export type ClientTransactionState = 'Pending' | 'Calling' | 'Trying' | 'Proceeding' | 'Completed' | 'Accepted' | 'Terminated';
export type ServerTransactionState = 'Trying' | 'Proceeding' | 'Completed' | 'Confirmed' | 'Accepted' | 'Terminated';

interface TransactionView {
  /** Unique among live transactions; `Transmit.tx` carries it for `transportError`. */
  readonly key: string;
  /**
   * The request that created the transaction (for a client one: as sent, top Via included).
   * A released server transaction (see ServerTransaction.released) no longer has it: reading
   * it then throws TransactionReleasedError.
   */
  readonly request: SipRequest;
  readonly method: string;
  readonly isInvite: boolean;
  /** Client: the flow the request is sent over. Server: the flow the request arrived on. */
  readonly flow: Flow;
  /** Whether `flow` is reliable (no retransmissions, zero wait timers). */
  readonly reliable: boolean;
  /**
   * The most recent response received (client) or sent (server). A released server
   * transaction parses it again from the bytes it sent, on each read.
   */
  readonly lastResponse: SipResponse | undefined;
  /** Retransmissions this transaction sent itself (Timers A, E, G and re-sent responses/ACKs). */
  readonly retransmissions: number;
}

export interface ClientTransaction extends TransactionView {
  readonly role: 'client';
  readonly state: ClientTransactionState;
  /** The RFC 3261 branch of the top Via (§8.1.1.7). */
  readonly branch: string;
  /** For an INVITE: its CANCEL once `cancel()` was called. */
  readonly cancelTransaction: ClientTransaction | undefined;
  /** For a CANCEL made by `cancel()`: the INVITE it cancels. */
  readonly cancels: ClientTransaction | undefined;
}

export interface ServerTransaction extends TransactionView {
  readonly role: 'server';
  readonly state: ServerTransactionState;
  /** Top Via branch; undefined or not an RFC 3261 branch for RFC 2543 requests (§17.2.3). */
  readonly branch: string | undefined;
  /** Where responses go (RFC 3261 §18.2.2, RFC 3581): `responseFlow(topVia, flow)`. */
  readonly responseFlow: Flow;
  /**
   * True once a non-INVITE transaction over an unreliable transport has sent its final
   * response: from then on it only absorbs retransmissions (RFC 3261 §17.2.2) and keeps the
   * response's bytes, not the parsed request and response.
   */
  readonly released: boolean;
}

export type Transaction = ClientTransaction | ServerTransaction;

/** Response handed to a client machine, with the flow it arrived on. */
export interface ResponseInput {
  response: SipResponse;
  flow: Flow;
}

/** One running timer. The retransmission slot holds A, E or G; the lifetime slot the others. */
export class TimerNode implements HeapNode {
  at = 0;
  seq = 0;
  index = -1;
  constructor(
    readonly tx: ClientTx | ServerTx,
    public name: TimerName,
  ) {}
}

abstract class TxRecord {
  retransmissions = 0;
  /** Current retransmission interval (Timers A, E, G). */
  interval = 0;
  retransmitTimer: TimerNode | undefined = undefined;
  lifetimeTimer: TimerNode | undefined = undefined;
  constructor(
    readonly key: string,
    readonly method: string,
    readonly flow: Flow,
    readonly reliable: boolean,
  ) {}
  get isInvite(): boolean {
    return this.method === 'INVITE';
  }
}

export class ClientTx extends TxRecord implements ClientTransaction {
  readonly role = 'client' as const;
  state: ClientTransactionState;
  lastResponse: SipResponse | undefined = undefined;
  /** The request as sent (serialized once, re-sent by Timers A and E). */
  data: Buffer | undefined;
  /** §17.1.1.3: the ACK for a non-2xx final response, re-sent on each retransmission of it. */
  ackData: Buffer | undefined = undefined;
  cancelTransaction: ClientTx | undefined = undefined;
  cancels: ClientTx | undefined = undefined;
  constructor(key: string, readonly request: SipRequest, method: string, flow: Flow, reliable: boolean, readonly branch: string, state: ClientTransactionState) {
    super(key, method, flow, reliable);
    this.state = state;
  }
}

export class ServerTx extends TxRecord implements ServerTransaction {
  readonly role = 'server' as const;
  state: ServerTransactionState;
  /** Bytes of `lastResponse`, re-sent for request retransmissions and Timer G. */
  responseData: Buffer | undefined = undefined;
  /** The most recent provisional response's bytes (§17.2.1, §17.2.2: re-sent in Proceeding). */
  provisionalData: Buffer | undefined = undefined;
  /** RFC 2543 matching bucket (§17.2.3), when the branch has no magic cookie. */
  rfc2543Bucket: string | undefined = undefined;
  private parsedRequest: SipRequest | undefined;
  private parsedResponse: SipResponse | undefined = undefined;
  constructor(
    key: string,
    request: SipRequest,
    method: string,
    flow: Flow,
    reliable: boolean,
    readonly branch: string | undefined,
    readonly responseFlow: Flow,
    state: ServerTransactionState,
  ) {
    super(key, method, flow, reliable);
    this.parsedRequest = request;
    this.state = state;
  }

  get released(): boolean {
    return this.parsedRequest === undefined;
  }

  get request(): SipRequest {
    if (this.parsedRequest === undefined) throw new TransactionReleasedError(this.method, this.state);
    return this.parsedRequest;
  }

  get lastResponse(): SipResponse | undefined {
    if (this.parsedResponse !== undefined || this.responseData === undefined || !this.released) return this.parsedResponse;
    const parsed = parseMessage(this.responseData);
    return parsed.ok && parsed.message.kind === 'response' ? parsed.message : undefined;
  }

  set lastResponse(res: SipResponse | undefined) {
    this.parsedResponse = res;
  }

  /** Lets the parsed request and response go (see `released`); their bytes stay. */
  release(): void {
    this.parsedRequest = undefined;
    this.parsedResponse = undefined;
  }
}
