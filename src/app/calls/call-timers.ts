/**
 * The deadlines of call control (ring timeout, session timers, glare retries, 2xx waits) as
 * one sans-IO timer table on the Clock: `schedule` returns a handle to `cancel`; the shell
 * (CallManager's owner) arms one real timer at `pollTimeout()` and calls `handleTimeout(now)`.
 * Tests drive it with a FakeClock through the in-memory network.
 */
import { TimerHeap, type HeapNode } from '../../sip/transaction/timer-heap.js';
import type { Clock } from '../../time/clock.js';

export class CallTimer implements HeapNode {
  at = 0;
  seq = 0;
  index = -1;
  constructor(
    readonly name: string,
    readonly fire: () => void,
  ) {}

  get pending(): boolean {
    return this.index >= 0;
  }
}

export class CallTimers {
  private readonly heap = new TimerHeap<CallTimer>();

  constructor(readonly clock: Clock) {}

  get size(): number {
    return this.heap.size;
  }

  /** Runs `fire` `delayMs` from now (once). */
  schedule(name: string, delayMs: number, fire: () => void): CallTimer {
    const t = new CallTimer(name, fire);
    this.heap.schedule(t, this.clock.now() + delayMs);
    return t;
  }

  cancel(t: CallTimer | undefined): void {
    if (t) this.heap.cancel(t);
  }

  pollTimeout(): number | undefined {
    return this.heap.peek()?.at;
  }

  /** Fires every timer due at `now`, earliest first; a timer scheduled by a handler fires in the same call when due. */
  handleTimeout(now: number): void {
    for (let t = this.heap.popDue(now); t !== undefined; t = this.heap.popDue(now)) t.fire();
  }
}
