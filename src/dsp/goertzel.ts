/**
 * Goertzel detector: the power of one frequency component of a block of samples, for
 * tone detection in tests and for measuring filters (passband gain, alias and image
 * rejection). The frequency need not fall on a DFT bin (generalised Goertzel: the
 * recursion evaluates the DTFT at exactly `freq`); for leakage-free measurements choose
 * a block holding a whole number of cycles, or pass `hann = true`.
 *
 * Scale: the returned power is the mean-square value of that component, so a sine of
 * amplitude A at `freq` gives A^2 / 2 whatever the block length. `powerToDbov` puts it on
 * the RFC 6464 / RFC 6465 Appendix A scale (0 dBov = full-scale square wave, so a
 * full-scale sine reads -3.01 dBov).
 */

/** The overload point of 16-bit PCM (RFC 6465 Appendix A uses 32767). */
export const FULL_SCALE = 32767;

/**
 * Mean-square power of the `freq` component of `samples[offset, offset + length)`.
 * Allocates nothing.
 */
export function goertzelPower(
  samples: ArrayLike<number>,
  sampleRate: number,
  freq: number,
  offset = 0,
  length = samples.length - offset,
  hann = false,
): number {
  const w = (2 * Math.PI * freq) / sampleRate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  let windowSum = 0;
  const step = (2 * Math.PI) / length;
  for (let i = 0; i < length; i++) {
    const win = hann ? 0.5 - 0.5 * Math.cos(step * (i + 0.5)) : 1;
    windowSum += win;
    const s0 = samples[offset + i]! * win + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  // |X(w)|^2 from the last two states (valid for any w, not only bin centres).
  const mag2 = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  // A sine of amplitude A gives |X| = A * windowSum / 2; scale so the result is A^2 / 2.
  return windowSum > 0 ? (2 * mag2) / (windowSum * windowSum) : 0;
}

/** A mean-square power as dBov (RFC 6464 §3 scale); -Infinity for zero power. */
export function powerToDbov(meanSquare: number): number {
  return 10 * Math.log10(meanSquare / (FULL_SCALE * FULL_SCALE));
}

/** The ratio of two powers in dB (e.g. alias power over signal power). */
export function powerRatioDb(power: number, reference: number): number {
  return 10 * Math.log10(power / reference);
}

/** Convenience: the `freq` component of a block as dBov. */
export function goertzelDbov(samples: ArrayLike<number>, sampleRate: number, freq: number, hann = false): number {
  return powerToDbov(goertzelPower(samples, sampleRate, freq, 0, samples.length, hann));
}
