/**
 * Media hot-path micro-benchmark: cost of one 20 ms frame for each codec's encoder and
 * decoder, the resampler, the jitter buffer and RTP header-extension parsing.
 *
 *   npx tsc -p . && node dist/bench/codec.js [--rounds 7] [--ms 250]
 *
 * Each case runs a warm-up, then `rounds` timed rounds of about `ms` each; the table shows
 * the median ns per operation (one 20 ms frame, or one packet) and the spread (min-max),
 * and how many minor garbage collections (scavenges) ran during the timed rounds, a proxy
 * for allocation: zero means the path allocated (next to) nothing.
 * Writes bench/results/codec.json. Timings depend on the machine and its load; this is
 * never a test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { Command } from 'commander';
import { PCMA, PCMU } from '../src/rtp/codec/g711.js';
import { G722 } from '../src/rtp/codec/g722.js';
import { opusCodec } from '../src/rtp/codec/opus.js';
import type { AudioCodec } from '../src/rtp/codec/codec.js';
import { Resampler } from '../src/dsp/resampler.js';
import { toneSamples } from '../src/dsp/tone.js';
import { JitterBuffer } from '../src/rtp/jitter-buffer.js';
import { newRtpPacketView, unmarshalRtp, marshalRtpHeader } from '../src/rtp/packet.js';
import { readAudioLevel, writeAudioLevelExtension } from '../src/rtp/header-extension.js';
import { audioLevel } from '../src/dsp/level.js';

interface CaseResult {
  name: string;
  nsPerOp: number;
  minNs: number;
  maxNs: number;
  scavenges: number;
  ops: number;
}

let scavenges = 0;
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
    if (kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) scavenges++;
  }
});

function measure(name: string, op: () => void, rounds: number, roundMs: number): CaseResult {
  // Warm up and calibrate: how many ops fill one round.
  let n = 16;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) op();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms > roundMs / 4) {
      n = Math.max(1, Math.round((n * roundMs) / ms));
      break;
    }
    n *= 4;
  }
  const samples: number[] = [];
  const before = scavenges;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) op();
    samples.push(Number(process.hrtime.bigint() - t0) / n);
  }
  samples.sort((a, b) => a - b);
  return {
    name,
    nsPerOp: samples[samples.length >> 1]!,
    minNs: samples[0]!,
    maxNs: samples[samples.length - 1]!,
    scavenges: scavenges - before,
    ops: n * rounds,
  };
}

/** Encoder and decoder cases for one codec, 20 ms frames of a speech-band two-tone signal. */
function codecCases(label: string, codec: AudioCodec): Array<[string, () => void]> {
  const samples = codec.frameSamples(20);
  const pcm = toneSamples(codec.sampleRate, 437, samples, { amplitude: 8000 });
  const hi = toneSamples(codec.sampleRate, 1780, samples, { amplitude: 3000 });
  for (let i = 0; i < samples; i++) pcm[i]! += hi[i]!;
  const enc = codec.createEncoder();
  const dec = codec.createDecoder();
  const payload = new Uint8Array(1500);
  const out = new Int16Array(samples);
  let len = 0;
  for (let k = 0; k < 10; k++) len = enc.encode(pcm, payload);
  const packet = payload.slice(0, len);
  return [
    [`${label} encode`, () => void enc.encode(pcm, payload)],
    [`${label} decode`, () => void dec.decode(packet, out)],
    [`${label} conceal`, () => void dec.conceal(out, samples)],
  ];
}

function resamplerCase(from: number, to: number): [string, () => void] {
  const r = new Resampler(from, to);
  const x = toneSamples(from, 1000, from / 50, { amplitude: 8000 });
  const y = new Int16Array(r.maxOutput(x.length));
  return [`resample ${from / 1000}k -> ${to / 1000}k`, () => void r.process(x, y)];
}

/** One packet in, one tick out, on a steady stream (the mixer's per-participant work). */
function jitterCase(): [string, () => void] {
  const jb = new JitterBuffer({ clockRate: 8000 });
  const payload = new Uint8Array(160);
  let seq = 0;
  let ts = 0;
  let t = 0;
  for (let k = 0; k < 5; k++) {
    jb.push(seq++ & 0xffff, ts, payload, t);
    ts += 160;
    t += 20;
  }
  return [
    'jitter push + pop',
    () => {
      jb.push(seq++ & 0xffff, ts >>> 0, payload, t);
      ts += 160;
      t += 20;
      jb.pop();
    },
  ];
}

function headerCase(): [string, () => void] {
  const buf = new Uint8Array(12 + 8 + 160);
  marshalRtpHeader({ marker: false, payloadType: 0, sequence: 1, timestamp: 160, ssrc: 7 }, buf);
  writeAudioLevelExtension(buf, 0, 1, 30, true);
  const view = newRtpPacketView();
  return [
    'RTP parse + RFC 6464 level',
    () => {
      unmarshalRtp(buf, buf.length, view);
      readAudioLevel(buf, view, 1);
    },
  ];
}

function main(): void {
  const opts = new Command()
    .option('--rounds <n>', 'timed rounds per case', '7')
    .option('--ms <n>', 'duration of one round, ms', '250')
    .parse()
    .opts<{ rounds: string; ms: string }>();
  const rounds = Number(opts.rounds);
  const roundMs = Number(opts.ms);
  gcObserver.observe({ entryTypes: ['gc'] });
  const level = toneSamples(8000, 440, 160);
  const cases: Array<[string, () => void]> = [
    ...codecCases('PCMU', PCMU),
    ...codecCases('PCMA', PCMA),
    ...codecCases('G722', G722),
    ...codecCases('Opus 16k c5 24k', opusCodec()),
    ...codecCases('Opus 16k c10 24k', opusCodec({ complexity: 10 })),
    resamplerCase(8000, 16000),
    resamplerCase(16000, 8000),
    resamplerCase(8000, 48000),
    resamplerCase(48000, 8000),
    resamplerCase(16000, 48000),
    resamplerCase(48000, 16000),
    jitterCase(),
    headerCase(),
    ['frame level (RFC 6464, 160 samples)', () => void audioLevel(level)],
  ];
  const results: CaseResult[] = [];
  for (const [name, op] of cases) results.push(measure(name, op, rounds, roundMs));
  gcObserver.disconnect();

  const pad = Math.max(...results.map((r) => r.name.length));
  console.log(`${'case'.padEnd(pad)}  ${'ns/op'.padStart(10)}  ${'min-max ns'.padStart(21)}  ${'x realtime/core'.padStart(15)}  scavenges`);
  for (const r of results) {
    const perCore = r.name.startsWith('jitter') || r.name.startsWith('RTP') ? '' : Math.floor(20e6 / r.nsPerOp).toString();
    console.log(
      `${r.name.padEnd(pad)}  ${r.nsPerOp.toFixed(0).padStart(10)}  ${`${r.minNs.toFixed(0)}-${r.maxNs.toFixed(0)}`.padStart(21)}  ${perCore.padStart(15)}  ${r.scavenges}`,
    );
  }
  const report = {
    when: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    loadavg: loadavg(),
    rounds,
    roundMs,
    note: 'ns per operation = one 20 ms frame (codecs, resampler, level) or one packet (jitter, RTP parse); x realtime/core = 20 ms / cost',
    results,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/codec.json', JSON.stringify(report, null, 2) + '\n');
  console.log('\nwrote bench/results/codec.json');
}

main();
