/** Inputs of both client machines (RFC 3261 §17.1.1, §17.1.2), and helpers they share. */
import type { MachineContext } from './state-machine.js';
import type { ClientTx, ResponseInput } from './transaction.js';
import { timerDuration, type TimerName } from './timer-values.js';

export interface ClientInputs {
  /** The layer sends the request (a CANCEL: once its INVITE has a provisional response). */
  start: undefined;
  /** A CANCEL still Pending when its INVITE got a final response (§9.1: then it is never sent). */
  abandon: undefined;
  '1xx': ResponseInput;
  '2xx': ResponseInput;
  '300-699': ResponseInput;
  'timer A': undefined;
  'timer B': undefined;
  'timer D': undefined;
  'timer E': undefined;
  'timer F': undefined;
  'timer K': undefined;
  'timer M': undefined;
  'transport error': undefined;
}

export function emitResponse(ctx: MachineContext, tx: ClientTx, input: ResponseInput): void {
  tx.lastResponse = input.response;
  ctx.emit({ type: 'response', response: input.response, tx, flow: input.flow });
}

/** Re-sends the request (Timers A and E). */
export function retransmitRequest(ctx: MachineContext, tx: ClientTx): void {
  tx.retransmissions++;
  ctx.transmit(tx, tx.data!, tx.flow);
}

/** Starts a wait timer (D, K, M ...), or terminates at once when it is zero (reliable transports). */
export function waitThenTerminate(ctx: MachineContext, tx: ClientTx, name: 'D' | 'K' | 'M'): void {
  const delay = timerDuration(ctx.settings, name, tx.reliable);
  if (delay === 0) ctx.terminate(tx);
  else ctx.startTimer(tx, name, delay);
}

/** RFC 3261 §17.1.4: a transport failure is reported to the TU and ends the transaction. */
export function transportFailure(ctx: MachineContext, tx: ClientTx): void {
  ctx.emit({ type: 'transport-error', tx });
  ctx.terminate(tx);
}

/** Timer B or F: the TU is told (it treats it as a 408, §8.1.3.1) and the transaction ends. */
export function timeout(ctx: MachineContext, tx: ClientTx, timer: Extract<TimerName, 'B' | 'F'>): void {
  ctx.emit({ type: 'timeout', tx, timer });
  ctx.terminate(tx);
}
