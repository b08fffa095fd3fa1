/**
 * RTP sequence-number arithmetic (RFC 3550 §5.1 and Appendix A.1): 16-bit sequence numbers
 * wrap around, so comparisons use the signed distance modulo 2^16, and receivers keep an
 * "extended" sequence number (cycles * 65536 + seq) that keeps growing across wraps.
 */

/** Signed distance `seq - ref` modulo 2^16, in [-32768, 32767]. */
export function seqDistance(seq: number, ref: number): number {
  return (((seq - ref + 32768) & 0xffff) - 32768) | 0;
}

/** The extended sequence number of `seq`, taken as the one nearest to the extended `refExt`. */
export function unwrapSequence(seq: number, refExt: number): number {
  return refExt + seqDistance(seq, refExt & 0xffff);
}

/** RFC 3550 Appendix A.1 defaults: larger forward jumps or backward steps are suspect. */
export const MAX_DROPOUT = 3000;
export const MAX_MISORDER = 100;
