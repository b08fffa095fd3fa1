/**
 * The benchmark's load generator, a separate process: N participants sending RTP to the
 * engine over loopback UDP, 50 packets/s each, and listening to what comes back.
 *
 * Lean by design, since it competes with the engine for the same cores: a few sockets
 * shared by all participants (each participant is a distinct engine port, so the engine
 * needs no distinct source address; replies are told apart by their source port), `send`
 * without callback, payloads pre-encoded once per talker and shared, one 12-byte header
 * per participant (two, alternating) and a gather send. Only the talkers and a sample of
 * listeners are decoded and analysed (Goertzel per talker tone, click detection); every
 * listener is counted for loss.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { codecByName } from '../../src/rtp/codec/registry.js';
import { goertzelPower, powerToDbov } from '../../src/dsp/goertzel.js';
import { ToneGenerator } from '../../src/dsp/tone.js';
import { audioLevel } from '../../src/dsp/level.js';
import { writeAudioLevelExtension } from '../../src/rtp/header-extension.js';
import { TickSchedule, type DueTick } from '../../src/mixer/clock/tick-schedule.js';
import { monotonicMs } from '../../src/mixer/clock/tick-loop.js';
import type { FromGenerator, GeneratorReport, LoadPlan, ToGenerator } from './protocol.js';

const FRAMES = 50; // one second of pre-encoded audio per source, cycled
const CLICK_PEAK = 16000; // a decoded frame peaking above this holds the click

/** Frames gathered before one Goertzel analysis: 160 ms, so tones 6 Hz apart are told apart. */
const WINDOW_FRAMES = 8;

interface Listener {
  talker: number;
  analysed: boolean;
  power: Float64Array;
  windows: number;
  nextSeq: number;
  pcm: Int16Array;
  /** WINDOW_FRAMES frames of decoded audio, analysed with a Hann window when full. */
  window: Int16Array;
  filled: number;
  /** The window holds a click frame: it is not analysed (the burst's spectrum covers every tone). */
  clicked: boolean;
}

let plan: LoadPlan;
let sockets: Socket[] = [];
let measuring = false;
let sent = 0;
let received = 0;
let lost = 0;
let expected = 0;
const latencies: number[] = [];
let lastClickSentMs = -1;
const clickSeenBy = new Set<number>();
let listeners: Listener[] = [];
let portToParticipant: Int32Array;
let portBase = 0;
let cpu0 = process.cpuUsage();
let wall0 = 0;
let sched: TickSchedule;

function send(m: FromGenerator): void {
  process.send!(m);
}

async function start(p: LoadPlan): Promise<void> {
  plan = p;
  for (let s = 0; s < p.sockets; s++) {
    const sock = createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
    sock.bind(p.basePort + s * 2, '127.0.0.1');
    await once(sock, 'listening');
    sock.on('message', onMessage);
    sockets.push(sock);
  }
  portBase = Math.min(...p.enginePorts);
  portToParticipant = new Int32Array(Math.max(...p.enginePorts) - portBase + 1).fill(-1);
  p.enginePorts.forEach((port, i) => (portToParticipant[port - portBase] = i));
  const codec = codecByName(p.codec);
  const samples = codec.frameSamples(20);
  let sampled = 0;
  listeners = p.enginePorts.map((_, i) => {
    const talker = i < p.talkers ? i : -1;
    const analysed = talker >= 0 || sampled++ < p.sampledListeners;
    const window = new Int16Array(analysed ? samples * WINDOW_FRAMES : 0);
    return { talker, analysed, power: new Float64Array(p.talkers), windows: 0, nextSeq: -1, pcm: new Int16Array(samples), window, filled: 0, clicked: false };
  });
  const payloads = buildPayloads(p, samples);
  runSender(p, payloads, codec.timestampStep(20));
  send({ type: 'ready' });
}

/** Pre-encoded frames: per talker one second of its tone, a click frame, and room noise. */
interface Payloads {
  tones: Buffer[][];
  click: Buffer;
  noise: Buffer[];
  /** RFC 6464 levels (0 loud .. 127 silent) of a talker's frames and of the room noise. */
  toneLevel: number;
  noiseLevel: number;
}

function buildPayloads(p: LoadPlan, samples: number): Payloads {
  const codec = codecByName(p.codec);
  const enc = (pcm: Int16Array, e = codec.createEncoder()): Buffer => {
    const out = Buffer.alloc(1500);
    return Buffer.from(out.subarray(0, e.encode(pcm, out)));
  };
  let toneLevel = 127;
  const tones = p.toneHz.slice(0, p.talkers).map((hz) => {
    const gen = new ToneGenerator(codec.sampleRate, hz, { amplitude: 4000 });
    const e = codec.createEncoder();
    return Array.from({ length: FRAMES }, () => {
      const pcm = new Int16Array(samples);
      gen.fill(pcm);
      toneLevel = audioLevel(pcm);
      return enc(pcm, e);
    });
  });
  // The click: 10 ms of a loud 1 kHz burst at the start of the frame, inside every codec's band.
  const clickPcm = new Int16Array(samples);
  new ToneGenerator(codec.sampleRate, 1000, { amplitude: 28000 }).fill(clickPcm, samples / 2);
  let seed = 7;
  let noiseLevel = 127;
  const noise = Array.from({ length: 8 }, () => {
    const pcm = new Int16Array(samples);
    for (let i = 0; i < samples; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      pcm[i] = ((seed >>> 16) % 61) - 30; // about -65 dBov: room noise under the VAD threshold
    }
    noiseLevel = audioLevel(pcm);
    return enc(pcm);
  });
  return { tones, click: enc(clickPcm), noise, toneLevel, noiseLevel };
}

