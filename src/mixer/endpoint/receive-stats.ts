/**
 * Reception statistics of one RTP source, as RFC 3550 Appendix A.1/A.3/A.8 computes them:
 * extended highest sequence number, cumulative packets lost (expected - received) and the
 * interarrival jitter estimate J += (|D| - J) / 16. Pure arithmetic, no clock.
 */
export class ReceiveStats {
  received = 0;
  bytes = 0;
  private baseSeq = -1;
  private maxSeq = 0;
  private cycles = 0;
  private lastTransit = 0;
  private jitter = 0; // in RTP timestamp units

  /** Record one packet; `arrivalRtp` is its arrival time in RTP timestamp units. */
  record(seq: number, rtpTs: number, arrivalRtp: number, bytes: number): void {
    this.received++;
    this.bytes += bytes;
    if (this.baseSeq < 0) {
      this.baseSeq = seq;
      this.maxSeq = seq;
      this.lastTransit = arrivalRtp - rtpTs;
      return;
    }
    const delta = (seq - this.maxSeq) & 0xffff;
    if (delta > 0 && delta < 0x8000) {
      if (seq < this.maxSeq) this.cycles += 0x10000; // RFC 3550 A.1: wrapped
      this.maxSeq = seq;
    }
    const transit = arrivalRtp - rtpTs;
    const d = Math.abs(transit - this.lastTransit);
    this.lastTransit = transit;
    this.jitter += (d - this.jitter) / 16;
  }

  /** RFC 3550 A.3: expected - received (never negative here; duplicates do not count as gain). */
  get lost(): number {
    if (this.baseSeq < 0) return 0;
    const expected = this.cycles + this.maxSeq - this.baseSeq + 1;
    return Math.max(0, expected - this.received);
  }

  jitterMs(clockRate: number): number {
    return (this.jitter / clockRate) * 1000;
  }
}
