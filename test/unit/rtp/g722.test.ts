import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { G722, G722Decoder, G722Encoder } from '../../../src/rtp/codec/g722.js';
import { codecByName, codecForPayloadType } from '../../../src/rtp/codec/registry.js';
import { goertzelPower } from '../../../src/dsp/goertzel.js';
import { toneSamples } from '../../../src/dsp/tone.js';

const VECTORS = new URL('../../../../test/unit/rtp/vectors/', import.meta.url);
function bytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, VECTORS)));
}
function pcm(name: string): Int16Array {
  const b = bytes(name);
  return new Int16Array(b.buffer, b.byteOffset, b.byteLength / 2);
}

function encodeAll(x: Int16Array, frame = 320): Uint8Array {
  const enc = new G722Encoder();
  const out = new Uint8Array(x.length / 2);
  for (let i = 0; i < x.length; i += frame) enc.encode(x.subarray(i, i + frame), out.subarray(i / 2));
  return out;
}

function decodeAll(code: Uint8Array, frame = 160): Int16Array {
  const dec = new G722Decoder();
  const out = new Int16Array(code.length * 2);
  for (let i = 0; i < code.length; i += frame) dec.decode(code.subarray(i, i + frame), out.subarray(2 * i));
  return out;
}

/** SNR of y against x delayed by `delay` samples, or by the best delay in [from, to]. */
function snrDb(x: Int16Array, y: Int16Array, from = 0, to = 48, skip = 400): { snr: number; delay: number } {
  let best = { snr: -Infinity, delay: 0 };
  for (let delay = from; delay <= to; delay++) {
    let sig = 0;
    let err = 0;
    for (let i = skip; i < x.length - delay; i++) {
      const e = y[i + delay]! - x[i]!;
      sig += x[i]! * x[i]!;
      err += e * e;
    }
    const snr = 10 * Math.log10(sig / err);
    if (snr > best.snr) best = { snr, delay };
  }
  return best;
}

test('encoder output is bit-exact with the reference octets (ITU-T G.722 mode 1, spandsp vectors)', () => {
  const ours = encodeAll(pcm('g722-input.s16le'));
  const ref = bytes('g722-input.spandsp.g722');
  assert.is(ours.length, ref.length);
  let firstDiff = -1;
  for (let i = 0; i < ref.length && firstDiff < 0; i++) if (ours[i] !== ref[i]) firstDiff = i;
  assert.is(firstDiff, -1, `first differing octet ${firstDiff}`);
});

test('decoder output is bit-exact with the reference samples (ITU-T G.722 mode 1, spandsp vectors)', () => {
  const ours = decodeAll(bytes('g722-input.spandsp.g722'));
  const ref = pcm('g722-input.spandsp.s16le');
  assert.equal(Array.from(ours), Array.from(ref));
});

test('any octet stream decodes like the reference, saturating where the reference wraps around', () => {
  const ours = decodeAll(bytes('g722-random.g722'), 37); // odd chunking: state carries across calls
  const ref = pcm('g722-random.spandsp.s16le');
  let wrapped = 0;
  for (let i = 0; i < ref.length; i++) {
    if (ours[i] === ref[i]) continue;
    wrapped++;
    // the reference wrapped a value beyond 16 bits; ours must be clipped on the side it came from
    const unwrapped = ref[i]! < 0 ? ref[i]! + 65536 : ref[i]! - 65536;
    assert.is(ours[i], unwrapped > 0 ? 32767 : -32768, `sample ${i}: ours ${ours[i]}, reference ${ref[i]}`);
  }
  assert.ok(wrapped < ref.length / 20, `${wrapped} saturated samples`);
});

test('the encoder never sends lower-band codes 0-3 (G.722 Table 16 has none)', () => {
  const x = new Int16Array(16000);
  let s = 99;
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] = (s >>> 16) - 32768;
  }
  const code = encodeAll(x);
  assert.not.ok(code.some((c) => (c & 0x3f) < 4));
});

