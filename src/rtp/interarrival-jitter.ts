/**
 * Interarrival jitter estimator, RFC 3550 §6.4.1 and Appendix A.8:
 *   D(i,j) = (Rj - Ri) - (Sj - Si) = (Rj - Sj) - (Ri - Si)
 *   J(i) = J(i-1) + (|D(i-1,i)| - J(i-1)) / 16
 * with R the arrival time and S the RTP timestamp, both in timestamp units, computed for
 * each packet in order of arrival. The value kept is a double; `jitter` rounds it to the
 * integer RTCP report blocks carry (§6.4.1 "interarrival jitter: 32 bits").
 */
export class InterarrivalJitter {
  private transit = 0;
  private j = 0;
  private primed = false;
  private readonly unitsPerMs: number;
  /** |D| above this (timestamp units) is a timestamp discontinuity, not jitter. */
  private readonly discontinuity: number;

  constructor(readonly clockRate: number, discontinuityMs = 3000) {
    this.unitsPerMs = clockRate / 1000;
    this.discontinuity = discontinuityMs * this.unitsPerMs;
  }

  /**
   * Account one packet. A jump larger than the discontinuity bound (a sender that reset
   * its timestamp without changing SSRC) re-anchors the transit time instead of polluting
   * the estimate for minutes: a deliberate deviation from the plain A.8 code.
   */
  update(arrivalMs: number, rtpTimestamp: number): void {
    const transit = arrivalMs * this.unitsPerMs - rtpTimestamp;
    if (this.primed) {
      // Timestamps are 32-bit and wrap: take the difference modulo 2^32 as a signed value.
      let d = transit - this.transit;
      d = d - Math.round(d / 4294967296) * 4294967296;
      if (d < 0) d = -d;
      if (d <= this.discontinuity) this.j += (d - this.j) / 16;
    }
    this.transit = transit;
    this.primed = true;
  }

  /** Jitter in timestamp units, as an RTCP report block carries it. */
  get jitter(): number {
    return Math.round(this.j);
  }

  /** Jitter in milliseconds (unrounded). */
  get jitterMs(): number {
    return this.j / this.unitsPerMs;
  }

  reset(): void {
    this.primed = false;
    this.j = 0;
    this.transit = 0;
  }
}
