/**
 * The one soft limiter every mixed output passes through. It is memoryless (a static
 * soft-knee curve), so it is a pure function of the sample: the shared mix and each
 * talker's minus-self mix go through the same curve and stay consistent with each other,
 * and `mixOnce` stays pure and testable without any state or clock.
 *
 * Below the knee the signal passes untouched; above it the excess is compressed with a
 * tanh curve that approaches full scale asymptotically, so a sum of several loud talkers
 * bends smoothly instead of clipping hard (and never wraps around).
 */
export const FULL_SCALE = 32767;

export class SoftLimiter {
  /** Samples whose magnitude is at or below this pass unchanged. */
  readonly knee: number;
  private readonly headroom: number;

  /** @param kneeRatio where compression starts, as a fraction of full scale (0 < r < 1). */
  constructor(kneeRatio = 0.7) {
    if (!(kneeRatio > 0 && kneeRatio < 1)) throw new RangeError(`knee ratio ${kneeRatio} is not in (0, 1)`);
    this.knee = Math.round(FULL_SCALE * kneeRatio);
    this.headroom = FULL_SCALE - this.knee;
  }

  /** Map one accumulated (Int32 range) sample to the Int16 range. */
  apply(sum: number): number {
    const knee = this.knee;
    if (sum <= knee && sum >= -knee) return sum;
    const h = this.headroom;
    if (sum > 0) return Math.min(FULL_SCALE, Math.round(knee + h * Math.tanh((sum - knee) / h)));
    return Math.max(-FULL_SCALE, Math.round(-knee - h * Math.tanh((-sum - knee) / h)));
  }
}
