import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { goertzelPower, goertzelDbov, powerToDbov } from '../../../src/dsp/goertzel.js';
import { ToneGenerator, toneSamples } from '../../../src/dsp/tone.js';
import { audioLevel, dbovToAudioLevel, frameDbov, audioLevelToDbov, SILENT_LEVEL } from '../../../src/dsp/level.js';

test('Goertzel: a sine of amplitude A reads A^2/2 at its own frequency, also off-bin', () => {
  for (const f of [1000, 443.7, 3400]) {
    const x = toneSamples(8000, f, 8000, { amplitude: 10000 });
    const p = goertzelPower(x, 8000, f);
    assert.ok(Math.abs(p / 5e7 - 1) < 0.01, `${f} Hz: ${p}`);
  }
});

test('Goertzel: another whole-cycle frequency reads (near) nothing; the Hann window tames off-bin leakage', () => {
  const x = toneSamples(8000, 1000, 1600, { amplitude: 10000 });
  assert.ok(goertzelPower(x, 8000, 1500) / 5e7 < 1e-7);
  const y = toneSamples(8000, 1002.5, 1600, { amplitude: 10000 }); // half a bin off
  const rect = goertzelPower(y, 8000, 1300);
  const hann = goertzelPower(y, 8000, 1300, 0, 1600, true);
  assert.ok(hann < rect / 100, `rect ${rect} hann ${hann}`);
  const hannOwn = goertzelPower(y, 8000, 1002.5, 0, 1600, true);
  assert.ok(Math.abs(hannOwn / 5e7 - 1) < 0.01, 'Hann keeps the A^2/2 scale');
});

test('dBov: a full-scale sine is -3.01 dBov (RFC 6465 Appendix A scale, overload 32767)', () => {
  const x = toneSamples(8000, 1000, 8000, { amplitude: 32767 });
  assert.ok(Math.abs(goertzelDbov(x, 8000, 1000) + 3.01) < 0.02);
  assert.ok(Math.abs(frameDbov(x) + 3.01) < 0.02);
  assert.is(powerToDbov(0), -Infinity);
});

test('tone generator: fractional frequency continues seamlessly across fill() calls', () => {
  const g = new ToneGenerator(8000, 443.7, { amplitude: 9000 });
  const a = new Int16Array(800);
  for (let i = 0; i < 800; i += 160) g.fill(a, 160, i);
  assert.equal(Array.from(a), Array.from(toneSamples(8000, 443.7, 800, { amplitude: 9000 })));
});

test('tone generator: dither is reproducible per seed and changes at most 1 LSB', () => {
  const plain = toneSamples(8000, 1000, 400, { amplitude: 5000 });
  const d1 = toneSamples(8000, 1000, 400, { amplitude: 5000, dither: true, seed: 7 });
  const d2 = toneSamples(8000, 1000, 400, { amplitude: 5000, dither: true, seed: 7 });
  const d3 = toneSamples(8000, 1000, 400, { amplitude: 5000, dither: true, seed: 8 });
  assert.equal(Array.from(d1), Array.from(d2));
  assert.not.equal(Array.from(d1), Array.from(d3));
  let changed = 0;
  for (let i = 0; i < 400; i++) {
    assert.ok(Math.abs(d1[i]! - plain[i]!) <= 2);
    if (d1[i] !== plain[i]) changed++;
  }
  assert.ok(changed > 50, 'dither actually changes samples');
});

test('RFC 6464 §3 level: silence is 127, a full-scale square wave 0, a -20 dBov sine 20', () => {
  assert.is(audioLevel(new Int16Array(160)), SILENT_LEVEL);
  const square = new Int16Array(160);
  for (let i = 0; i < 160; i++) square[i] = (i >> 2) % 2 ? -32767 : 32767;
  assert.is(audioLevel(square), 0);
  // -20 dBov RMS: amplitude 32767 * 10^(-1) * sqrt(2)
  const sine = toneSamples(8000, 1000, 160, { amplitude: 32767 * 0.1 * Math.SQRT2 });
  assert.is(audioLevel(sine), 20);
});

test('RFC 6464 §3 level: clamps to 0..127 and maps back to -dBov', () => {
  assert.is(dbovToAudioLevel(3), 0);
  assert.is(dbovToAudioLevel(-200), 127);
  assert.is(dbovToAudioLevel(-Infinity), 127);
  assert.is(dbovToAudioLevel(-42.4), 42);
  assert.is(audioLevelToDbov(42), -42);
  const one = new Int16Array(160);
  one[0] = 1; // RMS 1/sqrt(160) of 32767: -90.31 - 22.04 = -112.35 dBov
  assert.is(audioLevel(one), 112);
});

test.run();
