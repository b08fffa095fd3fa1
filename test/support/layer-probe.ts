/**
 * Drives one TransactionLayer by hand on a FakeClock and records what comes out, with times
 * relative to the probe's creation, so tests can assert the exact instants of RFC timers.
 */
import type { Flow } from '../../src/sip/transport/flow.js';
import type { Transmit, TransactionEvent, TransactionLayer } from '../../src/sip/transaction/transaction-layer.js';
import type { FakeClock } from './fake-clock.js';

export interface SentRecord extends Transmit {
  /** ms since the probe started. */
  t: number;
  text: string;
  startLine: string;
}

export class LayerProbe {
  readonly t0: number;
  readonly sent: SentRecord[] = [];
  readonly events: Array<{ t: number; event: TransactionEvent }> = [];

  constructor(
    readonly layer: TransactionLayer,
    readonly clock: FakeClock,
  ) {
    this.t0 = clock.now();
  }

  get now(): number {
    return this.clock.now() - this.t0;
  }

  drain(): void {
    for (let x = this.layer.pollTransmit(); x; x = this.layer.pollTransmit()) {
      const text = x.data.toString('latin1');
      this.sent.push({ ...x, t: this.now, text, startLine: text.slice(0, text.indexOf('\r\n')) });
    }
    for (let e = this.layer.pollEvent(); e; e = this.layer.pollEvent()) this.events.push({ t: this.now, event: e });
  }

  /** Fires every deadline up to `t` (relative), each at its exact instant. */
  advanceTo(t: number): void {
    const end = this.t0 + t;
    for (;;) {
      this.drain();
      const next = this.layer.pollTimeout();
      if (next === undefined || next > end) break;
      this.clock.set(next);
      this.layer.handleTimeout(next);
    }
    this.clock.set(end);
    this.drain();
  }

  advance(ms: number): void {
    this.advanceTo(this.now + ms);
  }

  receive(msg: Parameters<TransactionLayer['receive']>[0], flow: Flow): void {
    this.layer.receive(msg, flow);
    this.drain();
  }

  /** Relative send times of the messages whose start line starts with `prefix`. */
  sendTimes(prefix: string): number[] {
    return this.sent.filter((s) => s.startLine.startsWith(prefix)).map((s) => s.t);
  }

  eventsOf<T extends TransactionEvent['type']>(type: T): Array<{ t: number; event: Extract<TransactionEvent, { type: T }> }> {
    return this.events.filter((e): e is { t: number; event: Extract<TransactionEvent, { type: T }> } => e.event.type === type);
  }

  /** The last message sent whose start line starts with `prefix`. */
  lastSent(prefix: string): SentRecord {
    const s = this.sent.filter((x) => x.startLine.startsWith(prefix)).at(-1);
    if (!s) throw new Error(`nothing sent starting with ${prefix}`);
    return s;
  }
}
