/**
 * The SIP transaction layer (RFC 3261 §17, with RFC 6026 for 2xx responses to INVITE) as a
 * sans-IO state machine: parsed messages and the clock in; bytes to send, events for the
 * transaction user (TU) and the next deadline out. The shell that owns the sockets drains
 * `pollTransmit()` and `pollEvent()` after every input and arms one timer at `pollTimeout()`.
 *
 * Decisions where the RFCs leave a choice (see also the machine files):
 * - 100 Trying (§17.2.1 "MUST generate a 100 unless the TU answers within 200 ms") is owned by
 *   this layer: it is sent at once for every new INVITE, before the TU sees the request.
 *   `sendTrying: false` hands the duty to the TU.
 * - Vias we add carry `;rport` (RFC 3581 §3) unless `rport: false`.
 * - A CANCEL asked for before any provisional response waits in state Pending and is sent on
 *   the first 1xx (§9.1); after a final response it is never sent and ends at once.
 * - Server transactions stay in their state after a transport error (RFC 6026 §8.8); client
 *   ones end (§17.1.4).
 * - `timeout` events are the failures B, F and H only; D, I, J, K, L and M end a transaction
 *   normally and only produce `terminated`.
 */
import { cseq } from '../headers/cseq.js';
import { isRfc3261Branch, topVia, type Via } from '../headers/via.js';
import type { SipMessage, SipRequest, SipResponse } from '../message.js';
import { createResponse } from '../response.js';
import { serializeMessage } from '../serializer.js';
import { isReliable, viaTransport, type Flow } from '../transport/flow.js';
import { responseFlow } from '../transport/via-received.js';
import { silentLogger, type Logger } from '../../log/logger.js';
import type { Clock } from '../../time/clock.js';
import { BranchGenerator } from './branch.js';
import { clientInviteMachine } from './client-invite-machine.js';
import type { ClientInputs } from './client-inputs.js';
import { clientNonInviteMachine } from './client-non-invite-machine.js';
import { Fifo } from './fifo.js';
import { cancelRequest } from './hop-by-hop-requests.js';
import { rfc2543Bucket, Rfc2543Index } from './rfc2543-matching.js';
import type { ServerInputs } from './server-inputs.js';
import { serverInviteMachine } from './server-invite-machine.js';
import { serverNonInviteMachine } from './server-non-invite-machine.js';
import type { MachineContext } from './state-machine.js';
import { TimerHeap } from './timer-heap.js';
import { timerSettings, type TimerName, type TimerSettings } from './timer-values.js';
import { clientKey, serverKey, serverKeyBranch } from './transaction-keys.js';
import type { Transmit, TransactionEvent } from './transaction-events.js';
import { ClientTx, ServerTx, TimerNode, type ClientTransaction, type ServerTransaction } from './transaction.js';

export type { Transmit, TransactionEvent } from './transaction-events.js';
export type { ClientTransaction, ClientTransactionState, ServerTransaction, ServerTransactionState, Transaction } from './transaction.js';
export { TransactionStateError } from './transaction-state-error.js';
export { TransactionReleasedError } from './transaction-released-error.js';

export interface TransactionLayerOptions {
  clock: Clock;
  /** RFC 3261 §17.1.1.1 T1, ms (500). */
  t1?: number;
  /** T2, ms (4000). */
  t2?: number;
  /** T4, ms (5000). */
  t4?: number;
  /** Timer D on unreliable transports, ms; default max(32000, 64*T1) (§17.1.1.2: "at least 32 seconds"). */
  timerD?: number;
  /** sent-by for the Via we add to requests we originate, per outgoing flow. */
  viaSentBy(flow: Flow): { host: string; port: number };
  /** Send 100 Trying at once for each new INVITE (§17.2.1). Default true. */
  sendTrying?: boolean;
  /** Put an empty rport in the Vias we add (RFC 3581 §3). Default true. */
  rport?: boolean;
  logger?: Logger;
}

/** Counters for statistics (never reset). */
export interface TransactionLayerStats {
  /** Messages dropped because their Via or CSeq could not be read. */
  malformed: number;
  /** Responses that matched no transaction (RFC 6026 §8.9). */
  strayResponses: number;
  /** Request retransmissions absorbed by server transactions. */
  absorbedRequests: number;
}

const TIMER_INPUT = {
  A: 'timer A', B: 'timer B', D: 'timer D', E: 'timer E', F: 'timer F', G: 'timer G',
  H: 'timer H', I: 'timer I', J: 'timer J', K: 'timer K', L: 'timer L', M: 'timer M',
} as const;
type ClientTimerInput = Extract<keyof ClientInputs, `timer ${string}`>;
type ServerTimerInput = Extract<keyof ServerInputs, `timer ${string}`>;
const RETRANSMIT_TIMERS: ReadonlySet<TimerName> = new Set(['A', 'E', 'G']);

