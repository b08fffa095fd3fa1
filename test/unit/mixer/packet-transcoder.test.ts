import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PacketTranscoder, type TranscodeTarget } from '../../../src/mixer/relay/packet-transcoder.js';
import { PCMA, PCMU } from '../../../src/rtp/codec/g711.js';
import { OPUS } from '../../../src/rtp/codec/opus.js';
import type { AudioCodec } from '../../../src/rtp/codec/codec.js';
import { ToneGenerator } from '../../../src/dsp/tone.js';
import { goertzelPower, powerToDbov } from '../../../src/dsp/goertzel.js';

interface Sent {
  payload: Uint8Array;
  ts: number;
  marker: boolean;
}

function target(codec: AudioCodec): TranscodeTarget & { sent: Sent[] } {
  const sent: Sent[] = [];
  return { codec, encoder: codec.createEncoder(), sent, send: (payload, ts, marker) => sent.push({ payload: payload.slice(), ts, marker }) };
}

/** `n` packets of `ms` ms of a `hz` tone encoded with `codec` at 8 kHz. */
function packets(codec: AudioCodec, ms: number, n: number, hz = 1000): Uint8Array[] {
  const gen = new ToneGenerator(8000, hz, { amplitude: 8000 });
  const enc = codec.createEncoder();
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const pcm = new Int16Array((8000 * ms) / 1000);
    gen.fill(pcm);
    const buf = new Uint8Array(1500);
    out.push(buf.slice(0, enc.encode(pcm, buf)));
  }
  return out;
}

function toneLevel(codec: AudioCodec, sent: Sent[], hz: number): number {
  const dec = codec.createDecoder();
  const pcm = new Int16Array(960 * sent.length);
  let n = 0;
  for (const s of sent) n += dec.decode(s.payload, pcm.subarray(n));
  return powerToDbov(goertzelPower(pcm.subarray(0, n), codec.sampleRate, hz, 0, n, true));
}

test('PCMU -> PCMA: one frame per 20 ms packet, stamped with the mapped timestamp, the tone intact', () => {
  const t = new PacketTranscoder();
  const to = target(PCMA);
  packets(PCMU, 20, 10).forEach((p, i) => t.push(0, PCMU, p, 1000 + i * 160, 5000 + i * 160, i === 0, to));
  assert.equal(to.sent.map((s) => s.ts), Array.from({ length: 10 }, (_, i) => 5000 + i * 160));
  assert.equal(to.sent.map((s) => s.marker), [true, ...Array<boolean>(9).fill(false)], 'marker on the first frame after an anchor');
  assert.ok(to.sent.every((s) => s.payload.length === 160));
  assert.ok(toneLevel(PCMA, to.sent, 1000) > -20, `tone at ${toneLevel(PCMA, to.sent, 1000).toFixed(1)} dBov`);
});

test('30 ms source packets become whole 20 ms frames with continuous timestamps', () => {
  const t = new PacketTranscoder();
  const to = target(PCMA);
  packets(PCMU, 30, 4).forEach((p, i) => t.push(0, PCMU, p, i * 240, i * 240, i === 0, to));
  assert.equal(to.sent.map((s) => s.ts), [0, 160, 320, 480, 640, 800], '120 ms in, six 20 ms frames out');
});

test('a gap in the source drops the unfinished frame and keeps the gap in the output timestamps', () => {
  const t = new PacketTranscoder();
  const to = target(PCMA);
  const p = packets(PCMU, 30, 3);
  t.push(0, PCMU, p[0]!, 0, 0, true, to); // 240 samples: one frame, 80 left
  t.push(0, PCMU, p[2]!, 480, 480, false, to); // packet at 240 lost
  assert.equal(to.sent.map((s) => s.ts), [0, 480], 'the frame after the gap starts at the source\'s own time');
});

test('PCMU (8 kHz) -> Opus (48 kHz clock): 20 ms frames of 960 timestamp units, the tone survives resampling and Opus', () => {
  const t = new PacketTranscoder();
  const to = target(OPUS);
  packets(PCMU, 20, 25, 600).forEach((p, i) => t.push(0, PCMU, p, i * 160, 100 + i * 960, i === 0, to));
  assert.is(to.sent.length, 25);
  assert.is(to.sent[1]!.ts - to.sent[0]!.ts, 960);
  assert.ok(toneLevel(OPUS, to.sent.slice(5), 600) > -25, 'tone heard after the encoder settled');
});

test('Opus -> PCMU: a 48 kHz-clock source decodes to 20 ms G.711 frames with 160-unit steps', () => {
  const enc = OPUS.createEncoder();
  const gen = new ToneGenerator(OPUS.sampleRate, 800, { amplitude: 8000 });
  const t = new PacketTranscoder();
  const to = target(PCMU);
  for (let i = 0; i < 20; i++) {
    const pcm = new Int16Array(OPUS.frameSamples(20));
    gen.fill(pcm);
    const buf = new Uint8Array(1500);
    t.push(111, OPUS, buf.subarray(0, enc.encode(pcm, buf)), i * 960, 7 + i * 160, i === 0, to);
  }
  assert.equal(to.sent.slice(0, 3).map((s) => s.ts), [7, 167, 327]);
  assert.ok(toneLevel(PCMU, to.sent.slice(5), 800) > -25);
});

test.run();