function runSender(p: LoadPlan, payloads: Payloads, step: number): void {
  const n = p.enginePorts.length;
  // Per participant two alternating headers; the RFC 6464 element is written once here.
  const headers = Array.from({ length: n * 2 }, (_, j) => {
    const h = Buffer.alloc(p.audioLevelExtId ? 20 : 12);
    h[0] = 0x80;
    const talker = j >> 1 < p.talkers;
    if (p.audioLevelExtId) writeAudioLevelExtension(h, 0, p.audioLevelExtId, talker ? payloads.toneLevel : payloads.noiseLevel, talker);
    return h;
  });
  const seq = new Uint16Array(n);
  const ts = new Uint32Array(n);
  const list: Buffer[] = [headers[0]!, headers[0]!];
  sched = new TickSchedule({ epochMs: monotonicMs(), periodMs: 20, startMs: monotonicMs() + 1 });
  const due: DueTick = { tick: 0, phase: 0, deadlineMs: 0, lateMs: 0 };
  const clickEveryTicks = Math.max(1, Math.round(p.clickEveryMs / 20));
  const tick = (): void => {
    while (sched.poll(monotonicMs(), due)) {
      const k = due.tick;
      for (let i = 0; i < n; i++) {
        const h = headers[i * 2 + (k & 1)]!;
        h[1] = p.payloadType;
        h.writeUInt16BE(seq[i]!, 2);
        h.writeUInt32BE(ts[i]!, 4);
        h.writeUInt32BE(0x10000 + i, 8);
        seq[i] = seq[i]! + 1;
        ts[i] = ts[i]! + step;
        let payload: Buffer;
        if (i < p.talkers) payload = i === 0 && k % clickEveryTicks === 0 ? payloads.click : payloads.tones[i]![k % FRAMES]!;
        else payload = payloads.noise[(k + i) & 7]!;
        list[0] = h;
        list[1] = payload;
        sockets[i % sockets.length]!.send(list, p.enginePorts[i]!, '127.0.0.1');
        sent++;
      }
      if (k % clickEveryTicks === 0) {
        lastClickSentMs = performance.now();
        clickSeenBy.clear();
      }
    }
    setTimeout(tick, Math.max(0, Math.floor(sched.nextDeadline() - monotonicMs())));
  };
  tick();
}

function onMessage(msg: Buffer, rinfo: RemoteInfo): void {
  const i = portToParticipant[rinfo.port - portBase] ?? -1;
  if (i < 0 || msg.length < 12) return;
  if (msg[1]! >= 192 && msg[1]! <= 223) return; // the engine's RTCP reports (RFC 5761 §4): not audio
  received++;
  const l = listeners[i]!;
  const seq = (msg[2]! << 8) | msg[3]!;
  if (measuring && l.nextSeq >= 0) {
    const gap = (seq - l.nextSeq) & 0xffff;
    if (gap < 0x8000) {
      expected += gap + 1;
      lost += gap;
    }
  }
  l.nextSeq = (seq + 1) & 0xffff;
  if (!l.analysed) return;
  const codec = codecByName(plan.codec);
  const dec = (decoders[i] ??= codec.createDecoder());
  const n = dec.decode(msg.subarray(12 + (msg[0]! & 0x0f) * 4), l.pcm); // the engine sends no extension
  let peak = 0;
  for (let s = 0; s < n; s++) {
    const a = Math.abs(l.pcm[s]!);
    if (a > peak) peak = a;
  }
  if (peak > CLICK_PEAK) l.clicked = true;
  if (peak > CLICK_PEAK && l.talker !== 0 && lastClickSentMs > 0 && !clickSeenBy.has(i)) {
    clickSeenBy.add(i);
    if (measuring) latencies.push(performance.now() - lastClickSentMs);
  }
  if (!measuring) return;
  l.window.set(l.pcm.subarray(0, n), l.filled);
  l.filled += n;
  if (l.filled + n > l.window.length) {
    if (!l.clicked) {
      l.windows++;
      for (let t = 0; t < plan.talkers; t++) l.power[t] += goertzelPower(l.window, codec.sampleRate, plan.toneHz[t]!, 0, l.filled, true);
    }
    l.filled = 0;
    l.clicked = false;
  }
}
const decoders: ReturnType<ReturnType<typeof codecByName>['createDecoder']>[] = [];

function report(): GeneratorReport {
  const cpu = process.cpuUsage(cpu0);
  return {
    sent,
    received,
    lost,
    expected,
    latenciesMs: latencies,
    listeners: listeners
      .map((l, participant) => ({ l, participant }))
      .filter(({ l }) => l.analysed)
      .map(({ l, participant }) => ({ participant, talker: l.talker, toneDbov: Array.from(l.power, (p) => powerToDbov(l.windows ? p / l.windows : 0)) })),
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs: performance.now() - wall0,
    lateTicks: sched.lateTicks,
    ticks: sched.ticks,
  };
}

process.on('message', (m: ToGenerator) => {
  if (m.type === 'plan') void start(m.plan);
  else if (m.type === 'measure') {
    measuring = true;
    sent = 0;
    received = 0;
    cpu0 = process.cpuUsage();
    wall0 = performance.now();
    sched.lateTicks = 0;
    sched.ticks = 0;
  } else if (m.type === 'report') {
    send({ type: 'report', report: report() });
    setTimeout(() => process.exit(0), 50);
  }
});

// Never outlive the benchmark (a killed parent must not leave 50k packets/s running).
process.on('disconnect', () => process.exit(0));
