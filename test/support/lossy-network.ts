/**
 * An in-memory network between several TransactionLayer instances, driven by a FakeClock
 * (the pjsip "loop transport" idea). Every datagram really goes through serializeMessage ->
 * bytes -> parseMessage -> stampReceived, so the tests exercise what the wire would carry.
 *
 * Knobs, per network or per directed link: loss, delay (fixed or a uniform range),
 * duplication and reordering, all drawn from one seeded PRNG, so a run is reproducible.
 * Stream flows (TCP, TLS, WS) are reliable and ordered: only the delay applies.
 *
 * `runFor(ms)` alternates: drain every node's transmits and events (each event goes to the
 * node's TU callback, which may send more), then jump the clock to the next packet arrival
 * or transaction deadline, deliver/fire, and repeat. No real time passes.
 */
import { parseMessage } from '../../src/sip/parser.js';
import type { Flow, TransportProtocol } from '../../src/sip/transport/flow.js';
import { isReliable } from '../../src/sip/transport/flow.js';
import { stampReceived } from '../../src/sip/transport/via-received.js';
import type { TransactionEvent, TransactionLayer } from '../../src/sip/transaction/transaction-layer.js';
import type { FakeClock } from './fake-clock.js';

export interface LinkConditions {
  /** Probability that a datagram is lost (stream flows never lose). */
  loss?: number;
  /** One-way delay in ms, or a [min, max] range drawn uniformly. Default 10. */
  delay?: number | readonly [number, number];
  /** Probability that a datagram arrives twice (the copy 1 ms later). */
  duplicate?: number;
  /** Probability that a datagram is held back `reorderDelay` ms, so later ones overtake it. */
  reorder?: number;
  reorderDelay?: number;
}

/** One packet as the network saw it. */
export interface PacketRecord {
  /** Time it was sent. */
  at: number;
  from: string;
  to: string;
  protocol: TransportProtocol;
  /** "INVITE sip:..." or "SIP/2.0 200 OK". */
  startLine: string;
  /** Request method or the CSeq method of a response. */
  method: string;
  status?: number;
  fate: 'delivered' | 'lost' | 'duplicated' | 'unroutable';
  data: Buffer;
}

export type Tu = (event: TransactionEvent, node: NetworkNode) => void;

/** Another sans-IO timer owner the network must drive (a TU's 2xx retransmitter ...). */
export interface TimerSource {
  pollTimeout(): number | undefined;
  handleTimeout(now: number): void;
}

export class NetworkNode {
  /** Every event of this node's layer, with the time it was polled. */
  readonly events: Array<{ at: number; event: TransactionEvent }> = [];
  /** When true, every transmit that belongs to a transaction fails (the shell reports transportError). */
  failSends = false;
  tu: Tu | undefined;
  constructor(
    readonly name: string,
    readonly address: string,
    readonly port: number,
    readonly layer: TransactionLayer,
    tu?: Tu,
  ) {
    this.tu = tu;
  }

  /** The flow this node uses to reach `to` over `protocol`. */
  flowTo(to: NetworkNode, protocol: TransportProtocol = 'udp'): Flow {
    const flow: Flow = { protocol, remoteAddress: to.address, remotePort: to.port, localAddress: this.address, localPort: this.port };
    if (isReliable(protocol)) flow.connectionId = connectionId(this, to);
    return flow;
  }

  eventsOf<T extends TransactionEvent['type']>(type: T): Array<Extract<TransactionEvent, { type: T }>> {
    return this.events.map((e) => e.event).filter((e): e is Extract<TransactionEvent, { type: T }> => e.type === type);
  }
}

interface InFlight {
  at: number;
  seq: number;
  data: Buffer;
  from: NetworkNode;
  to: NetworkNode;
  protocol: TransportProtocol;
}

const connectionIds = new Map<string, number>();
function connectionId(a: NetworkNode, b: NetworkNode): number {
  const key = [a.name, b.name].sort().join('|');
  let id = connectionIds.get(key);
  if (id === undefined) connectionIds.set(key, (id = connectionIds.size + 1));
  return id;
}

