/**
 * The I/O shell around the sans-IO SIP core: transports deliver bytes, the parser turns
 * them into messages, the transaction layer (RFC 3261 §17) matches and retransmits, and the
 * transaction user (call control, registrar) sees one event per new request. One timer
 * serves every transaction: it is re-armed to the layer's earliest deadline after each input.
 *
 * Bad input never reaches the transaction user: unparseable datagrams are answered 400 when
 * RFC 3261 §8.2 allows a response (the five headers a response needs were readable) and
 * dropped otherwise; stream errors close the connection after a 400 where possible.
 */
import type { Logger } from '../../log/logger.js';
import type { Clock } from '../../time/clock.js';
import type { SipMessage, SipRequest, SipResponse } from '../message.js';
import { parseMessage } from '../parser.js';
import { createResponse } from '../response.js';
import { serializeMessage } from '../serializer.js';
import type { ClientTransaction, ServerTransaction, TransactionEvent } from '../transaction/transaction-layer.js';
import { TransactionLayer } from '../transaction/transaction-layer.js';
import type { Flow } from '../transport/flow.js';
import { TransportLayer, type TransportLayerOptions } from '../transport/transport-layer.js';
import type { InboundSink } from '../transport/transport.js';
import { responseFlow, stampReceived } from '../transport/via-received.js';
import { SipCounters } from './sip-counters.js';

/** Transaction timers fire in buckets of this size (ms); see `arm`. */
const TIMER_GRANULARITY_MS = 10;

export interface SipStackOptions {
  transports: Omit<TransportLayerOptions, 'logger'>;
  clock: Clock;
  logger: Logger;
  /** Host written in the Via of requests we originate (the advertised address). */
  advertisedHost: string;
  /** Server header on every response we send (RFC 3261 §20.35); none when unset. */
  server?: string;
  /** RFC 3261 timers; defaults T1 500 ms, T2 4 s, T4 5 s. */
  timers?: { t1?: number; t2?: number; t4?: number };
  /**
   * The network under the stack; default a TransportLayer listening as `transports` says.
   * Benchmarks and tests give an in-memory one (pjsip's loop transport) to run the whole
   * stack, bytes in to bytes out, without sockets.
   */
  network?: (sink: InboundSink) => StackNetwork;
}

/** What the stack needs of its transports (TransportLayer implements it). */
export type StackNetwork = Pick<TransportLayer, 'start' | 'stop' | 'send' | 'ports'>;

/** What the transaction user (registrar, call control) implements. */
export interface TransactionUser {
  /** A new request in its server transaction; answer it with `stack.respond(tx, ...)`. */
  request(req: SipRequest, tx: ServerTransaction, flow: Flow): void;
  /** ACK for a 2xx (matches no transaction: RFC 3261 §17.2.3, RFC 6026). */
  ack?(req: SipRequest, flow: Flow): void;
  /** Responses and timeouts of client transactions this TU started. */
  /** Responses, timeouts and transport errors of transactions (client ones, and Timer H of server INVITEs). */
  clientEvent?(event: Extract<TransactionEvent, { type: 'response' | 'timeout' | 'transport-error' }>): void;
  /** A response that matched no transaction (a 2xx retransmission after the transaction ended). */
  strayResponse?(res: SipResponse, flow: Flow): void;
  /** A stream connection closed: bindings that pointed at it can no longer be reached. */
  connectionClosed?(flow: Flow): void;
}

export class SipStack {
  readonly counters = new SipCounters();
  private readonly transports: StackNetwork;
  private readonly transactions: TransactionLayer;
  private tu: TransactionUser | undefined;
  private timer: NodeJS.Timeout | undefined;
  private armedAt: number | undefined;
  private draining = false;
  private drainAgain = false;

  constructor(private readonly opts: SipStackOptions) {
    const log = opts.logger;
    const sink: InboundSink = {
      message: (data, flow) => this.receive(data, flow),
      streamError: (flow, status, reason, head) => this.streamError(flow, status, reason, head),
      connectionClosed: (flow) => this.tu?.connectionClosed?.(flow),
    };
    this.transports = opts.network ? opts.network(sink) : new TransportLayer({ ...opts.transports, logger: log }, sink);
    this.transactions = new TransactionLayer({
      clock: opts.clock,
      ...opts.timers,
      viaSentBy: (flow) => ({ host: opts.advertisedHost, port: this.ports()[flow.protocol] ?? flow.localPort }),
    });
  }

  async start(tu: TransactionUser): Promise<void> {
    this.tu = tu;
    await this.transports.start();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.transports.stop();
  }

  ports(): ReturnType<TransportLayer['ports']> {
    return this.transports.ports();
  }

  /** Live transactions, for stats. */
  get transactionCount(): number {
    return this.transactions.size;
  }

  respond(tx: ServerTransaction, res: SipResponse): void {
    this.transactions.respond(tx, this.withServer(res));
    this.drain();
  }

