// Transaction layer micro-benchmark: the registrar's hot path is one server non-INVITE
// transaction per REGISTER (create, answer, Timer J expiry). At 500 REGISTER/s over UDP,
// Timer J = 64*T1 = 32 s keeps ~16k transactions alive, so each case runs in that steady
// state: the fake clock advances 2 ms per operation and due timers fire as they would.
// Messages are parsed beforehand (parsing is bench/sip-parse.ts's business). Not a test.
//
//   npx tsc -p . && node --expose-gc dist/bench/sip-transactions.js [--rounds 9] [--ms 150]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SipRequest, type SipResponse } from '../src/sip/message.js';
import { parseMessage } from '../src/sip/parser.js';
import { createResponse } from '../src/sip/response.js';
import type { ServerTransaction } from '../src/sip/transaction/transaction-layer.js';
import { TransactionLayer } from '../src/sip/transaction/transaction-layer.js';
import { TimerHeap, type HeapNode } from '../src/sip/transaction/timer-heap.js';
import type { Flow } from '../src/sip/transport/flow.js';
import { stampReceived } from '../src/sip/transport/via-received.js';

class BenchClock {
  t = 1_700_000_000_000;
  now(): number {
    return this.t;
  }
}

const udp: Flow = { protocol: 'udp', remoteAddress: '192.0.2.44', remotePort: 5060, localAddress: '192.0.2.1', localPort: 5060 };
const tcp: Flow = { ...udp, protocol: 'tcp', remotePort: 40112, connectionId: 1 };

function register(i: number, transport: 'UDP' | 'TCP'): string {
  return [
    'REGISTER sip:pbx.example.com SIP/2.0',
    `Via: SIP/2.0/${transport} 192.0.2.44:5060;rport;branch=z9hG4bK.reg${i.toString(36)}`,
    'Max-Forwards: 70',
    'From: "Alice Example" <sip:alice@pbx.example.com>;tag=mYh8DpQc2',
    'To: "Alice Example" <sip:alice@pbx.example.com>',
    'Call-ID: Cp3ZWvBP1b@192.0.2.44',
    `CSeq: ${21 + i} REGISTER`,
    'Contact: <sip:alice@192.0.2.44:5060;transport=udp>;expires=3600',
    'Expires: 3600',
    'User-Agent: Linphone-Desktop/5.2.6 (belle-sip/5.2.98)',
    'Authorization: Digest realm="pbx.example.com", nonce="e5b1c2a4d6f8091a3b5c7d9e1f2a4b6c", algorithm=MD5, username="alice", uri="sip:pbx.example.com", response="3f7a2c9e1b5d8f0a6c4e2b9d7f1a3c5e", cnonce="a1b2c3d4", nc=00000001, qop=auth',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

function invite(i: number): string {
  return register(i, 'UDP').replace('REGISTER sip:pbx.example.com', 'INVITE sip:3001@pbx.example.com').replace(/ REGISTER\r\n/, ' INVITE\r\n');
}

function parsed(text: string, flow: Flow): SipRequest {
  const r = parseMessage(Buffer.from(text));
  if (!r.ok || r.message.kind !== 'request') throw new Error(`bench input does not parse: ${r.ok ? 'response' : r.error}`);
  stampReceived(r.message, flow);
  return r.message;
}

interface Case {
  name: string;
  /** Untimed: prepare inputs for `n` operations. */
  prepare(n: number): void;
  /** Timed: operation number `k` of the prepared batch. */
  run(k: number): void;
  live(): number;
}

let sink = 0;
let serial = 0;

/** The REGISTER path: receive, 200 with Contact (the registrar's answer), and Timer J. */
function serverNonInvite(flow: Flow): Case {
  const clock = new BenchClock();
  const layer = new TransactionLayer({ clock, viaSentBy: () => ({ host: '192.0.2.1', port: 5060 }) });
  let batch: SipRequest[] = [];
  const transport = flow.protocol === 'udp' ? 'UDP' : 'TCP';
  return {
    name: `server non-INVITE: REGISTER in, createResponse + respond 200, Timer J (${transport})`,
    prepare(n) {
      batch = Array.from({ length: n }, () => parsed(register(serial++, transport), flow));
    },
    run(k) {
      clock.t += 2; // 500 REGISTER/s
      layer.handleTimeout(clock.t);
      const req = batch[k]!;
      layer.receive(req, flow);
      for (let e = layer.pollEvent(); e; e = layer.pollEvent()) {
        if (e.type !== 'request') continue;
        layer.respond(e.tx, registerOk(e.request));
      }
      for (let t = layer.pollTransmit(); t; t = layer.pollTransmit()) sink += t.data.length;
    },
    live: () => layer.size,
  };
}

function registerOk(req: SipRequest): SipResponse {
  const res = createResponse(req, 200, undefined, { toTag: 'a8Yz3' });
  res.headers.append('Contact', '<sip:alice@192.0.2.44:5060;transport=udp>;expires=3600');
  return res;
}

/** An INVITE answered at once: receive (+ automatic 100 Trying), 180, 200, Timer L. */
function serverInvite(): Case {
  const clock = new BenchClock();
  const layer = new TransactionLayer({ clock, viaSentBy: () => ({ host: '192.0.2.1', port: 5060 }) });
  let batch: SipRequest[] = [];
  return {
    name: 'server INVITE: INVITE in, 100 (auto) + 180 + 200, Timer L (UDP)',
    prepare(n) {
      batch = Array.from({ length: n }, () => parsed(invite(serial++), udp));
    },
    run(k) {
      clock.t += 2;
      layer.handleTimeout(clock.t);
      layer.receive(batch[k]!, udp);
      for (let e = layer.pollEvent(); e; e = layer.pollEvent()) {
        if (e.type !== 'request') continue;
        answerInvite(layer, e.tx, e.request);
      }
      for (let t = layer.pollTransmit(); t; t = layer.pollTransmit()) sink += t.data.length;
    },
    live: () => layer.size,
  };
}

function answerInvite(layer: TransactionLayer, tx: ServerTransaction, req: SipRequest): void {
  layer.respond(tx, createResponse(req, 180, undefined, { toTag: 'x1' }));
  layer.respond(tx, createResponse(req, 200, undefined, { toTag: 'x1' }));
}

/** Our own OPTIONS pings: sendRequest (Via added, serialized), the 200 back, Timer K. */
function clientNonInvite(): Case {
  const clock = new BenchClock();
  const layer = new TransactionLayer({ clock, viaSentBy: () => ({ host: '192.0.2.1', port: 5060 }) });
  let batch: SipRequest[] = [];
  const template = parsed(register(0, 'UDP').replace(/REGISTER/g, 'OPTIONS'), udp);
  template.headers.remove('Via'); // the layer adds ours
  return {
    name: 'client non-INVITE: sendRequest, 200 in, Timer K (UDP)',
    prepare(n) {
      batch = Array.from({ length: n }, () => new SipRequest(template.method, template.uri, template.headers.clone()));
    },
    run(k) {
      clock.t += 2;
      layer.handleTimeout(clock.t);
      const req = batch[k]!;
      const tx = layer.sendRequest(req, udp);
      layer.receive(createResponse(tx.request, 200), udp);
      for (let e = layer.pollEvent(); e; e = layer.pollEvent()) sink++;
      for (let t = layer.pollTransmit(); t; t = layer.pollTransmit()) sink += t.data.length;
    },
    live: () => layer.size,
  };
}

interface BenchNode extends HeapNode {
  id: number;
}

/** The timer table alone at the REGISTER steady state: one schedule and one expiry per operation. */
function heapOnly(): Case {
  const heap = new TimerHeap<BenchNode>();
  let t = 0;
  let nodes: BenchNode[] = [];
  return {
    name: 'timer heap: schedule + expire one node (16k live)',
    prepare(n) {
      nodes = Array.from({ length: n }, (_, id) => ({ id, at: 0, seq: 0, index: -1 }));
    },
    run(k) {
      t += 2;
      for (let x = heap.popDue(t); x; x = heap.popDue(t)) sink += x.id;
      heap.schedule(nodes[k]!, t + 32_000);
    },
    live: () => heap.size,
  };
}

const cases: Case[] = [
  serverNonInvite(udp),
  serverNonInvite(tcp),
  serverInvite(),
  clientNonInvite(),
  heapOnly(),
];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function timeBatch(c: Case, n: number): number {
  c.prepare(n);
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < n; k++) c.run(k);
  return Number(process.hrtime.bigint() - t0) / n;
}

/** Bytes per live transaction at the UDP REGISTER steady state (needs --expose-gc). */
function bytesPerLiveTransaction(): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  const c = serverNonInvite(udp);
  c.prepare(16_000);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let k = 0; k < 16_000; k++) c.run(k);
  c.prepare(0); // drop the batch: only what the layer keeps stays reachable
  gc();
  return (process.memoryUsage().heapUsed - before) / c.live();
}

