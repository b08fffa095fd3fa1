/**
 * Sine tone generator for tests, prompts (dial tone, beeps) and benchmarks. The phase is a
 * double-precision accumulator, so any fractional frequency (e.g. 443.7 Hz) stays exact
 * over long runs, and consecutive `fill` calls continue the same waveform. Optional TPDF
 * dither (the sum of two uniform variates, +-1 LSB peak) decorrelates the 16-bit
 * quantisation error from the tone; its pseudo-random source is seeded, so output is
 * reproducible.
 */
export interface ToneOptions {
  /** Peak amplitude in 16-bit units (default 8000, about -12 dBov). */
  amplitude?: number;
  /** Starting phase in radians (default 0). */
  phase?: number;
  /** Add TPDF dither before rounding (default false). */
  dither?: boolean;
  /** Seed of the dither generator (default 1). */
  seed?: number;
}

export class ToneGenerator {
  private phase: number;
  private readonly step: number;
  private readonly amplitude: number;
  private readonly dither: boolean;
  private rng: number;

  constructor(readonly sampleRate: number, readonly frequency: number, options: ToneOptions = {}) {
    this.step = (2 * Math.PI * frequency) / sampleRate;
    this.phase = options.phase ?? 0;
    this.amplitude = options.amplitude ?? 8000;
    this.dither = options.dither ?? false;
    this.rng = (options.seed ?? 1) >>> 0 || 1;
  }

  /** Write `count` samples (default: all of `out`) starting at `out[offset]`; returns count. */
  fill(out: Int16Array, count = out.length, offset = 0): number {
    const a = this.amplitude;
    let phase = this.phase;
    for (let i = 0; i < count; i++) {
      let v = a * Math.sin(phase);
      if (this.dither) v += this.uniform() + this.uniform() - 1;
      v = Math.round(v);
      out[offset + i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      phase += this.step;
      if (phase > 2 * Math.PI) phase -= 2 * Math.PI;
    }
    this.phase = phase;
    return count;
  }

  /** xorshift32 in [0, 1). */
  private uniform(): number {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng / 4294967296;
  }
}

/** One-shot helper: `count` samples of a tone (allocates; for tests and set-up, not hot paths). */
export function toneSamples(sampleRate: number, frequency: number, count: number, options?: ToneOptions): Int16Array {
  const out = new Int16Array(count);
  new ToneGenerator(sampleRate, frequency, options).fill(out);
  return out;
}
