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
 * Loss is counted per received stream from RTP sequence gaps (the switch's pass-through
 * relay maps sequence numbers one to one, RFC 3550 §5.1), during the measurement window only.
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
  | { type: 'report' }
  | { type: 'stop-sending' };

export interface CallsGeneratorReport {
  streams: number;
  sent: number;
  received: number;
  /** Sequence gaps over every received stream in the window. */
  lost: number;
  expected: number;
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
let sent = 0;
let received = 0;
let lost = 0;
let expected = 0;
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
  }
}

/** 20 ms of a 1 kHz tone in PCMU: 20 whole cycles, so the same frame repeats seamlessly. */
function payload(): Buffer {
  const codec = codecByName('PCMU');
  const pcm = new Int16Array(160);
  new ToneGenerator(8000, 1000, { amplitude: 6000 }).fill(pcm);
  const out = Buffer.alloc(400);
  return Buffer.from(out.subarray(0, codec.createEncoder().encode(pcm, out)));
}

function runSender(): void {
  const body = payload();
  const list: Buffer[] = [body, body];
  sched = new TickSchedule({ epochMs: monotonicMs(), periodMs: 20 / SLOTS, startMs: monotonicMs() + 1, lateThresholdMs: 10 });
  const due: DueTick = { tick: 0, phase: 0, deadlineMs: 0, lateMs: 0 };
  const tick = (): void => {
    while (sched.poll(monotonicMs(), due)) {
      if (!sending) continue;
      const slot = due.tick % SLOTS;
      const frame = Math.floor(due.tick / SLOTS);
      for (let i = slot; i < streams; i += SLOTS) {
        const h = headers[i * 2 + (frame & 1)]!;
        h.writeUInt16BE(seq[i]!, 2);
        h.writeUInt32BE(ts[i]!, 4);
        seq[i] = seq[i]! + 1;
        ts[i] = ts[i]! + 160;
        list[0] = h;
        const side = sockets[sideOf[i] === 0 ? 'a' : 'b'];
        side[i % side.length]!.send(list, destPort[i]!, '127.0.0.1');
        if (measuring) sent++;
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
  if (measuring) {
    received++;
    gotInWindow[idx] = 1;
    if (nextSeq[idx]! >= 0) {
      const gap = (s - nextSeq[idx]!) & 0xffff;
      if (gap < 0x8000) {
        expected += gap + 1;
        lost += gap;
      }
    }
  }
  nextSeq[idx] = (s + 1) & 0xffff;
}

function report(): CallsGeneratorReport {
  const cpu = process.cpuUsage(cpu0);
  let silent = 0;
  for (let i = 0; i < streams; i++) if (!gotInWindow[i]) silent++;
  return {
    streams,
    sent,
    received,
    lost,
    expected,
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
    sent = received = lost = expected = 0;
    gotInWindow.fill(0);
    cpu0 = process.cpuUsage();
    wall0 = monotonicMs();
    sched.lateTicks = 0;
    sched.skipped = 0;
    sched.ticks = 0;
  } else if (m.type === 'report') {
    measuring = false;
    send({ type: 'report', report: report() });
  } else if (m.type === 'stop-sending') {
    sending = false;
  }
});

// Never outlive the benchmark: 90,000 packets/s must not keep running after it.
process.on('disconnect', () => process.exit(0));
