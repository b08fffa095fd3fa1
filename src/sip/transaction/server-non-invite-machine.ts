/**
 * The non-INVITE server transaction (RFC 3261 §17.2.2, Figure 8).
 *
 *   Trying     request retransmission: discarded   1xx from TU: send -> Proceeding
 *              200-699 from TU: send, J -> Completed
 *   Proceeding request retransmission: re-send the last provisional
 *              1xx from TU: send                   200-699 from TU: send, J -> Completed
 *   Completed  request retransmission: re-send the final response
 *              Timer J (64*T1 unreliable, 0 reliable) -> Terminated
 *   any        transport error: told to the TU, state kept (RFC 6026 §8.8)
 *
 * A response from the TU in Completed or Terminated throws (a request has one final answer).
 */
import { reportTransportError, resendProvisional, resendResponse, sendResponse, waitThenTerminate, type ServerInputs } from './server-inputs.js';
import { ignore, StateMachine, type MachineContext } from './state-machine.js';
import type { ServerTransactionState, ServerTx } from './transaction.js';
import type { SipResponse } from '../message.js';

/** §17.2.2: a provisional response from the TU is sent; Trying -> Proceeding. */
function provisional(ctx: MachineContext, tx: ServerTx, res: SipResponse): void {
  tx.state = 'Proceeding';
  sendResponse(ctx, tx, res);
}

/** §17.2.2: a final response is sent; Completed; Timer J = 64*T1 (unreliable) or 0 (reliable). */
function final(ctx: MachineContext, tx: ServerTx, res: SipResponse): void {
  tx.state = 'Completed';
  sendResponse(ctx, tx, res);
  waitThenTerminate(ctx, tx, 'J');
}

export const serverNonInviteMachine = new StateMachine<ServerTransactionState, ServerInputs, ServerTx>('non-INVITE server transaction', {
  Trying: {
    // §17.2.2: "any further request retransmissions are discarded" while in Trying.
    request: ignore,
    'send 1xx': provisional,
    'send 2xx': final,
    'send 300-699': final,
    'transport error': reportTransportError,
  },
  Proceeding: {
    request: resendProvisional,
    'send 1xx': provisional,
    'send 2xx': final,
    'send 300-699': final,
    'transport error': reportTransportError,
  },
  Completed: {
    request: resendResponse,
    'timer J': (ctx, tx) => ctx.terminate(tx),
    'transport error': reportTransportError,
  },
  Confirmed: {},
  Accepted: {},
  Terminated: {},
});
