/**
 * The relayed-calls benchmark's media load generator, a separate process: for every call
 * leg the benchmark hands it (the switch's media port of the caller side 'a' or the callee
 * side 'b'), it sends G.711 (PCMU) RTP at 50 packets/s and counts what the switch relays
 * back from the other leg - the receivers' view of loss, not the switch's own counters.
 *
 * Lean, since it competes with the switch for the same cores: a few sockets per side shared
 * by all legs (the switch latches each endpoint onto the socket its first packet came from,
 * RFC 4961-style symmetric RTP, and streams are told apart by the switch's source port), one
 * pre-encoded payload shared by every stream, two 12-byte headers per stream written in place
 * and sent as a gather list without callback. Sends are spread over four 5 ms slots of each
 * 20 ms frame instead of one burst of every stream at once.
 *
 * Every packet carries its send time in its first 8 payload bytes (pass-through relays do not
 * touch payloads), so the window is exact: a packet counts when it was SENT inside the window,
 * and it is received if it arrives before the report (which the benchmark asks for a drain
 * time after the window): loss per direction = 1 - received / sent, and each packet's delay
 * through the switch (loopback, queues, relay) goes into a histogram. RTP sequence gaps are
 * counted as well (the relay maps sequence numbers one to one, RFC 3550 §5.1).
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { codecByName } from '../src/rtp/codec/registry.js';
import { ToneGenerator } from '../src/dsp/tone.js';
import { TickSchedule, type DueTick } from '../src/mixer/clock/tick-schedule.js';
import { monotonicMs } from '../src/mixer/clock/tick-loop.js';

export type Side = 'a' | 'b';

export type ToCallsGenerator =
  | { type: 'start'; socketsPerSide: number }
  | { type: 'add'; side: Side; ports: number[] }
  | { type: 'measure' }
  | { type: 'end' }
  | { type: 'report' }
  | { type: 'stop-sending' };

export interface CallsGeneratorReport {
  streams: number;
  /** Packets sent in the window towards the caller-side (a) and callee-side (b) endpoints. */
  sent: Record<Side, number>;
  /** Of those, packets that came back relayed out of the other side's endpoint. */
  received: Record<Side, number>;
  /** Sequence gaps over every received stream in the window. */
  seqGaps: number;
  /** Delay from send to receive through the switch, ms. */
  delayMs: { p50: number; p99: number; max: number };
  /** Streams sent to that got nothing back during the window. */
  silentStreams: number;
  cpuMs: number;
  wallMs: number;
  lateSlots: number;
  skippedSlots: number;
  slots: number;
}

export type FromCallsGenerator = { type: 'ready'; ports: Record<Side, number[]> } | { type: 'report'; report: CallsGeneratorReport };

const SLOTS = 4; // 5 ms slots per 20 ms frame
const MAX_STREAMS = 8192;

const sockets: Record<Side, Socket[]> = { a: [], b: [] };
let streams = 0;
const destPort = new Int32Array(MAX_STREAMS);
const sideOf = new Uint8Array(MAX_STREAMS); // 0 a, 1 b
const seq = new Uint16Array(MAX_STREAMS);
const ts = new Uint32Array(MAX_STREAMS);
const headers: Buffer[] = [];
/** Switch port -> stream index + 1 (0: unknown). */
const byPort = new Int32Array(65536);
const nextSeq = new Int32Array(MAX_STREAMS).fill(-1);
const gotInWindow = new Uint8Array(MAX_STREAMS);
let sending = true;
let measuring = false;
let windowStart = Infinity;
let windowEnd = Infinity;
const sent = { a: 0, b: 0 };
const received = { a: 0, b: 0 };
let seqGaps = 0;
/** Delays in 0.1 ms buckets up to 2 s; the last bucket holds the rest. */
const delays = new Uint32Array(20_001);
let maxDelay = 0;
const payloads: Buffer[] = [];
let cpu0 = process.cpuUsage();
let wall0 = 0;
let sched: TickSchedule;

function send(m: FromCallsGenerator): void {
  process.send!(m);
}

async function start(socketsPerSide: number): Promise<void> {
  for (const side of ['a', 'b'] as const) {
    for (let i = 0; i < socketsPerSide; i++) {
      const s = createSocket({ type: 'udp4', recvBufferSize: 8 << 20, sendBufferSize: 8 << 20 });
      s.bind(0, '127.0.0.1');
      await once(s, 'listening');
      s.on('message', onMessage);
      sockets[side].push(s);
    }
  }
  runSender();
  send({ type: 'ready', ports: { a: sockets.a.map((s) => s.address().port), b: sockets.b.map((s) => s.address().port) } });
}

function add(side: Side, ports: number[]): void {
  for (const p of ports) {
    if (byPort[p] || streams >= MAX_STREAMS) continue;
    const i = streams++;
    destPort[i] = p;
    sideOf[i] = side === 'a' ? 0 : 1;
    byPort[p] = i + 1;
    for (let k = 0; k < 2; k++) {
      const h = Buffer.alloc(12);
      h[0] = 0x80;
      h[1] = 0; // PCMU
      h.writeUInt32BE(0x5000_0000 + i, 8);
      headers[i * 2 + k] = h;
    }
    seq[i] = (i * 7919) & 0xffff;
    payloads[i * 2] = Buffer.from(frame);
    payloads[i * 2 + 1] = Buffer.from(frame);
  }
}

