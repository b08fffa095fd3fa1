/**
 * Frame energy and the RFC 6464 audio level.
 *
 * RFC 6464 §3: the level is -dBov, 0..127, where dBov is relative to the overload point of
 * the system; 127 means -127 dBov or quieter (silence). RFC 6465 Appendix A computes it
 * from the RMS of the frame with 16-bit overload 32767 and rounds; so a full-scale square
 * wave is level 0 and a full-scale sine level 3.
 */
import { FULL_SCALE } from './goertzel.js';

/** Quietest level RFC 6464 can express; also what digital silence maps to. */
export const SILENT_LEVEL = 127;

/** Sum of squares of `samples[0, count)` (a double: no 32-bit overflow). Allocates nothing. */
export function sumOfSquares(samples: Int16Array, count = samples.length): number {
  let acc = 0;
  for (let i = 0; i < count; i++) {
    const s = samples[i]!;
    acc += s * s;
  }
  return acc;
}

/** RMS level of a frame in dBov (RFC 6464 §3); -Infinity for digital silence. */
export function frameDbov(samples: Int16Array, count = samples.length): number {
  if (count === 0) return -Infinity;
  const meanSquare = sumOfSquares(samples, count) / count;
  return 10 * Math.log10(meanSquare / (FULL_SCALE * FULL_SCALE));
}

/** A dBov value as an RFC 6464 level 0..127 (rounded -dBov, clamped). */
export function dbovToAudioLevel(dbov: number): number {
  if (!(dbov > -SILENT_LEVEL)) return SILENT_LEVEL;
  const level = Math.round(-dbov);
  return level < 0 ? 0 : level > SILENT_LEVEL ? SILENT_LEVEL : level;
}

/** The RFC 6464 level 0..127 of a frame (0 = loudest, 127 = silence). */
export function audioLevel(samples: Int16Array, count = samples.length): number {
  return dbovToAudioLevel(frameDbov(samples, count));
}

/** The dBov an RFC 6464 level stands for (127 reads as -127, i.e. silence). */
export function audioLevelToDbov(level: number): number {
  return -(level & 0x7f);
}
