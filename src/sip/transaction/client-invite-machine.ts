/**
 * The INVITE client transaction (RFC 3261 §17.1.1, Figure 5) with RFC 6026's Accepted state.
 *
 *   Pending    start: send INVITE, A=T1 (unreliable), B=64*T1 -> Calling
 *   Calling    Timer A: re-send, A=2A             Timer B / transport error: to TU -> Terminated
 *              1xx: to TU -> Proceeding           2xx: to TU, M=64*T1 -> Accepted (RFC 6026 §7.2)
 *              300-699: ACK, to TU, D -> Completed
 *   Proceeding 1xx: to TU                         2xx / 300-699 / transport error: as in Calling
 *   Completed  300-699: re-send ACK, not to TU    Timer D (>=32 s unreliable, 0 reliable) -> Terminated
 *              1xx: absorbed                      2xx: stray-response event (state unchanged)
 *   Accepted   2xx: to TU (retransmissions and other forks, RFC 6026 §7.2)
 *              1xx / 300-699: absorbed            Timer M -> Terminated
 *
 * A CANCEL made by `cancel()` before any provisional response waits in Pending (§9.1); it is
 * started by the first 1xx and abandoned by a final response or the end of the INVITE.
 */
import { clientNonInviteMachine } from './client-non-invite-machine.js';
import { emitResponse, retransmitRequest, timeout, transportFailure, waitThenTerminate, type ClientInputs } from './client-inputs.js';
import { ackForNon2xx } from './hop-by-hop-requests.js';
import { ignore, StateMachine, type Handler, type MachineContext } from './state-machine.js';
import type { ClientTransactionState, ClientTx, ResponseInput } from './transaction.js';

/** §17.1.1.2: send the INVITE; Timer A = T1 on unreliable transports, Timer B = 64*T1 always. */
function start(ctx: MachineContext, tx: ClientTx): void {
  tx.state = 'Calling';
  ctx.transmit(tx, tx.data!, tx.flow);
  if (!tx.reliable) {
    tx.interval = ctx.settings.t1;
    ctx.startTimer(tx, 'A', tx.interval);
  }
  ctx.startTimer(tx, 'B', 64 * ctx.settings.t1);
}

/** §17.1.1.2: Timer A re-sends the INVITE and doubles (no T2 cap for INVITE requests). */
function timerA(ctx: MachineContext, tx: ClientTx): void {
  retransmitRequest(ctx, tx);
  tx.interval *= 2;
  ctx.startTimer(tx, 'A', tx.interval);
}

/** §17.1.1.2: a provisional response stops retransmissions (Proceeding) and goes to the TU. */
function firstProvisional(ctx: MachineContext, tx: ClientTx, input: ResponseInput): void {
  tx.state = 'Proceeding';
  ctx.stopTimers(tx);
  emitResponse(ctx, tx, input);
  // §9.1: a CANCEL requested before any provisional response may go now.
  const cancel = tx.cancelTransaction;
  if (cancel !== undefined && cancel.state === 'Pending') clientNonInviteMachine.fire(ctx, cancel, 'start', undefined);
}

/** RFC 6026 §7.2: a 2xx moves Calling/Proceeding to Accepted; Timer M = 64*T1; no ACK here (the TU sends it, §13.2.2.4). */
function accepted(ctx: MachineContext, tx: ClientTx, input: ResponseInput): void {
  tx.state = 'Accepted';
  ctx.stopTimers(tx);
  abandonPendingCancel(ctx, tx);
  emitResponse(ctx, tx, input);
  waitThenTerminate(ctx, tx, 'M');
}

/** §17.1.1.2: a 300-699 response is ACKed (§17.1.1.3), passed up, and Timer D starts. */
function rejected(ctx: MachineContext, tx: ClientTx, input: ResponseInput): void {
  tx.state = 'Completed';
  ctx.stopTimers(tx);
  abandonPendingCancel(ctx, tx);
  tx.ackData = ctx.serialize(ackForNon2xx(tx.request, input.response));
  ctx.transmit(tx, tx.ackData, tx.flow);
  emitResponse(ctx, tx, input);
  waitThenTerminate(ctx, tx, 'D');
}

/** §17.1.1.2: a retransmitted final response in Completed re-sends the ACK; the TU does not see it. */
function resendAck(ctx: MachineContext, tx: ClientTx): void {
  tx.retransmissions++;
  ctx.transmit(tx, tx.ackData!, tx.flow);
}

/** A 2xx after a non-2xx final response (a misbehaving fork): reported, the transaction unchanged. */
function strayAfterCompleted(ctx: MachineContext, _tx: ClientTx, input: ResponseInput): void {
  ctx.emit({ type: 'stray-response', response: input.response, flow: input.flow });
}

/** RFC 6026 §7.2: in Accepted every matching 2xx (retransmissions, other forks) goes to the TU. */
function acceptedAgain(ctx: MachineContext, tx: ClientTx, input: ResponseInput): void {
  emitResponse(ctx, tx, input);
}

/** §9.1: "If the original request has generated a final response, the CANCEL SHOULD NOT be sent." */
function abandonPendingCancel(ctx: MachineContext, tx: ClientTx): void {
  const cancel = tx.cancelTransaction;
  if (cancel !== undefined && cancel.state === 'Pending') clientNonInviteMachine.fire(ctx, cancel, 'abandon', undefined);
}

function failed(ctx: MachineContext, tx: ClientTx): void {
  abandonPendingCancel(ctx, tx);
  transportFailure(ctx, tx);
}

const timerB: Handler<ClientTx, undefined> = (ctx, tx) => {
  abandonPendingCancel(ctx, tx);
  timeout(ctx, tx, 'B');
};
const terminate: Handler<ClientTx, undefined> = (ctx, tx) => ctx.terminate(tx);

export const clientInviteMachine = new StateMachine<ClientTransactionState, ClientInputs, ClientTx>('INVITE client transaction', {
  Pending: { start },
  Calling: {
    'timer A': timerA,
    'timer B': timerB,
    '1xx': firstProvisional,
    '2xx': accepted,
    '300-699': rejected,
    'transport error': failed,
  },
  Proceeding: {
    '1xx': emitResponse,
    '2xx': accepted,
    '300-699': rejected,
    'transport error': failed,
  },
  Completed: {
    '1xx': ignore,
    '2xx': strayAfterCompleted,
    '300-699': resendAck,
    'timer D': terminate,
    'transport error': transportFailure,
  },
  Accepted: {
    '1xx': ignore,
    '2xx': acceptedAgain,
    '300-699': ignore,
    'timer M': terminate,
    // Nothing is sent in Accepted; a late failure report for the INVITE changes nothing.
    'transport error': ignore,
  },
  Trying: {},
  Terminated: {},
});