/** mulberry32: small, fast, good enough to draw losses reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class LossyNetwork {
  readonly nodes: NetworkNode[] = [];
  readonly log: PacketRecord[] = [];
  private readonly random: () => number;
  private readonly defaults: LinkConditions;
  private readonly links = new Map<string, LinkConditions>();
  private inFlight: InFlight[] = [];
  private actions: Array<{ at: number; seq: number; run: () => void }> = [];
  private readonly timerSources: TimerSource[] = [];
  private seq = 0;

  constructor(
    readonly clock: FakeClock,
    opts: LinkConditions & { seed?: number } = {},
  ) {
    this.random = seededRandom(opts.seed ?? 1);
    this.defaults = opts;
  }

  addNode(name: string, address: string, port: number, layer: TransactionLayer, tu?: Tu): NetworkNode {
    const node = new NetworkNode(name, address, port, layer, tu);
    this.nodes.push(node);
    return node;
  }

  /** Conditions for packets from `from` to `to` (replacing the network defaults for that direction). */
  setLink(from: NetworkNode, to: NetworkNode, conditions: LinkConditions): void {
    this.links.set(`${from.name}>${to.name}`, conditions);
  }

  addTimerSource(source: TimerSource): void {
    this.timerSources.push(source);
  }

  /** Runs `fn` `ms` from now (a TU that answers later: ringing, a slow database). */
  later(ms: number, fn: () => void): void {
    this.actions.push({ at: this.clock.now() + ms, seq: this.seq++, run: fn });
  }

  /** Packets sent so far, optionally filtered. */
  packets(filter: Partial<Pick<PacketRecord, 'from' | 'to' | 'method' | 'status' | 'fate'>> & { requests?: boolean } = {}): PacketRecord[] {
    return this.log.filter(
      (p) =>
        (filter.from === undefined || p.from === filter.from) &&
        (filter.to === undefined || p.to === filter.to) &&
        (filter.method === undefined || p.method === filter.method) &&
        (filter.status === undefined || p.status === filter.status) &&
        (filter.fate === undefined || p.fate === filter.fate) &&
        (filter.requests === undefined || (p.status === undefined) === filter.requests),
    );
  }

  /** Drains outputs, then advances the clock by `ms`, delivering packets and firing timers on the way. */
  runFor(ms: number): void {
    this.runUntil(this.clock.now() + ms);
  }

  runUntil(end: number): void {
    for (;;) {
      this.drain();
      const next = this.nextDeadline();
      if (next === undefined || next > end) break;
      if (next > this.clock.now()) this.clock.set(next);
      this.step(this.clock.now());
    }
    if (end > this.clock.now()) this.clock.set(end);
    this.drain();
  }

  /** Drains every node's transmits and events until nothing is left (TU callbacks included). */
  drain(): void {
    let busy = true;
    while (busy) {
      busy = false;
      for (const node of this.nodes) {
        for (let t = node.layer.pollTransmit(); t; t = node.layer.pollTransmit()) {
          busy = true;
          if (node.failSends && t.tx !== undefined) node.layer.transportError(t.tx);
          else this.send(node, t.data, t.flow);
        }
        for (let e = node.layer.pollEvent(); e; e = node.layer.pollEvent()) {
          busy = true;
          node.events.push({ at: this.clock.now(), event: e });
          node.tu?.(e, node);
        }
      }
    }
  }

  private nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const p of this.inFlight) if (next === undefined || p.at < next) next = p.at;
    for (const a of this.actions) if (next === undefined || a.at < next) next = a.at;
    for (const source of [...this.nodes.map((n) => n.layer), ...this.timerSources]) {
      const t = source.pollTimeout();
      if (t !== undefined && (next === undefined || t < next)) next = t;
    }
    return next;
  }

  /** Deliver what is due, run due TU actions, then fire due timers, in a fixed order. */
  private step(now: number): void {
    const due = this.inFlight.filter((p) => p.at <= now).sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.inFlight = this.inFlight.filter((p) => p.at > now);
    for (const p of due) this.deliver(p);
    const actions = this.actions.filter((a) => a.at <= now).sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.actions = this.actions.filter((a) => a.at > now);
    for (const a of actions) a.run();
    for (const n of this.nodes) n.layer.handleTimeout(now);
    for (const source of this.timerSources) source.handleTimeout(now);
  }

  private send(from: NetworkNode, data: Buffer, flow: Flow): void {
    const to = this.nodes.find((n) => n.address === flow.remoteAddress && n.port === flow.remotePort);
    const record = describe(this.clock.now(), from, to, flow.protocol, data);
    this.log.push(record);
    if (to === undefined) {
      record.fate = 'unroutable';
      return;
    }
    const link = this.links.get(`${from.name}>${to.name}`) ?? this.defaults;
    const reliable = isReliable(flow.protocol);
    if (!reliable && this.random() < (link.loss ?? 0)) {
      record.fate = 'lost';
      return;
    }
    let delay = this.delay(link);
    if (!reliable && this.random() < (link.reorder ?? 0)) delay += link.reorderDelay ?? 100;
    this.inFlight.push({ at: this.clock.now() + delay, seq: this.seq++, data, from, to, protocol: flow.protocol });
    if (!reliable && this.random() < (link.duplicate ?? 0)) {
      record.fate = 'duplicated';
      this.inFlight.push({ at: this.clock.now() + delay + 1, seq: this.seq++, data, from, to, protocol: flow.protocol });
    }
  }

  private delay(link: LinkConditions): number {
    const d = link.delay ?? 10;
    if (typeof d === 'number') return d;
    return Math.round(d[0] + this.random() * (d[1] - d[0]));
  }

  private deliver(p: InFlight): void {
    const parsed = parseMessage(p.data);
    if (!parsed.ok) throw new Error(`the network carried an unparseable message: ${parsed.error}\n${p.data.toString()}`);
    const flow = p.to.flowTo(p.from, p.protocol);
    const msg = parsed.message;
    if (msg.kind === 'request') stampReceived(msg, flow);
    p.to.layer.receive(msg, flow);
  }
}

function describe(at: number, from: NetworkNode, to: NetworkNode | undefined, protocol: TransportProtocol, data: Buffer): PacketRecord {
  const text = data.toString('latin1', 0, Math.min(data.length, 2048));
  const startLine = text.slice(0, text.indexOf('\r\n'));
  const cseqMethod = /\r\nCSeq:\s*\d+\s+(\S+)/i.exec(text)?.[1] ?? '';
  const record: PacketRecord = { at, from: from.name, to: to?.name ?? '?', protocol, startLine, method: cseqMethod, fate: 'delivered', data };
  if (startLine.startsWith('SIP/2.0 ')) record.status = Number(startLine.slice(8, 11));
  else record.method = startLine.slice(0, startLine.indexOf(' '));
  return record;
}