function main(): void {
  const rounds = arg('--rounds', 9);
  const ms = arg('--ms', 150);
  // Warm-up to steady state: 20k operations = 40 s of fake time, so ~16k transactions are live.
  const batches = cases.map((c) => {
    timeBatch(c, 20_000);
    const per = timeBatch(c, 2000);
    return Math.max(1000, Math.round((ms * 1e6) / per));
  });
  const samples: number[][] = cases.map(() => []);
  for (let r = 0; r < rounds; r++) cases.forEach((c, i) => samples[i]!.push(timeBatch(c, batches[i]!)));
  const results = cases.map((c, i) => {
    const s = samples[i]!.sort((a, b) => a - b);
    return { name: c.name, nsPerOp: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]!, live: c.live() };
  });
  const bytes = bytesPerLiveTransaction();
  console.log(`SIP transaction layer, node ${process.version}, median and min of ${rounds} interleaved rounds of ~${ms} ms per case`);
  console.table(
    results.map((r) => ({
      case: r.name,
      'us/op': +(r.nsPerOp / 1000).toFixed(2),
      'ops/s': Math.round(1e9 / r.nsPerOp),
      'min us/op': +(r.min / 1000).toFixed(2),
      'live tx': r.live,
    })),
  );
  if (bytes !== undefined) console.log(`heap per live REGISTER transaction (Completed, Timer J running): ~${Math.round(bytes)} bytes`);
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results', 'sip-transactions.json');
  mkdirSync(dirname(out), { recursive: true });
  const json = {
    bench: 'sip-transactions',
    node: process.version,
    date: new Date().toISOString(),
    rounds,
    bytesPerLiveRegisterTransaction: bytes ?? null,
    results: results.map((r) => ({ case: r.name, nsPerOp: r.nsPerOp, opsPerSec: 1e9 / r.nsPerOp, minNs: r.min, maxNs: r.max, liveTransactions: r.live })),
  };
  writeFileSync(out, JSON.stringify(json, null, 2) + '\n');
  console.log(`wrote ${out} (sink ${sink % 10})`);
}

main();
