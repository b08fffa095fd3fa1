import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OPUS, opusCodec, isOpusDtx, OpusAudioDecoder } from '../../../src/rtp/codec/opus.js';
import { codecByName, codecForPayloadType } from '../../../src/rtp/codec/registry.js';
import { ToneGenerator } from '../../../src/dsp/tone.js';
import { goertzelPower } from '../../../src/dsp/goertzel.js';

const FRAME = 320; // 20 ms at 16 kHz

/** Encode `frames` 20 ms frames of a tone; returns the packets. */
function encodeTone(freq: number, frames: number, codec = OPUS): Uint8Array[] {
  const enc = codec.createEncoder();
  const g = new ToneGenerator(16000, freq, { amplitude: 10000 });
  const pcm = new Int16Array(FRAME);
  const packets: Uint8Array[] = [];
  for (let k = 0; k < frames; k++) {
    g.fill(pcm);
    const out = new Uint8Array(1500);
    packets.push(out.slice(0, enc.encode(pcm, out)));
  }
  return packets;
}

function levelDb(pcm: Int16Array, freq: number): number {
  return 10 * Math.log10(goertzelPower(pcm, 16000, freq) / 5e7);
}

test('RTP parameters: 48 kHz RTP clock, dynamic payload type, 16 kHz PCM (RFC 7587 §4.1, §6.1)', () => {
  assert.is(OPUS.name, 'opus');
  assert.is(OPUS.rtpClockRate, 48000);
  assert.is(OPUS.staticPayloadType, undefined);
  assert.is(OPUS.sampleRate, 16000);
  assert.is(OPUS.frameSamples(20), 320);
  assert.is(OPUS.timestampStep(20), 960);
  assert.is(codecByName('opus'), OPUS);
  assert.is(codecForPayloadType(111, { name: 'opus', clockRate: 48000 }), OPUS);
  assert.is(codecForPayloadType(111), undefined);
});

test('round trip keeps a 1 kHz tone at its level, and the packets fit the 24 kbit/s target', () => {
  const packets = encodeTone(1000, 50);
  const dec = OPUS.createDecoder();
  const out = new Int16Array(960);
  let n = 0;
  for (const p of packets) n = dec.decode(p, out);
  assert.is(n, 320);
  const frame = out.subarray(0, 320);
  // 20 whole cycles in the frame: the input reads 0 dB on this scale
  assert.ok(Math.abs(levelDb(frame, 1000)) < 2, `level ${levelDb(frame, 1000).toFixed(2)} dB`);
  assert.ok(goertzelPower(frame, 16000, 2500) < goertzelPower(frame, 16000, 1000) / 100, 'energy stays at the tone');
  const mean = packets.slice(10).reduce((a, p) => a + p.length, 0) / 40;
  assert.ok(mean > 30 && mean < 100, `mean packet ${mean} bytes (24 kbit/s is 60)`);
  // RFC 6716 §3.1: TOC config 9 = SILK wideband 20 ms (VOIP application at 16 kHz)
  const config = packets[20]![0]! >> 3;
  assert.ok([9, 13].includes(config), `TOC config ${config}: a 20 ms voice mode`);
});

test('a lost packet is concealed by libopus PLC (TOC-only packet): the tone goes on', () => {
  const packets = encodeTone(600, 30);
  const dec = OPUS.createDecoder();
  const out = new Int16Array(320);
  for (const p of packets.slice(0, 25)) dec.decode(p, out);
  const lost = new Int16Array(320);
  assert.is(dec.conceal(lost, 320), 320);
  assert.ok(levelDb(lost, 600) > -20, `concealed level ${levelDb(lost, 600).toFixed(1)} dB`);
  assert.ok(goertzelPower(lost, 16000, 600) > 10 * goertzelPower(lost, 16000, 1800), 'still that tone');
  // and the stream resumes
  assert.is(dec.decode(packets[26]!, out), 320);
});

test('concealment of a non-20 ms duration produces exactly that many samples', () => {
  const dec = OPUS.createDecoder();
  const out = new Int16Array(960).fill(7);
  for (const p of encodeTone(500, 5)) dec.decode(p, out);
  assert.is(dec.conceal(out, 960), 960);
  assert.is(dec.conceal(out, 170), 170); // 10 ms + 2.5 ms + a remainder left silent
  assert.is(out[169], 0);
});

test('a corrupt payload is concealed and counted instead of throwing', () => {
  const dec = OPUS.createDecoder() as OpusAudioDecoder;
  const out = new Int16Array(320);
  assert.is(dec.decode(new Uint8Array([0xff, 0xff, 0xff, 0xff, 1, 2]), out), 320);
  assert.is(dec.corrupt, 1);
});

test('DTX: with usedtx the encoder sends frames of at most 2 bytes in silence (RFC 7587 §3.1.3)', () => {
  const codec = opusCodec({ dtx: true });
  const enc = codec.createEncoder();
  const silent = new Int16Array(320);
  const out = new Uint8Array(1500);
  const sizes: number[] = [];
  for (let k = 0; k < 50; k++) sizes.push(enc.encode(silent, out));
  // libopus still sends a small comfort-noise refresh every 400 ms (one frame in 20)
  const dtx = sizes.slice(20).filter((n) => n <= 2).length;
  assert.ok(dtx >= 27, `sizes ${sizes.slice(20).join(',')}`);
  assert.ok(isOpusDtx(out.subarray(0, sizes[49]!)));
  assert.not.ok(isOpusDtx(new Uint8Array(3)));
  const voiced = encodeTone(300, 3, codec);
  assert.ok(voiced[2]!.length > 2);
});

test('a frame that is not 2.5-60 ms is refused, and a short output buffer truncates decoding', () => {
  const enc = OPUS.createEncoder();
  assert.throws(() => enc.encode(new Int16Array(300), new Uint8Array(1500)), RangeError);
  const p = new Uint8Array(1500);
  const bytes = enc.encode(new Int16Array(640), p); // 40 ms
  const dec = OPUS.createDecoder();
  assert.is(dec.decode(p.subarray(0, bytes), new Int16Array(320)), 320);
  assert.is(dec.decode(p.subarray(0, bytes), new Int16Array(960)), 640);
});

test.run();