// The higher band has a 2-bit quantizer: it is coarser by design (measured: 1 kHz 47.5 dB, 3 kHz 41.1 dB, 5.5 kHz 25.5 dB).
for (const [f, band, minSnr] of [
  [1000, 'lower', 35],
  [3000, 'lower', 35],
  [5500, 'higher', 22],
] as const) {
  test(`round trip of a ${f} Hz tone (${band} sub-band) keeps its frequency with SNR > ${minSnr} dB`, () => {
    const x = toneSamples(16000, f, 8000, { amplitude: 10000 });
    const y = decodeAll(encodeAll(x));
    const { snr } = snrDb(x, y, 22, 22);
    assert.ok(snr > minSnr, `SNR ${snr.toFixed(1)} dB`);
    const p = goertzelPower(y, 16000, f, 800, 6400);
    assert.ok(Math.abs(10 * Math.log10(p / 5e7)) < 1, 'level at the tone within 1 dB');
    assert.ok(goertzelPower(y, 16000, f + 500, 800, 6400) < p / 1000, 'nothing much 500 Hz away');
  });
}

test('the two QMFs delay the signal by 22 samples; band-limited noise survives with SNR > 15 dB', () => {
  const x = new Int16Array(8000);
  let s = 5;
  let lp = 0;
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    lp = 0.7 * lp + 0.3 * ((s >>> 16) - 32768) * 0.3; // gentle low-pass, speech-like tilt
    x[i] = Math.round(lp);
  }
  const { snr, delay } = snrDb(x, decodeAll(encodeAll(x)));
  assert.is(delay, 22);
  assert.ok(snr > 15, `SNR ${snr.toFixed(1)} dB`);
});

test('encoding digital silence decodes to near-silence', () => {
  const y = decodeAll(encodeAll(new Int16Array(3200)));
  let peak = 0;
  for (const v of y) peak = Math.max(peak, Math.abs(v));
  assert.ok(peak <= 8, `peak ${peak}`);
});

test('deterministic: two encoders agree, and reset() returns to the initial state', () => {
  const x = toneSamples(16000, 777, 1600, { amplitude: 12000 });
  const a = encodeAll(x);
  const b = encodeAll(x);
  assert.equal(Array.from(a), Array.from(b));
  const enc = new G722Encoder();
  const out = new Uint8Array(800);
  enc.encode(toneSamples(16000, 3000, 1600), out);
  enc.reset();
  enc.encode(x, out);
  assert.equal(Array.from(out), Array.from(a));
});

test('full-scale input stays stable (transmit QMF outputs limited to 15 bits, LOWT/HIGHT)', () => {
  const x = new Int16Array(8000);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin((2 * Math.PI * 1000 * i) / 16000) >= 0 ? 32767 : -32768;
  const y = decodeAll(encodeAll(x));
  const p = goertzelPower(y, 16000, 1000, 800, 6400);
  const pin = goertzelPower(x, 16000, 1000, 800, 6400);
  assert.ok(Math.abs(10 * Math.log10(p / pin)) < 1.5, 'fundamental kept within 1.5 dB');
});

test('RTP parameters: PT 9, 8000 Hz RTP clock for 16 kHz audio (RFC 3551 §4.5.2)', () => {
  assert.is(G722.staticPayloadType, 9);
  assert.is(G722.sampleRate, 16000);
  assert.is(G722.rtpClockRate, 8000);
  assert.is(G722.frameSamples(20), 320);
  assert.is(G722.timestampStep(20), 160);
  const out = new Uint8Array(160);
  assert.is(G722.createEncoder().encode(new Int16Array(320), out), 160);
  assert.is(G722.createDecoder().decode(out, new Int16Array(320)), 320);
  assert.is(codecByName('G722'), G722);
  assert.is(codecForPayloadType(9), G722);
  assert.is(codecForPayloadType(9, { name: 'G722', clockRate: 8000 }), G722);
  assert.is(codecForPayloadType(9, { name: 'G722', clockRate: 16000 }), undefined);
});

test('concealment continues a voiced tone through a lost frame, then fades to silence', () => {
  const x = toneSamples(16000, 200, 3200, { amplitude: 10000 });
  const code = encodeAll(x);
  const dec = new G722Decoder();
  const y = new Int16Array(320);
  for (let i = 0; i < 800; i += 160) dec.decode(code.subarray(i, i + 160), y);
  const lost = new Int16Array(320);
  assert.is(dec.conceal(lost, 320), 320);
  const level = 10 * Math.log10(goertzelPower(lost, 16000, 200, 0, 160) / 5e7);
  assert.ok(level > -3, `first 10 ms of the loss at ${level.toFixed(1)} dB`);
  for (let k = 0; k < 3; k++) dec.conceal(lost, 320);
  assert.ok(lost.every((v) => v === 0), 'silent once the loss exceeds 60 ms');
});

test.run();