export class TransactionLayer {
  readonly stats: TransactionLayerStats = { malformed: 0, strayResponses: 0, absorbedRequests: 0 };
  readonly settings: TimerSettings;
  private readonly clock: Clock;
  private readonly clients = new Map<string, ClientTx>();
  private readonly servers = new Map<string, ServerTx>();
  private readonly rfc2543 = new Rfc2543Index();
  private readonly heap = new TimerHeap<TimerNode>();
  private readonly transmits = new Fifo<Transmit>();
  private readonly events = new Fifo<TransactionEvent>();
  private readonly branches = new BranchGenerator();
  private readonly sendTrying: boolean;
  private readonly rport: boolean;
  private readonly log: Logger;
  private rfc2543Count = 0;
  private readonly ctx: MachineContext;

  constructor(private readonly opts: TransactionLayerOptions) {
    this.clock = opts.clock;
    this.settings = timerSettings(opts);
    this.sendTrying = opts.sendTrying ?? true;
    this.rport = opts.rport ?? true;
    this.log = opts.logger ?? silentLogger;
    this.ctx = {
      settings: this.settings,
      transmit: (tx, data, flow) => this.transmits.push({ data, flow, tx: tx.key }),
      emit: (event) => this.events.push(event),
      serialize: serializeMessage,
      startTimer: (tx, name, delay) => this.startTimer(tx, name, delay),
      stopTimers: (tx) => this.stopTimers(tx),
      terminate: (tx) => this.terminate(tx),
    };
  }

  /** Live transactions. */
  get size(): number {
    return this.clients.size + this.servers.size;
  }

  /** A parsed message from the transport (requests already stamped with received/rport, §18.2.1). */
  receive(msg: SipMessage, flow: Flow): void {
    if (msg.kind === 'response') this.receiveResponse(msg, flow);
    else this.receiveRequest(msg, flow);
  }

  /**
   * Sends a request in a new client transaction. Adds the top Via (sent-by from `viaSentBy`,
   * a new RFC 3261 branch) unless the request has a Via already, whose top branch must then
   * carry the magic cookie. ACK is never sent this way: the non-2xx ACK is built by the
   * transaction (§17.1.1.3) and the 2xx ACK goes through `sendStateless` (§13.2.2.4).
   */
  sendRequest(req: SipRequest, flow: Flow): ClientTransaction {
    if (req.method === 'ACK') throw new TypeError('an ACK has no client transaction: use sendStateless (RFC 3261 §17.1.1.3, §13.2.2.4)');
    if (cseq(req).method !== req.method) throw new TypeError(`CSeq method ${cseq(req).method} differs from ${req.method} (RFC 3261 §8.1.1.5)`);
    const branch = this.ensureVia(req, flow);
    const key = clientKey(branch, req.method);
    if (this.clients.has(key)) throw new Error(`a client transaction for ${req.method} with branch ${branch} already exists`);
    const tx = new ClientTx(key, req, req.method, flow, isReliable(flow.protocol), branch, 'Pending');
    tx.data = serializeMessage(req);
    this.clients.set(key, tx);
    this.clientMachine(tx).fire(this.ctx, tx, 'start', undefined);
    return tx;
  }

  /**
   * CANCELs a client INVITE transaction (RFC 3261 §9.1), returning the CANCEL's own client
   * transaction (the same one when called again). Sent at once in Proceeding; held (state
   * Pending) until the first provisional response in Calling; never sent, and already
   * Terminated, when the INVITE has a final response.
   */
  cancel(tx: ClientTransaction, reason?: string): ClientTransaction {
    const invite = this.ownClient(tx);
    if (!invite.isInvite) throw new TypeError(`only an INVITE can be cancelled (RFC 3261 §9.1), not ${invite.method}`);
    if (invite.cancelTransaction) return invite.cancelTransaction;
    const req = cancelRequest(invite.request, reason);
    const key = clientKey(invite.branch, 'CANCEL');
    const c = new ClientTx(key, req, 'CANCEL', invite.flow, invite.reliable, invite.branch, 'Pending');
    c.data = serializeMessage(req);
    c.cancels = invite;
    invite.cancelTransaction = c;
    this.clients.set(key, c);
    if (invite.state === 'Proceeding') clientNonInviteMachine.fire(this.ctx, c, 'start', undefined);
    else if (invite.state !== 'Calling') clientNonInviteMachine.fire(this.ctx, c, 'abandon', undefined);
    return c;
  }

