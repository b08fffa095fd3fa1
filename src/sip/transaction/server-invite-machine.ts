/**
 * The INVITE server transaction (RFC 3261 §17.2.1, Figure 7) with RFC 6026's Accepted state.
 *
 *   Proceeding INVITE retransmission: re-send the last provisional (the layer's 100 Trying or the TU's)
 *              1xx from TU: send                   2xx from TU: send, L=64*T1 -> Accepted (RFC 6026 §7.1)
 *              300-699 from TU: send, G=T1 (unreliable), H=64*T1 -> Completed
 *   Completed  INVITE retransmission / Timer G: re-send the final response, G=min(2G,T2)
 *              ACK: -> Confirmed, I (T4 unreliable, 0 reliable)
 *              Timer H: timeout to TU -> Terminated
 *   Confirmed  ACK / INVITE retransmission: absorbed   Timer I -> Terminated
 *   Accepted   INVITE retransmission: absorbed, not passed to the TU (RFC 6026 §7.1)
 *              ACK: passed to the TU (RFC 6026 §7.1)   2xx from TU: send (the TU's retransmissions)
 *              Timer L -> Terminated
 *   any        transport error: told to the TU, state kept (RFC 6026 §8.8)
 */
import type { SipResponse } from '../message.js';
import { reportTransportError, resendProvisional, resendResponse, sendResponse, waitThenTerminate, type ServerInputs } from './server-inputs.js';
import { ignore, StateMachine, type MachineContext } from './state-machine.js';
import type { ServerTransactionState, ServerTx } from './transaction.js';

/** §17.2.1: provisional responses from the TU are sent; the state stays Proceeding. */
function provisional(ctx: MachineContext, tx: ServerTx, res: SipResponse): void {
  sendResponse(ctx, tx, res);
}

/** RFC 6026 §7.1: a 2xx is sent once (the TU retransmits it, §13.3.1.4); Accepted; Timer L = 64*T1. */
function accepted(ctx: MachineContext, tx: ServerTx, res: SipResponse): void {
  tx.state = 'Accepted';
  sendResponse(ctx, tx, res);
  waitThenTerminate(ctx, tx, 'L');
}

/** §17.2.1: a 300-699 is sent; Completed; Timer G = T1 on unreliable transports; Timer H = 64*T1. */
function rejected(ctx: MachineContext, tx: ServerTx, res: SipResponse): void {
  tx.state = 'Completed';
  sendResponse(ctx, tx, res);
  if (!tx.reliable) {
    tx.interval = ctx.settings.t1;
    ctx.startTimer(tx, 'G', tx.interval);
  }
  ctx.startTimer(tx, 'H', 64 * ctx.settings.t1);
}

/** §17.2.1: Timer G re-sends the final response and doubles up to T2. */
function timerG(ctx: MachineContext, tx: ServerTx): void {
  resendResponse(ctx, tx);
  tx.interval = Math.min(2 * tx.interval, ctx.settings.t2);
  ctx.startTimer(tx, 'G', tx.interval);
}

/** §17.2.1: Timer H fires without an ACK: the TU is told (the "no ACK" failure) and it ends. */
function timerH(ctx: MachineContext, tx: ServerTx): void {
  ctx.emit({ type: 'timeout', tx, timer: 'H' });
  ctx.terminate(tx);
}

/** §17.2.1: the ACK moves Completed to Confirmed; G and H stop; Timer I absorbs further ACKs. */
function confirmed(ctx: MachineContext, tx: ServerTx): void {
  tx.state = 'Confirmed';
  ctx.stopTimers(tx);
  waitThenTerminate(ctx, tx, 'I');
}

/** RFC 6026 §7.1: ACKs received in Accepted go directly to the TU. */
function ackToTu(ctx: MachineContext, _tx: ServerTx, ack: ServerInputs['ack']): void {
  ctx.emit({ type: 'ack', request: ack.request, flow: ack.flow });
}

export const serverInviteMachine = new StateMachine<ServerTransactionState, ServerInputs, ServerTx>('INVITE server transaction', {
  Proceeding: {
    request: resendProvisional,
    // An ACK before any final response acknowledges nothing.
    ack: ignore,
    'send 1xx': provisional,
    'send 2xx': accepted,
    'send 300-699': rejected,
    'transport error': reportTransportError,
  },
  Completed: {
    // §17.2.1: "if a request retransmission is received, the server SHOULD pass the response to the transport".
    request: resendResponse,
    ack: confirmed,
    'timer G': timerG,
    'timer H': timerH,
    'transport error': reportTransportError,
  },
  Confirmed: {
    request: ignore,
    ack: ignore,
    'timer I': (ctx, tx) => ctx.terminate(tx),
    'transport error': ignore,
  },
  Accepted: {
    request: ignore,
    ack: ackToTu,
    'send 2xx': (ctx, tx, res) => sendResponse(ctx, tx, res),
    'timer L': (ctx, tx) => ctx.terminate(tx),
    'transport error': reportTransportError,
  },
  Trying: {},
  Terminated: {},
});
