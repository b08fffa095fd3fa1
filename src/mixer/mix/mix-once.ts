/**
 * One tick of a conference mix, as a pure function: talkers' PCM frames in, the shared
 * mix and each talker's minus-self mix out. No clock, no I/O, no allocation: the caller
 * owns every buffer (they live as long as the room), so the tick loop can call it
 * 50 times a second for every room without feeding the garbage collector.
 *
 * Order of operations, the point of the exercise:
 *   1. accumulate every talker (and every room-wide source such as a prompt) in Int32;
 *   2. a talker's output is `sum - own`, computed on the Int32 sum, BEFORE any limiting;
 *   3. only then the one soft limiter maps each output to Int16.
 * Saturating first and subtracting afterwards (Asterisk) leaves a residue of the talker's
 * own voice whenever the sum clipped; wrapping (Janus) turns overload into loud noise.
 */
import type { SoftLimiter } from './soft-limiter.js';

export interface MixFrame {
  /** Talker PCM frames at the room rate, `samples` long; only the first `talkerCount` are used. */
  readonly talkers: readonly Int16Array[];
  readonly talkerCount: number;
  /** Room-wide sources every participant hears (prompts, tones), added to the sum, never subtracted. */
  readonly extras: readonly Int16Array[];
  readonly extraCount: number;
  readonly samples: number;
}

export interface MixBuffers {
  /** Int32 scratch for the sum, at least `samples` long. */
  readonly acc: Int32Array;
  /** What every non-talker hears. */
  readonly mix: Int16Array;
  /** `minusSelf[t]`: what talker `t` hears (everyone but itself). */
  readonly minusSelf: readonly Int16Array[];
}

/**
 * Mix one frame into `out`. Returns the peak magnitude of the Int32 sum (before limiting),
 * which callers may count as "the limiter engaged" when it exceeds the knee.
 */
export function mixOnce(frame: MixFrame, out: MixBuffers, limiter: SoftLimiter): number {
  const n = frame.samples;
  const acc = out.acc;
  acc.fill(0, 0, n);
  for (let t = 0; t < frame.talkerCount; t++) addInto(acc, frame.talkers[t]!, n);
  for (let e = 0; e < frame.extraCount; e++) addInto(acc, frame.extras[e]!, n);

  let peak = 0;
  const mix = out.mix;
  for (let i = 0; i < n; i++) {
    const s = acc[i]!;
    const a = s < 0 ? -s : s;
    if (a > peak) peak = a;
    mix[i] = limiter.apply(s);
  }
  for (let t = 0; t < frame.talkerCount; t++) {
    const own = frame.talkers[t]!;
    const dst = out.minusSelf[t]!;
    for (let i = 0; i < n; i++) dst[i] = limiter.apply(acc[i]! - own[i]!);
  }
  return peak;
}

function addInto(acc: Int32Array, src: Int16Array, n: number): void {
  for (let i = 0; i < n; i++) acc[i] = acc[i]! + src[i]!;
}

/** Allocate the buffers `mixOnce` needs for up to `maxTalkers` talkers of `samples` samples. */
export function createMixBuffers(maxTalkers: number, samples: number): MixBuffers {
  const minusSelf: Int16Array[] = [];
  for (let t = 0; t < maxTalkers; t++) minusSelf.push(new Int16Array(samples));
  return { acc: new Int32Array(samples), mix: new Int16Array(samples), minusSelf };
}
