import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Resampler } from '../../../src/dsp/resampler.js';
import { goertzelPower, powerRatioDb } from '../../../src/dsp/goertzel.js';
import { toneSamples } from '../../../src/dsp/tone.js';

const AMP = 10000;
const SIGNAL_POWER = (AMP * AMP) / 2;

/** Resample one second of a tone in 20 ms frames, as the mixer would; returns the output. */
function resampleTone(from: number, to: number, freq: number): { y: Int16Array; r: Resampler } {
  const r = new Resampler(from, to);
  const frame = from / 50;
  const x = toneSamples(from, freq, from, { amplitude: AMP });
  const y = new Int16Array(to);
  const tmp = new Int16Array(r.maxOutput(frame));
  let written = 0;
  for (let i = 0; i < x.length; i += frame) {
    const n = r.process(x.subarray(i, i + frame), tmp);
    y.set(tmp.subarray(0, n), written);
    written += n;
  }
  assert.is(written, to, 'one second in gives one second out');
  return { y, r };
}

/** Power (dB relative to the input tone) at `freq` over a steady-state half second of `y`. */
function levelDb(y: Int16Array, rate: number, freq: number, r: Resampler): number {
  const start = Math.ceil(r.delay) + 100;
  return powerRatioDb(goertzelPower(y, rate, freq, start, rate / 2), SIGNAL_POWER);
}

const PAIRS: Array<[number, number]> = [
  [8000, 16000],
  [16000, 8000],
  [8000, 48000],
  [48000, 8000],
  [16000, 48000],
  [48000, 16000],
];

for (const [from, to] of PAIRS) {
  const low = Math.min(from, to);
  test(`${from} -> ${to}: passband gain is 0 dB +- 0.05 up to 0.425 x the lower rate`, () => {
    for (const f of [300, 1000, 0.425 * low]) {
      const { y, r } = resampleTone(from, to, f);
      const db = levelDb(y, to, f, r);
      assert.ok(Math.abs(db) < 0.05, `${f} Hz: ${db.toFixed(3)} dB`);
    }
  });
}

for (const [from, to] of PAIRS.filter(([a, b]) => b > a)) {
  test(`${from} -> ${to}: spectral images of the input are below -60 dB`, () => {
    for (const f of [1000, 0.425 * from]) {
      const { y, r } = resampleTone(from, to, f);
      for (let k = 1; k < to / from; k++) {
        for (const image of [k * from - f, k * from + f]) {
          if (image >= to / 2) continue;
          const db = levelDb(y, to, image, r);
          assert.ok(db < -60, `tone ${f} Hz, image ${image} Hz: ${db.toFixed(1)} dB`);
        }
      }
    }
  });
}

for (const [from, to] of PAIRS.filter(([a, b]) => b < a)) {
  test(`${from} -> ${to}: input above the output Nyquist does not alias back (< -60 dB)`, () => {
    for (const f of [to / 2 + 50, 0.6 * to, 0.9 * to, from / 2 - 100]) {
      const { y, r } = resampleTone(from, to, f);
      let alias = f % to;
      if (alias > to / 2) alias = to - alias;
      const db = levelDb(y, to, alias, r);
      assert.ok(db < -60, `tone ${f} Hz folds to ${alias} Hz at ${db.toFixed(1)} dB`);
    }
  });
}

test('streaming in frames gives exactly the same samples as one block', () => {
  const x = toneSamples(8000, 697.3, 1600, { amplitude: 12000 });
  const whole = new Resampler(8000, 48000);
  const block = new Int16Array(whole.maxOutput(1600));
  const nBlock = whole.process(x, block);
  const framed = new Resampler(8000, 48000);
  const out = new Int16Array(nBlock);
  const tmp = new Int16Array(framed.maxOutput(37));
  let w = 0;
  for (let i = 0; i < x.length; i += 37) {
    const n = framed.process(x.subarray(i, Math.min(i + 37, x.length)), tmp);
    out.set(tmp.subarray(0, n), w);
    w += n;
  }
  assert.is(w, nBlock);
  assert.equal(Array.from(out), Array.from(block.subarray(0, nBlock)));
});

test('frame sizes: 160 <-> 320 <-> 960 samples per 20 ms frame', () => {
  const sizes: Array<[number, number, number, number]> = [
    [8000, 16000, 160, 320],
    [16000, 8000, 320, 160],
    [8000, 48000, 160, 960],
    [48000, 8000, 960, 160],
    [16000, 48000, 320, 960],
    [48000, 16000, 960, 320],
  ];
  for (const [from, to, nIn, nOut] of sizes) {
    const r = new Resampler(from, to);
    const out = new Int16Array(r.maxOutput(nIn));
    for (let k = 0; k < 5; k++) assert.is(r.process(new Int16Array(nIn), out), nOut, `${from}->${to}`);
  }
});

test('a constant input gives the same constant output after the filter delay (unit DC gain per phase)', () => {
  const r = new Resampler(8000, 48000);
  const x = new Int16Array(160).fill(-12345);
  const out = new Int16Array(960);
  for (let k = 0; k < 4; k++) r.process(x, out);
  for (let i = 0; i < 960; i++) assert.is(out[i], -12345);
});

test('a full-scale step saturates its Gibbs ringing instead of wrapping around', () => {
  const r = new Resampler(8000, 16000);
  const out = new Int16Array(320 * 4);
  const tmp = new Int16Array(320);
  for (let k = 0; k < 2; k++) r.process(new Int16Array(160).fill(-32768), tmp); // settle from the zero history
  const frames = [-32768, -32768, 32767, 32767];
  frames.forEach((v, k) => {
    r.process(new Int16Array(160).fill(v), tmp);
    out.set(tmp, k * 320);
  });
  const crossing = out.findIndex((v) => v > 0);
  assert.ok(crossing > 0);
  for (let i = 0; i < crossing; i++) assert.ok(out[i]! <= 0, `sample ${i} before the step is ${out[i]}`);
  for (let i = crossing; i < out.length; i++) assert.ok(out[i]! > 0, `sample ${i} after the step is ${out[i]}`);
  assert.is(Math.max(...out), 32767);
  assert.is(Math.min(...out), -32768);
});

test('reset() forgets history: output equals that of a fresh resampler', () => {
  const a = new Resampler(16000, 8000);
  const b = new Resampler(16000, 8000);
  const noise = toneSamples(16000, 3111, 320, { amplitude: 20000 });
  const x = toneSamples(16000, 440, 320, { amplitude: 9000 });
  const outA = new Int16Array(160);
  const outB = new Int16Array(160);
  a.process(noise, outA);
  a.reset();
  a.process(x, outA);
  b.process(x, outB);
  assert.equal(Array.from(outA), Array.from(outB));
});

test('too small an output buffer is a RangeError, and an unsupported ratio is refused', () => {
  const r = new Resampler(8000, 16000);
  assert.throws(() => r.process(new Int16Array(160), new Int16Array(100)), RangeError);
  assert.throws(() => new Resampler(8000, 0), RangeError);
  assert.throws(() => new Resampler(44100, 48001), RangeError);
});

test.run();
