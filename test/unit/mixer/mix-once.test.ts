import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMixBuffers, mixOnce, type MixFrame } from '../../../src/mixer/mix/mix-once.js';
import { SoftLimiter, FULL_SCALE } from '../../../src/mixer/mix/soft-limiter.js';
import { toneSamples } from '../../../src/dsp/tone.js';
import { goertzelPower } from '../../../src/dsp/goertzel.js';

const N = 160;
const limiter = new SoftLimiter(0.7);

function frame(talkers: Int16Array[], extras: Int16Array[] = []): MixFrame {
  return { talkers, talkerCount: talkers.length, extras, extraCount: extras.length, samples: N };
}

test('mixOnce: everyone who is not a talker hears the sum of all talkers', () => {
  const a = toneSamples(8000, 400, N, { amplitude: 3000 });
  const b = toneSamples(8000, 1000, N, { amplitude: 2000 });
  const out = createMixBuffers(3, N);
  mixOnce(frame([a, b]), out, limiter);
  for (let i = 0; i < N; i++) assert.is(out.mix[i], a[i]! + b[i]!, `sample ${i}`);
});

test('mixOnce: a talker hears the mix minus itself, exactly the other talkers', () => {
  const t = [400, 1000, 1700].map((f, i) => toneSamples(8000, f, N, { amplitude: 4000 + 1000 * i }));
  const out = createMixBuffers(3, N);
  mixOnce(frame(t), out, limiter);
  for (let k = 0; k < 3; k++) {
    const own = goertzelPower(out.minusSelf[k]!, 8000, [400, 1000, 1700][k]!);
    assert.ok(own < 1, `talker ${k} hears itself with power ${own}`);
    for (let i = 0; i < N; i++) {
      let others = 0;
      for (let j = 0; j < 3; j++) if (j !== k) others += t[j]![i]!;
      assert.is(out.minusSelf[k]![i], others);
    }
  }
});

test('mixOnce: minus-self is subtracted before limiting, so a clipped sum leaves no residue of the talker', () => {
  // Two full-scale talkers in phase: the sum (65534) is far above full scale.
  const loud = new Int16Array(N).fill(32767);
  const other = new Int16Array(N).fill(32767);
  const quiet = new Int16Array(N).fill(1000);
  const out = createMixBuffers(3, N);
  const peak = mixOnce(frame([loud, other, quiet]), out, limiter);
  assert.is(peak, 32767 * 2 + 1000);
  // Talker 0 must hear other + quiet = 33767 through the limiter, not clip(sum) - 32767 = 0.
  assert.is(out.minusSelf[0]![0], limiter.apply(33767));
  assert.ok(out.minusSelf[0]![0]! > 30000);
  // Talker 2 hears the two loud ones, limited but not wrapped.
  assert.ok(out.minusSelf[2]![0]! > 0 && out.minusSelf[2]![0]! <= FULL_SCALE);
  assert.ok(out.mix[0]! > 0 && out.mix[0]! <= FULL_SCALE);
});

test('mixOnce: a room-wide extra (prompt) reaches talkers and listeners alike', () => {
  const talker = toneSamples(8000, 500, N, { amplitude: 3000 });
  const prompt = toneSamples(8000, 1400, N, { amplitude: 3000 });
  const out = createMixBuffers(3, N);
  mixOnce(frame([talker], [prompt]), out, limiter);
  for (let i = 0; i < N; i++) {
    assert.is(out.minusSelf[0]![i], prompt[i]);
    assert.is(out.mix[i], talker[i]! + prompt[i]!);
  }
});

test('mixOnce: no talkers gives digital silence', () => {
  const out = createMixBuffers(3, N);
  out.mix.fill(123);
  assert.is(mixOnce(frame([]), out, limiter), 0);
  assert.ok(out.mix.every((s) => s === 0));
});

test('SoftLimiter: passes below the knee, bends above it monotonically, never exceeds full scale', () => {
  const l = new SoftLimiter(0.5);
  assert.is(l.apply(1000), 1000);
  assert.is(l.apply(-l.knee), -l.knee);
  let prev = l.apply(l.knee);
  for (let s = l.knee + 100; s < 300000; s += 997) {
    const y = l.apply(s);
    assert.ok(y >= prev, `monotonic at ${s}`);
    assert.ok(y <= FULL_SCALE, `bounded at ${s}`);
    assert.is(l.apply(-s), -y, `odd symmetry at ${s}`);
    prev = y;
  }
  assert.ok(l.apply(40000) < 32767 && l.apply(40000) > 30000);
});

test('SoftLimiter: rejects a knee outside (0, 1)', () => {
  assert.throws(() => new SoftLimiter(1));
  assert.throws(() => new SoftLimiter(0));
});

test.run();