  sendRequest(req: SipRequest, flow: Flow): ClientTransaction {
    const tx = this.transactions.sendRequest(req, flow);
    this.drain();
    return tx;
  }

  cancel(tx: ClientTransaction, reason?: string): ClientTransaction {
    const c = this.transactions.cancel(tx, reason);
    this.drain();
    return c;
  }

  sendStateless(msg: SipMessage, flow: Flow): void {
    this.transactions.sendStateless(msg, flow);
    this.drain();
  }

  private receive(data: Buffer, flow: Flow): void {
    this.counters.received++;
    const parsed = parseMessage(data);
    if (!parsed.ok) {
      this.counters.malformed++;
      this.opts.logger.debug({ event: 'sip.malformed', from: `${flow.remoteAddress}:${flow.remotePort}`, status: parsed.status, error: parsed.error }, 'malformed message');
      if (parsed.request) this.answerMalformed(parsed.request, flow, parsed.status, parsed.error);
      return;
    }
    const msg = parsed.message;
    if (msg.kind === 'request') {
      try {
        stampReceived(msg, flow);
      } catch {
        this.counters.malformed++;
        return;
      }
    }
    this.transactions.receive(msg, flow);
    this.drain();
  }

  /** RFC 3261 §8.2: a request we cannot process still gets a final answer when one can be routed. */
  private answerMalformed(req: SipRequest, flow: Flow, status: number, error: string): void {
    if (req.method === 'ACK') return; // never answer an ACK (RFC 3261 §17.2.3)
    try {
      const via = stampReceived(req, flow);
      const res = this.withServer(createResponse(req, status, undefined));
      res.headers.append('Warning', `399 ${this.opts.advertisedHost} "${error.replace(/["\\\r\n]/g, ' ').slice(0, 120)}"`);
      this.transports.send(serializeMessage(res), responseFlow(via, flow));
    } catch {
      // Not even a response can be built: drop (RFC 3261 §18.3 / RFC 4475 §3.1.2).
    }
  }

  private streamError(flow: Flow, status: number, reason: string, head?: Buffer): void {
    this.counters.malformed++;
    if (!head) return;
    const parsed = parseMessage(head);
    const req = parsed.ok ? (parsed.message.kind === 'request' ? parsed.message : undefined) : parsed.request;
    if (req) this.answerMalformed(req, flow, status, reason);
  }

  private drain(): void {
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = true;
    try {
      do {
        this.drainAgain = false;
        for (let t = this.transactions.pollTransmit(); t; t = this.transactions.pollTransmit()) {
          this.counters.sent++;
          if (!this.transports.send(t.data, t.flow) && t.tx !== undefined) this.transactions.transportError(t.tx);
        }
        for (let e = this.transactions.pollEvent(); e; e = this.transactions.pollEvent()) this.dispatch(e);
      } while (this.drainAgain);
    } finally {
      this.draining = false;
    }
    this.arm();
  }

  private dispatch(e: TransactionEvent): void {
    const tu = this.tu;
    if (!tu) return;
    try {
      switch (e.type) {
        case 'request':
          tu.request(e.request, e.tx, e.flow);
          break;
        case 'ack':
          tu.ack?.(e.request, e.flow);
          break;
        case 'response':
        case 'timeout':
        case 'transport-error':
          tu.clientEvent?.(e);
          break;
        case 'stray-response':
          tu.strayResponse?.(e.response, e.flow);
          break;
        case 'terminated':
          break;
      }
    } catch (err) {
      // A bug in a handler must not take the switch down; answer 500 if a request is waiting.
      this.counters.handlerErrors++;
      this.opts.logger.error({ event: 'sip.handler_error', err: (err as Error).stack ?? String(err), type: e.type }, 'request handler failed');
      const unanswered = e.type === 'request' && (e.tx.state === 'Trying' || e.tx.state === 'Proceeding');
      if (unanswered) this.transactions.respond(e.tx, this.withServer(createResponse(e.request, 500)));
    }
  }

  private withServer(res: SipResponse): SipResponse {
    if (this.opts.server && !res.headers.has('Server')) res.headers.append('Server', this.opts.server);
    return res;
  }

  /**
   * One timer for every transaction, re-armed to the earliest deadline rounded up to a
   * TIMER_GRANULARITY_MS bucket: under load thousands of Timer J expiries a second then cost
   * a few dozen callbacks, each expiring all that is due. SIP timers are lower bounds
   * ("at least 64*T1"); firing up to one bucket late is well inside their tolerance.
   */
  private arm(): void {
    const due = this.transactions.pollTimeout();
    const deadline = due === undefined ? undefined : Math.ceil(due / TIMER_GRANULARITY_MS) * TIMER_GRANULARITY_MS;
    if (deadline === this.armedAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = deadline;
    if (deadline === undefined) return;
    const delay = Math.max(0, deadline - this.opts.clock.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.armedAt = undefined;
      this.transactions.handleTimeout(this.opts.clock.now());
      this.drain();
    }, delay);
  }

}