  /** Answers a server transaction; throws TransactionStateError for an answer its state forbids. */
  respond(tx: ServerTransaction, res: SipResponse): void {
    const s = this.ownServer(tx);
    // RFC 4320 §4.1: no provisional response other than 100 to a non-INVITE request.
    if (!s.isInvite && res.status > 100 && res.status < 200) throw new TypeError(`a non-INVITE request gets no ${res.status} (RFC 4320 §4.1)`);
    const input = res.status < 200 ? 'send 1xx' : res.status < 300 ? 'send 2xx' : 'send 300-699';
    this.serverMachine(s).fire(this.ctx, s, input, res);
  }

  /**
   * Sends a message outside any transaction: the ACK for a 2xx (§13.2.2.4), the UAS core's 2xx
   * retransmissions (§13.3.1.4), stateless answers. A request without Via gets one (with a new
   * branch) added in place, so sending the same request object again re-sends the same ACK.
   */
  sendStateless(msg: SipMessage, flow: Flow): void {
    if (msg.kind === 'request' && !msg.headers.has('via')) this.addVia(msg, flow);
    this.transmits.push({ data: serializeMessage(msg), flow });
  }

  /** Fires every timer due at `now`. */
  handleTimeout(now: number): void {
    for (let node = this.heap.popDue(now); node !== undefined; node = this.heap.popDue(now)) {
      const tx = node.tx;
      // A timer a machine does not know (G on a client ...) has no table entry: fire() throws.
      const input = TIMER_INPUT[node.name];
      if (tx.role === 'client') this.clientMachine(tx).fire(this.ctx, tx, input as ClientTimerInput, undefined);
      else this.serverMachine(tx).fire(this.ctx, tx, input as ServerTimerInput, undefined);
    }
  }

  /** The earliest deadline (absolute, clock.now() scale), or undefined when no timer runs. */
  pollTimeout(): number | undefined {
    return this.heap.peek()?.at;
  }

  pollTransmit(): Transmit | undefined {
    return this.transmits.shift();
  }

  pollEvent(): TransactionEvent | undefined {
    return this.events.shift();
  }

  /** The shell could not send a transmit of this transaction (§17.1.4, §17.2.4 / RFC 6026 §8.8). */
  transportError(txKey: string): void {
    const c = this.clients.get(txKey);
    if (c !== undefined) return this.clientMachine(c).fire(this.ctx, c, 'transport error', undefined);
    const s = this.servers.get(txKey);
    if (s !== undefined) this.serverMachine(s).fire(this.ctx, s, 'transport error', undefined);
  }

  /** The INVITE server transaction a CANCEL cancels (RFC 3261 §9.2), in whatever state it is. */
  findInviteForCancel(cancel: SipRequest): ServerTransaction | undefined {
    try {
      const via = topVia(cancel);
      if (isRfc3261Branch(via.branch)) return this.servers.get(serverKey(via.branch, via, 'INVITE'));
      return this.rfc2543.findInviteForCancel(cancel);
    } catch {
      return undefined;
    }
  }

  /** A live client transaction by key (for shells that keep keys, not objects). */
  clientTransaction(key: string): ClientTransaction | undefined {
    return this.clients.get(key);
  }

  serverTransaction(key: string): ServerTransaction | undefined {
    return this.servers.get(key);
  }

  // --- receiving -------------------------------------------------------------------------

  /** §17.1.3: branch + CSeq method; no match is a stray response (RFC 6026 §8.9). */
  private receiveResponse(res: SipResponse, flow: Flow): void {
    let branch: string | undefined;
    let method: string;
    try {
      branch = topVia(res).branch;
      method = cseq(res).method;
    } catch (err) {
      return this.malformed(err, flow);
    }
    const tx = branch === undefined ? undefined : this.clients.get(clientKey(branch, method));
    if (tx === undefined) {
      this.stats.strayResponses++;
      this.events.push({ type: 'stray-response', response: res, flow });
      return;
    }
    const input = res.status < 200 ? '1xx' : res.status < 300 ? '2xx' : '300-699';
    this.clientMachine(tx).fire(this.ctx, tx, input, { response: res, flow });
  }

  /** §17.2.3: match a server transaction, else create one (never for ACK). */
  private receiveRequest(req: SipRequest, flow: Flow): void {
    let via: Via;
    try {
      via = topVia(req);
    } catch (err) {
      return this.malformed(err, flow);
    }
    let tx: ServerTx | undefined;
    let key: string | undefined;
    let bucket: string | undefined;
    if (isRfc3261Branch(via.branch)) {
      key = serverKey(via.branch, via, req.method);
      tx = this.servers.get(key);
    } else {
      try {
        bucket = rfc2543Bucket(req);
        tx = req.method === 'ACK' ? this.rfc2543.findAck(req) : this.rfc2543.findRequest(req);
      } catch (err) {
        // Call-ID, CSeq, From or To unreadable: no RFC 2543 matching is possible. The request
        // still reaches the TU, unmatched, which answers it 400 (RFC 3261 §8.2).
        if (req.method === 'ACK') return this.malformed(err, flow);
        bucket = undefined;
      }
    }
    if (tx !== undefined) return this.matched(tx, req, flow);
    if (req.method === 'ACK') {
      this.events.push({ type: 'ack', request: req, flow });
      return;
    }
    this.createServer(req, flow, via, key, bucket);
  }

