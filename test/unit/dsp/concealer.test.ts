import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LossConcealer } from '../../../src/dsp/concealer.js';
import { ToneGenerator } from '../../../src/dsp/tone.js';
import { goertzelPower } from '../../../src/dsp/goertzel.js';

/** Feed `frames` good 20 ms frames of a tone, return the generator (positioned after them). */
function primed(plc: LossConcealer, rate: number, freq: number, frames = 3): ToneGenerator {
  const g = new ToneGenerator(rate, freq, { amplitude: 10000 });
  const f = new Int16Array(rate / 50);
  for (let k = 0; k < frames; k++) {
    g.fill(f);
    plc.remember(f, f.length);
  }
  return g;
}

test('a lost frame of a voiced signal continues its pitch period (G.711 Appendix I idea)', () => {
  const plc = new LossConcealer(8000);
  const g = primed(plc, 8000, 200); // period 40 samples
  const truth = new Int16Array(80);
  g.fill(truth); // what the lost first 10 ms would have been
  const out = new Int16Array(160);
  plc.conceal(out, 160);
  let err = 0;
  let sig = 0;
  for (let i = 0; i < 80; i++) {
    err += (out[i]! - truth[i]!) ** 2;
    sig += truth[i]! ** 2;
  }
  assert.ok(10 * Math.log10(sig / err) > 20, 'first 10 ms close to the true continuation');
});

test('concealment fades by 20% per 10 ms after the first 10 ms and is silent after 60 ms', () => {
  const plc = new LossConcealer(8000);
  primed(plc, 8000, 250);
  const out = new Int16Array(80);
  const levels: number[] = [];
  for (let k = 0; k < 7; k++) {
    plc.conceal(out, 80);
    levels.push(Math.sqrt(goertzelPower(out, 8000, 250) * 2));
  }
  assert.ok(Math.abs(levels[0]! - 10000) < 300, `0-10 ms at ${levels[0]}`);
  for (let k = 1; k < 6; k++) assert.ok(levels[k]! < levels[k - 1]!, `fading at ${k * 10} ms`);
  assert.ok(Math.abs(levels[1]! / levels[0]! - 0.7) < 0.1, 'about 20-40% down during 10-20 ms');
  assert.is(levels[6], 0);
});

test('the first good frame after a loss cross-fades in: no step at the boundary', () => {
  const plc = new LossConcealer(8000);
  const g = primed(plc, 8000, 300);
  const lost = new Int16Array(160);
  plc.conceal(lost, 160);
  g.fill(new Int16Array(160)); // the lost frame's true audio, skipped
  const good = new Int16Array(160);
  g.fill(good);
  const raw = good.slice();
  plc.remember(good, 160);
  assert.not.equal(Array.from(good.subarray(0, 32)), Array.from(raw.subarray(0, 32)), 'the first 4 ms are blended');
  assert.equal(Array.from(good.subarray(32)), Array.from(raw.subarray(32)), 'the rest is untouched');
  const step = Math.abs(good[0]! - lost[159]!);
  const rawStep = Math.abs(raw[0]! - lost[159]!);
  assert.ok(step <= rawStep, `step ${step} vs ${rawStep} unblended`);
});

test('with no history yet, concealment is silence', () => {
  const plc = new LossConcealer(16000);
  const out = new Int16Array(320).fill(5);
  plc.conceal(out, 320);
  assert.ok(out.every((v) => v === 0));
});

test.run();
