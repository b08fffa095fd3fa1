/**
 * The UAS core's 2xx retransmissions for INVITE (RFC 3261 §13.3.1.4, RFC 6026 §7.1: the
 * server transaction sends a 2xx once; the TU owns its reliability), sans-IO.
 *
 * After the TU has sent a 2xx (TransactionLayer.respond), `start()` schedules re-sends at
 * T1, then doubling up to T2 - "independent of whatever transport protocols are used to send
 * the response", so over TCP too, because a UDP hop may follow. An ACK stops them (`ack()`).
 * If none has come 64*T1 after the first send, an `ack-timeout` event says so: the dialog is
 * confirmed but the session SHOULD be ended with a BYE (§13.3.1.4).
 *
 * The TU drains `pollTransmit()` into `TransactionLayer.sendStateless(response, flow)` and
 * arms one timer at `pollTimeout()`, exactly as for the transaction layer.
 */
import { callId } from '../headers/call-id.js';
import { cseq } from '../headers/cseq.js';
import { from, to } from '../headers/name-addr.js';
import type { SipRequest, SipResponse } from '../message.js';
import type { Flow } from '../transport/flow.js';
import type { Clock } from '../../time/clock.js';
import { Fifo } from '../transaction/fifo.js';
import { TimerHeap, type HeapNode } from '../transaction/timer-heap.js';

export interface Uas2xxRetransmitterOptions {
  clock: Clock;
  /** ms, default 500 (RFC 3261 §17.1.1.1). */
  t1?: number;
  /** ms, default 4000. */
  t2?: number;
}

export interface Retransmit2xx {
  key: string;
  response: SipResponse;
  flow: Flow;
}

export type Uas2xxEvent = { type: 'ack-timeout'; key: string; response: SipResponse; flow: Flow };

class Pending implements HeapNode {
  at = 0;
  seq = 0;
  index = -1;
  constructor(
    readonly key: string,
    readonly response: SipResponse,
    readonly flow: Flow,
    public interval: number,
    readonly giveUpAt: number,
  ) {}
}

/** Key of a 2xx we sent as UAS: Call-ID, To tag (ours), From tag (theirs), CSeq number. */
export function uas2xxKey(res: SipResponse): string {
  return `${callId(res)}\n${to(res).tag ?? ''}\n${from(res).tag ?? ''}\n${cseq(res).seq}`;
}

/** The same key computed from the ACK that acknowledges that 2xx (§13.2.2.4: same dialog, same CSeq number). */
export function uas2xxKeyOfAck(ack: SipRequest): string {
  return `${callId(ack)}\n${to(ack).tag ?? ''}\n${from(ack).tag ?? ''}\n${cseq(ack).seq}`;
}

export class Uas2xxRetransmitter {
  private readonly clock: Clock;
  private readonly t1: number;
  private readonly t2: number;
  private readonly pending = new Map<string, Pending>();
  private readonly heap = new TimerHeap<Pending>();
  private readonly transmits = new Fifo<Retransmit2xx>();
  private readonly events = new Fifo<Uas2xxEvent>();

  constructor(opts: Uas2xxRetransmitterOptions) {
    this.clock = opts.clock;
    this.t1 = opts.t1 ?? 500;
    this.t2 = opts.t2 ?? 4000;
  }

  /** 2xx responses still waiting for their ACK. */
  get size(): number {
    return this.pending.size;
  }

  /** Starts retransmitting a 2xx that was just sent; returns its key (restarts an existing one). */
  start(response: SipResponse, flow: Flow): string {
    if (response.status < 200 || response.status >= 300) throw new RangeError(`only 2xx responses are retransmitted by the UAS core, not ${response.status}`);
    const key = uas2xxKey(response);
    this.stop(key);
    const now = this.clock.now();
    const p = new Pending(key, response, flow, this.t1, now + 64 * this.t1);
    this.pending.set(key, p);
    this.heap.schedule(p, now + this.t1);
    return key;
  }

  /** An ACK arrived (§13.3.1.4: retransmissions cease). Returns whether it acknowledged a pending 2xx. */
  ack(ack: SipRequest): boolean {
    try {
      return this.stop(uas2xxKeyOfAck(ack));
    } catch {
      return false;
    }
  }

  /** Stops retransmitting without an ACK (the call was torn down meanwhile). */
  stop(key: string): boolean {
    const p = this.pending.get(key);
    if (p === undefined) return false;
    this.heap.cancel(p);
    this.pending.delete(key);
    return true;
  }

  handleTimeout(now: number): void {
    for (let p = this.heap.popDue(now); p !== undefined; p = this.heap.popDue(now)) {
      if (now >= p.giveUpAt) {
        this.pending.delete(p.key);
        this.events.push({ type: 'ack-timeout', key: p.key, response: p.response, flow: p.flow });
        continue;
      }
      this.transmits.push({ key: p.key, response: p.response, flow: p.flow });
      // §13.3.1.4: the interval doubles until it reaches T2; the last wait ends at 64*T1.
      p.interval = Math.min(2 * p.interval, this.t2);
      this.heap.schedule(p, Math.min(now + p.interval, p.giveUpAt));
    }
  }

  pollTimeout(): number | undefined {
    return this.heap.peek()?.at;
  }

  pollTransmit(): Retransmit2xx | undefined {
    return this.transmits.shift();
  }

  pollEvent(): Uas2xxEvent | undefined {
    return this.events.shift();
  }
}