  private matched(tx: ServerTx, req: SipRequest, flow: Flow): void {
    if (req.method === 'ACK') {
      serverInviteMachine.fire(this.ctx, tx, 'ack', { request: req, flow });
      return;
    }
    this.stats.absorbedRequests++;
    this.serverMachine(tx).fire(this.ctx, tx, 'request', req);
  }

  private createServer(req: SipRequest, flow: Flow, via: Via, key: string | undefined, bucket: string | undefined): void {
    const isInvite = req.method === 'INVITE';
    const txKey = key ?? `s RFC2543 ${++this.rfc2543Count}`;
    const branch = key === undefined ? via.branch : serverKeyBranch(key);
    const tx = new ServerTx(txKey, req, req.method, flow, isReliable(flow.protocol), branch, responseFlow(via, flow), isInvite ? 'Proceeding' : 'Trying');
    this.servers.set(txKey, tx);
    if (key === undefined && bucket !== undefined) this.rfc2543.add(tx, bucket);
    // §17.2.1: the 100 Trying goes out before the TU sees the INVITE.
    if (isInvite && this.sendTrying) serverInviteMachine.fire(this.ctx, tx, 'send 1xx', createResponse(req, 100));
    this.events.push({ type: 'request', request: req, tx, flow });
  }

  private malformed(err: unknown, flow: Flow): void {
    this.stats.malformed++;
    this.log.debug({ event: 'sip.transaction.malformed', from: `${flow.remoteAddress}:${flow.remotePort}`, error: (err as Error).message }, 'message dropped: unreadable Via or CSeq');
  }

  // --- machine context -------------------------------------------------------------------

  private startTimer(tx: ClientTx | ServerTx, name: TimerName, delay: number): void {
    let node: TimerNode;
    if (RETRANSMIT_TIMERS.has(name)) node = tx.retransmitTimer ??= new TimerNode(tx, name);
    else node = tx.lifetimeTimer ??= new TimerNode(tx, name);
    node.name = name;
    this.heap.schedule(node, this.clock.now() + delay);
  }

  private stopTimers(tx: ClientTx | ServerTx): void {
    if (tx.retransmitTimer) this.heap.cancel(tx.retransmitTimer);
    if (tx.lifetimeTimer) this.heap.cancel(tx.lifetimeTimer);
  }

  private terminate(tx: ClientTx | ServerTx): void {
    tx.state = 'Terminated';
    this.stopTimers(tx);
    if (tx.role === 'client') {
      if (this.clients.get(tx.key) === tx) this.clients.delete(tx.key);
    } else {
      if (this.servers.get(tx.key) === tx) this.servers.delete(tx.key);
      this.rfc2543.remove(tx);
    }
    this.events.push({ type: 'terminated', tx });
  }

  // --- helpers ---------------------------------------------------------------------------

  private clientMachine(tx: ClientTx): typeof clientInviteMachine {
    return tx.isInvite ? clientInviteMachine : clientNonInviteMachine;
  }

  private serverMachine(tx: ServerTx): typeof serverInviteMachine {
    return tx.isInvite ? serverInviteMachine : serverNonInviteMachine;
  }

  private ownClient(tx: ClientTransaction): ClientTx {
    if (!(tx instanceof ClientTx)) throw new TypeError('not a client transaction of a TransactionLayer');
    return tx;
  }

  private ownServer(tx: ServerTransaction): ServerTx {
    if (!(tx instanceof ServerTx)) throw new TypeError('not a server transaction of a TransactionLayer');
    return tx;
  }

  /** Returns the top branch, adding our Via first when the request has none. */
  private ensureVia(req: SipRequest, flow: Flow): string {
    if (!req.headers.has('via')) return this.addVia(req, flow);
    const branch = topVia(req).branch;
    if (!isRfc3261Branch(branch)) throw new TypeError('the top Via of a request we send needs an RFC 3261 branch (§8.1.1.7)');
    return branch;
  }

  /** §8.1.1.7 / §18.1.1: `SIP/2.0/<transport> <sent-by>;branch=z9hG4bK...;rport`. */
  private addVia(req: SipRequest, flow: Flow): string {
    const { host, port } = this.opts.viaSentBy(flow);
    const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    const branch = this.branches.next();
    req.headers.prepend('Via', `SIP/2.0/${viaTransport(flow.protocol)} ${h}:${port};branch=${branch}${this.rport ? ';rport' : ''}`);
    return branch;
  }
}
