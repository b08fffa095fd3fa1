/**
 * The non-INVITE client transaction (RFC 3261 §17.1.2, Figure 6).
 *
 *                      start / send request, E=T1 (unreliable), F=64*T1
 *   Pending (CANCEL) ----------------------------------------------------> Trying
 *      | abandon (its INVITE got a final response: §9.1) -> Terminated
 *
 *   Trying     Timer E: re-send, E=min(2E,T2)    1xx: to TU -> Proceeding
 *              Timer F / transport error: to TU -> Terminated
 *              200-699: to TU -> Completed
 *   Proceeding Timer E: re-send, E=T2             1xx: to TU
 *              Timer F / transport error: to TU -> Terminated
 *              200-699: to TU -> Completed
 *   Completed  1xx-699: absorbed (response retransmissions)
 *              Timer K (T4 unreliable, 0 reliable) -> Terminated
 */
import { emitResponse, retransmitRequest, timeout, transportFailure, waitThenTerminate, type ClientInputs } from './client-inputs.js';
import { ignore, StateMachine, type Handler, type MachineContext } from './state-machine.js';
import type { ClientTransactionState, ClientTx, ResponseInput } from './transaction.js';

/** §17.1.2.2: send the request; Timer E = T1 on unreliable transports, Timer F = 64*T1 always. */
function start(ctx: MachineContext, tx: ClientTx): void {
  tx.state = 'Trying';
  ctx.transmit(tx, tx.data!, tx.flow);
  if (!tx.reliable) {
    tx.interval = ctx.settings.t1;
    ctx.startTimer(tx, 'E', tx.interval);
  }
  ctx.startTimer(tx, 'F', 64 * ctx.settings.t1);
}

/** §17.1.2.2: in Trying, Timer E is reset to MIN(2*interval, T2). */
function timerETrying(ctx: MachineContext, tx: ClientTx): void {
  retransmitRequest(ctx, tx);
  tx.interval = Math.min(2 * tx.interval, ctx.settings.t2);
  ctx.startTimer(tx, 'E', tx.interval);
}

/** §17.1.2.2: in Proceeding, Timer E is reset to T2. */
function timerEProceeding(ctx: MachineContext, tx: ClientTx): void {
  retransmitRequest(ctx, tx);
  tx.interval = ctx.settings.t2;
  ctx.startTimer(tx, 'E', tx.interval);
}

/** §17.1.2.2: a provisional response moves Trying to Proceeding and goes to the TU. */
function provisional(ctx: MachineContext, tx: ClientTx, input: ResponseInput): void {
  tx.state = 'Proceeding';
  emitResponse(ctx, tx, input);
}

/** §17.1.2.2: a final response (200-699) goes to the TU; Completed; Timer K. */
function final(ctx: MachineContext, tx: ClientTx, input: ResponseInput): void {
  tx.state = 'Completed';
  ctx.stopTimers(tx);
  emitResponse(ctx, tx, input);
  waitThenTerminate(ctx, tx, 'K');
}

const timerF: Handler<ClientTx, undefined> = (ctx, tx) => timeout(ctx, tx, 'F');
const terminate: Handler<ClientTx, undefined> = (ctx, tx) => ctx.terminate(tx);

export const clientNonInviteMachine = new StateMachine<ClientTransactionState, ClientInputs, ClientTx>('non-INVITE client transaction', {
  Pending: {
    start,
    abandon: terminate,
    '1xx': ignore,
    '2xx': ignore,
    '300-699': ignore,
    'transport error': ignore,
  },
  Calling: {},
  Trying: {
    'timer E': timerETrying,
    'timer F': timerF,
    '1xx': provisional,
    '2xx': final,
    '300-699': final,
    'transport error': transportFailure,
  },
  Proceeding: {
    'timer E': timerEProceeding,
    'timer F': timerF,
    '1xx': emitResponse,
    '2xx': final,
    '300-699': final,
    'transport error': transportFailure,
  },
  Completed: {
    // §17.1.2.2: Completed buffers response retransmissions.
    '1xx': ignore,
    '2xx': ignore,
    '300-699': ignore,
    'timer K': terminate,
    // Nothing is sent in Completed; a late failure report for an earlier send changes nothing.
    'transport error': ignore,
  },
  Accepted: {},
  Terminated: {},
});
