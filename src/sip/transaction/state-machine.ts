/**
 * The shape every transaction state machine shares: one table per machine, (state, input)
 * -> handler. An input with no entry for the current state throws TransactionStateError;
 * the tables spell out every input they ignore, so a missing entry is always a bug (h11
 * style: illegal edges are loud). Handlers act through a MachineContext, the transaction
 * layer, which owns the wire, the timer heap and the event queue.
 */
import type { SipMessage } from '../message.js';
import type { Flow } from '../transport/flow.js';
import type { TransactionEvent } from './transaction-events.js';
import { TransactionStateError } from './transaction-state-error.js';
import type { ClientTx, ServerTx } from './transaction.js';
import type { TimerName, TimerSettings } from './timer-values.js';

export interface MachineContext {
  readonly settings: TimerSettings;
  transmit(tx: ClientTx | ServerTx, data: Buffer, flow: Flow): void;
  emit(event: TransactionEvent): void;
  serialize(msg: SipMessage): Buffer;
  /** Starts (or restarts) a timer `delay` ms from now; A, E and G share one slot, the rest the other. */
  startTimer(tx: ClientTx | ServerTx, name: TimerName, delay: number): void;
  /** Stops every running timer of `tx`. */
  stopTimers(tx: ClientTx | ServerTx): void;
  /** Enters Terminated: timers stopped, transaction forgotten, `terminated` event. */
  terminate(tx: ClientTx | ServerTx): void;
}

export type Handler<Tx, A> = (ctx: MachineContext, tx: Tx, arg: A) => void;

export type StateTable<S extends string, In, Tx> = {
  readonly [K in S]: { readonly [I in keyof In]?: Handler<Tx, In[I]> };
};

export class StateMachine<S extends string, In, Tx extends { state: S }> {
  constructor(
    readonly name: string,
    private readonly table: StateTable<S, In, Tx>,
  ) {}

  fire<I extends keyof In & string>(ctx: MachineContext, tx: Tx, input: I, arg: In[I]): void {
    const handler = this.table[tx.state][input];
    if (handler === undefined) throw new TransactionStateError(this.name, tx.state, input);
    handler(ctx, tx, arg);
  }

  accepts(state: S, input: keyof In): boolean {
    return this.table[state][input] !== undefined;
  }
}

/** Edge that does nothing (the input is absorbed in this state). */
export function ignore(): void {}