const frame = payload();

/** 20 ms of a 1 kHz tone in PCMU: 20 whole cycles, so the same frame repeats seamlessly. */
function payload(): Buffer {
  const codec = codecByName('PCMU');
  const pcm = new Int16Array(160);
  new ToneGenerator(8000, 1000, { amplitude: 6000 }).fill(pcm);
  const out = Buffer.alloc(400);
  return Buffer.from(out.subarray(0, codec.createEncoder().encode(pcm, out)));
}

function runSender(): void {
  const list: Buffer[] = [frame, frame];
  sched = new TickSchedule({ epochMs: monotonicMs(), periodMs: 20 / SLOTS, startMs: monotonicMs() + 1, lateThresholdMs: 10 });
  const due: DueTick = { tick: 0, phase: 0, deadlineMs: 0, lateMs: 0 };
  const tick = (): void => {
    while (sched.poll(monotonicMs(), due)) {
      if (!sending) continue;
      const slot = due.tick % SLOTS;
      const alt = Math.floor(due.tick / SLOTS) & 1;
      const now = monotonicMs();
      const inWindow = now >= windowStart && now < windowEnd;
      for (let i = slot; i < streams; i += SLOTS) {
        const h = headers[i * 2 + alt]!;
        h.writeUInt16BE(seq[i]!, 2);
        h.writeUInt32BE(ts[i]!, 4);
        seq[i] = seq[i]! + 1;
        ts[i] = ts[i]! + 160;
        const body = payloads[i * 2 + alt]!;
        body.writeDoubleLE(now, 0);
        list[0] = h;
        list[1] = body;
        const side = sideOf[i] === 0 ? 'a' : 'b';
        const socks = sockets[side];
        socks[i % socks.length]!.send(list, destPort[i]!, '127.0.0.1');
        if (inWindow) sent[side]++;
      }
    }
    setTimeout(tick, Math.max(0, Math.floor(sched.nextDeadline() - monotonicMs())));
  };
  tick();
}

function onMessage(msg: Buffer, rinfo: RemoteInfo): void {
  const idx = byPort[rinfo.port]! - 1;
  if (idx < 0 || msg.length < 12) return;
  const pt = msg[1]! & 0x7f;
  if (msg[1]! >= 192 && msg[1]! <= 223) return; // RTCP on the RTP port (RFC 5761 §4)
  if (pt !== 0) return;
  const s = (msg[2]! << 8) | msg[3]!;
  let off = 12 + 4 * (msg[0]! & 0x0f);
  if (msg[0]! & 0x10 && msg.length >= off + 4) off += 4 + 4 * msg.readUInt16BE(off + 2);
  if (msg.length < off + 8) return;
  const t = msg.readDoubleLE(off);
  if (t >= windowStart && t < windowEnd) {
    received[sideOf[idx] === 0 ? 'a' : 'b']++;
    gotInWindow[idx] = 1;
    const d = monotonicMs() - t;
    delays[Math.min(delays.length - 1, Math.max(0, Math.round(d * 10)))]!++;
    if (d > maxDelay) maxDelay = d;
  }
  if (measuring && nextSeq[idx]! >= 0) {
    const gap = (s - nextSeq[idx]!) & 0xffff;
    if (gap < 0x8000) seqGaps += gap;
  }
  nextSeq[idx] = (s + 1) & 0xffff;
}

function percentile(q: number): number {
  let total = 0;
  for (const c of delays) total += c;
  let acc = 0;
  for (let i = 0; i < delays.length; i++) {
    acc += delays[i]!;
    if (acc >= q * total) return i / 10;
  }
  return NaN;
}

function report(): CallsGeneratorReport {
  const cpu = process.cpuUsage(cpu0);
  let silent = 0;
  for (let i = 0; i < streams; i++) if (!gotInWindow[i]) silent++;
  return {
    streams,
    sent: { ...sent },
    received: { ...received },
    seqGaps,
    delayMs: { p50: percentile(0.5), p99: percentile(0.99), max: Number(maxDelay.toFixed(1)) },
    silentStreams: silent,
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs: monotonicMs() - wall0,
    lateSlots: sched.lateTicks,
    skippedSlots: sched.skipped,
    slots: sched.ticks,
  };
}

process.on('message', (m: ToCallsGenerator) => {
  if (m.type === 'start') void start(m.socketsPerSide);
  else if (m.type === 'add') add(m.side, m.ports);
  else if (m.type === 'measure') {
    measuring = true;
    windowStart = monotonicMs();
    windowEnd = Infinity;
    gotInWindow.fill(0);
    cpu0 = process.cpuUsage();
    wall0 = monotonicMs();
    sched.lateTicks = 0;
    sched.skipped = 0;
    sched.ticks = 0;
  } else if (m.type === 'end') {
    windowEnd = monotonicMs();
  } else if (m.type === 'report') {
    measuring = false;
    send({ type: 'report', report: report() });
  } else if (m.type === 'stop-sending') {
    sending = false;
  }
});

// Never outlive the benchmark: 90,000 packets/s must not keep running after it.
process.on('disconnect', () => process.exit(0));
