/** Inputs of both server machines (RFC 3261 §17.2.1, §17.2.2), and helpers they share. */
import type { SipRequest, SipResponse } from '../message.js';
import type { Flow } from '../transport/flow.js';
import type { MachineContext } from './state-machine.js';
import type { ServerTx } from './transaction.js';
import { timerDuration } from './timer-values.js';

export interface ServerInputs {
  /** A retransmission of the request that created the transaction. */
  request: SipRequest;
  /** An ACK matching an INVITE server transaction (§17.2.3). */
  ack: { request: SipRequest; flow: Flow };
  /** Responses from the TU. */
  'send 1xx': SipResponse;
  'send 2xx': SipResponse;
  'send 300-699': SipResponse;
  'timer G': undefined;
  'timer H': undefined;
  'timer I': undefined;
  'timer J': undefined;
  'timer L': undefined;
  'transport error': undefined;
}

/** Sends a response from the TU and remembers it for retransmissions. */
export function sendResponse(ctx: MachineContext, tx: ServerTx, res: SipResponse): void {
  const data = ctx.serialize(res);
  tx.lastResponse = res;
  tx.responseData = data;
  if (res.status >= 200) {
    // From here on only the serialized response is needed (retransmissions, Timer G/J).
    if (!tx.isInvite && !tx.reliable && tx.rfc2543Bucket === undefined) {
      // §17.2.2 Completed absorbs retransmissions for 64*T1 and needs nothing else; RFC 2543
      // matching compares the stored request (rfc2543-matching.ts), so those keep it.
      tx.release();
    } else {
      // Let the parsed views go so they are not kept for the rest of the transaction's life.
      tx.request.headers.releaseTypedViews();
      res.headers.releaseTypedViews();
    }
  }
  if (res.status < 200) tx.provisionalData = data;
  ctx.transmit(tx, data, tx.responseFlow);
}

/** Re-sends the last response (a retransmitted request, Timer G). */
export function resendResponse(ctx: MachineContext, tx: ServerTx): void {
  tx.retransmissions++;
  ctx.transmit(tx, tx.responseData!, tx.responseFlow);
}

/** §17.2.1 / §17.2.2: a retransmitted request in Proceeding re-sends the most recent provisional response. */
export function resendProvisional(ctx: MachineContext, tx: ServerTx): void {
  if (tx.provisionalData === undefined) return; // nothing sent yet (no automatic 100 for non-INVITE)
  tx.retransmissions++;
  ctx.transmit(tx, tx.provisionalData, tx.responseFlow);
}

/** Starts Timer I or J, or terminates at once when it is zero (reliable transports). */
export function waitThenTerminate(ctx: MachineContext, tx: ServerTx, name: 'I' | 'J' | 'L'): void {
  const delay = timerDuration(ctx.settings, name, tx.reliable);
  if (delay === 0) ctx.terminate(tx);
  else ctx.startTimer(tx, name, delay);
}

/**
 * RFC 6026 §8.8 (updating RFC 3261 §17.2.4): the TU is told of the failure and the server
 * transaction MUST remain in its current state; its timers end it.
 */
export function reportTransportError(ctx: MachineContext, tx: ServerTx): void {
  ctx.emit({ type: 'transport-error', tx });
}
