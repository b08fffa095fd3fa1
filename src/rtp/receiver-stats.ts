/**
 * Reception statistics of one RTP source, as RTCP report blocks need them (RFC 3550):
 * sequence validation and the extended highest sequence number (Appendix A.1), packets
 * expected and lost, cumulative and as a fraction since the previous report (A.3), and
 * interarrival jitter (§6.4.1, A.8). Also LSR/DLSR bookkeeping from the source's sender
 * reports, so `reportBlock` fills a whole block. Sans-IO: arrival times are passed in.
 */
import { InterarrivalJitter } from './interarrival-jitter.js';
import { MAX_DROPOUT, MAX_MISORDER } from './sequence.js';
import type { ReportBlock } from './rtcp.js';

const SEQ_MOD = 65536;
/** A.1: packets in sequence before a source is valid. */
const MIN_SEQUENTIAL = 2;

export class RtpReceiverStats {
  private maxSeq = 0;
  private cycles = 0;
  private baseSeq = 0;
  private badSeq = SEQ_MOD + 1;
  private probation: number;
  private received = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private started = false;
  private readonly jitterEstimator: InterarrivalJitter;
  private lastSrMiddle = 0;
  private lastSrArrivalMs = 0;
  /** Fraction lost reported by the latest `reportBlock` (0..255 /256). */
  lastFractionLost = 0;

  private readonly minSequential: number;

  /** `minSequential`: packets in sequence before the source counts (A.1 uses 2; at least 1). */
  constructor(
    readonly clockRate: number,
    minSequential = MIN_SEQUENTIAL,
  ) {
    this.minSequential = Math.max(1, minSequential);
    this.probation = this.minSequential;
    this.jitterEstimator = new InterarrivalJitter(clockRate);
  }

  /**
   * Account one received packet. Returns false while the source is on probation or for a
   * packet after an unconfirmed large jump (A.1), which are then not counted.
   */
  update(seq: number, rtpTimestamp: number, arrivalMs: number): boolean {
    if (!this.started) {
      this.initSeq(seq);
      this.maxSeq = (seq - 1) & 0xffff;
      this.probation = this.minSequential;
      this.started = true;
    }
    if (!this.updateSeq(seq)) return false;
    this.jitterEstimator.update(arrivalMs, rtpTimestamp);
    return true;
  }

  /** Note an SR from this source (§6.4.1 LSR/DLSR): its NTP timestamp and arrival time. */
  onSenderReport(ntpSeconds: number, ntpFraction: number, arrivalMs: number): void {
    this.lastSrMiddle = (((ntpSeconds & 0xffff) << 16) | (ntpFraction >>> 16)) >>> 0;
    this.lastSrArrivalMs = arrivalMs;
  }

  get extendedHighestSeq(): number {
    return this.cycles + this.maxSeq;
  }

  get packetsReceived(): number {
    return this.received;
  }

  get packetsExpected(): number {
    return this.started && this.probation === 0 ? this.extendedHighestSeq - this.baseSeq + 1 : 0;
  }

  /** A.3: expected - received, clamped to the signed 24 bits of the report block. */
  get cumulativeLost(): number {
    const lost = this.packetsExpected - this.received;
    return lost > 0x7fffff ? 0x7fffff : lost < -0x800000 ? -0x800000 : lost;
  }

  /** Interarrival jitter in timestamp units (A.8) and in ms. */
  get jitter(): number {
    return this.jitterEstimator.jitter;
  }

  get jitterMs(): number {
    return this.jitterEstimator.jitterMs;
  }

  /**
   * A report block about this source for an SR/RR sent at `nowMs`; computes the fraction
   * lost since the previous call (A.3), so call it once per report sent.
   */
  reportBlock(ssrc: number, nowMs: number): ReportBlock {
    const expected = this.packetsExpected;
    const expectedInterval = expected - this.expectedPrior;
    this.expectedPrior = expected;
    const receivedInterval = this.received - this.receivedPrior;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    const fraction = expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    this.lastFractionLost = fraction > 255 ? 255 : fraction;
    return {
      ssrc,
      fractionLost: this.lastFractionLost,
      cumulativeLost: this.cumulativeLost,
      extendedHighestSeq: this.extendedHighestSeq >>> 0,
      jitter: this.jitter,
      lastSr: this.lastSrMiddle,
      delaySinceLastSr: this.lastSrMiddle === 0 ? 0 : Math.round(((nowMs - this.lastSrArrivalMs) * 65536) / 1000) >>> 0,
    };
  }

  private initSeq(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = SEQ_MOD + 1;
    this.cycles = 0;
    this.received = 0;
    this.receivedPrior = 0;
    this.expectedPrior = 0;
  }

  /** RFC 3550 A.1 update_seq. */
  private updateSeq(seq: number): boolean {
    const udelta = (seq - this.maxSeq) & 0xffff;
    if (this.probation > 0) {
      if (seq === ((this.maxSeq + 1) & 0xffff)) {
        this.probation--;
        this.maxSeq = seq;
        if (this.probation === 0) {
          this.initSeq(seq);
          this.received++;
          return true;
        }
      } else {
        this.probation = this.minSequential - 1;
        this.maxSeq = seq;
      }
      return false;
    }
    if (udelta < MAX_DROPOUT) {
      if (seq < this.maxSeq) this.cycles += SEQ_MOD; // wrapped around
      this.maxSeq = seq;
    } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
      // A very large jump: believe it only if the next packet follows it (a restart).
      if (seq === this.badSeq) {
        this.initSeq(seq);
        this.jitterEstimator.reset();
      } else {
        this.badSeq = (seq + 1) & 0xffff;
        return false;
      }
    }
    // else: a duplicate or reordered packet, counted as received (A.1)
    this.received++;
    return true;
  }
}
