/**
 * Judging what a phone recorded (../shared/PEERS.md "Judging audio"):
 *
 * - `toneWindows`: a tone's level (dBov) and its contrast over the nearby noise floor in
 *   160 ms Hann windows (Goertzel at the exact frequency; the floor at +-40/60 Hz, outside
 *   the window's main lobe of +-12.5 Hz), so a tone counts as heard only when it stands out
 *   of the band around it, not merely when the recording is loud.
 * - `musicMatch`: whether a recording is a given piece of music (the music on hold): each
 *   chunk of the recording is cross-correlated (FFT) with the whole reference, looped, and
 *   the best normalised correlation is kept. A played file gives ~0.9 through G.711 whatever
 *   the offset; a tone or noise gives far less, since the reference's energy is spread over
 *   many notes.
 */
import { goertzelPower, powerToDbov } from '../../src/dsp/goertzel.js';
import type { Pcm } from './wav.js';

const WINDOW_S = 0.16;

export interface ToneWindow {
  /** Start of the window, seconds into the recording. */
  at: number;
  dbov: number;
  /** dB over the mean of the floor probes. */
  contrastDb: number;
}

/** The tone at `hz` in consecutive 160 ms windows of `pcm`. */
export function toneWindows(pcm: Pcm, hz: number): ToneWindow[] {
  const len = Math.round(pcm.rate * WINDOW_S);
  const out: ToneWindow[] = [];
  for (let off = 0; off + len <= pcm.samples.length; off += len) {
    const p = goertzelPower(pcm.samples, pcm.rate, hz, off, len, true);
    let floor = 0;
    for (const d of [-60, -40, 40, 60]) floor += goertzelPower(pcm.samples, pcm.rate, hz + d, off, len, true) / 4;
    out.push({ at: off / pcm.rate, dbov: powerToDbov(p), contrastDb: 10 * Math.log10((p + 1e-9) / (floor + 1e-9)) });
  }
  return out;
}

/** A window hears the tone: loud enough (> -40 dBov) and 20 dB over the band around it. */
export const hears = (w: ToneWindow): boolean => w.dbov > -40 && w.contrastDb > 20;

/** Fraction of the windows of `pcm` in which the tone at `hz` is heard. */
export function toneFraction(pcm: Pcm, hz: number): number {
  const ws = toneWindows(pcm, hz);
  return ws.length === 0 ? 0 : ws.filter(hears).length / ws.length;
}

/** Highest tone level (dBov) over the windows of `pcm`. */
export function tonePeakDbov(pcm: Pcm, hz: number): number {
  return Math.max(-200, ...toneWindows(pcm, hz).map((w) => w.dbov));
}

/** RMS level of `pcm` in dBov. */
export function rmsDbov(pcm: Pcm): number {
  let s = 0;
  for (let i = 0; i < pcm.samples.length; i++) s += pcm.samples[i]! * pcm.samples[i]!;
  return powerToDbov(s / Math.max(1, pcm.samples.length));
}

/** A one-line summary of the tones' presence, for assertion messages. */
export function describeTones(pcm: Pcm, tones: Record<string, number>): string {
  return Object.entries(tones)
    .map(([name, hz]) => `${name} ${hz} Hz: heard in ${(100 * toneFraction(pcm, hz)).toFixed(0)} % of windows, peak ${tonePeakDbov(pcm, hz).toFixed(1)} dBov`)
    .join('; ');
}

// ------------------------------------------------------------------ music

/**
 * `reference` brought to `rate` (an integer ratio down, e.g. 16 -> 8 kHz): windowed-sinc
 * low-pass at 0.45 of the new rate, then every n-th sample.
 */
export function downsample(reference: Pcm, rate: number): Float64Array {
  const n = reference.rate / rate;
  if (!Number.isInteger(n) || n < 1) throw new Error(`cannot bring ${reference.rate} Hz to ${rate} Hz`);
  const src = reference.samples;
  if (n === 1) return Float64Array.from(src);
  const taps = 63;
  const fc = (0.45 * rate) / reference.rate;
  const h = new Float64Array(taps);
  for (let k = 0; k < taps; k++) {
    const m = k - (taps - 1) / 2;
    const sinc = m === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * m) / (Math.PI * m);
    h[k] = sinc * (0.54 - 0.46 * Math.cos((2 * Math.PI * k) / (taps - 1)));
  }
  const out = new Float64Array(Math.floor(src.length / n));
  for (let i = 0; i < out.length; i++) {
    let acc = 0;
    for (let k = 0; k < taps; k++) {
      const j = (i * n + k - (taps - 1) / 2 + src.length) % src.length; // the file loops
      acc += h[k]! * src[j]!;
    }
    out[i] = acc;
  }
  return out;
}

/** In-place iterative radix-2 FFT (re, im of length 2^k); `inverse` without the 1/N. */
function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = ((inverse ? 2 : -2) * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const xr = re[b]! * cr - im[b]! * ci;
        const xi = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
        const t = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = t;
      }
    }
  }
}

/** A reference prepared once for many `bestCorrelation` calls with chunks of `chunk` samples. */
export class MusicReference {
  private readonly size: number;
  private readonly spectrumRe: Float64Array;
  private readonly spectrumIm: Float64Array;
  /** Prefix sums of squares of the looped reference, for each lag's energy. */
  private readonly energy: Float64Array;
  private readonly length: number;

  constructor(
    reference: Pcm,
    readonly rate: number,
    readonly chunk: number,
  ) {
    const ref = downsample(reference, rate);
    this.length = ref.length;
    const looped = ref.length + chunk;
    let size = 1;
    while (size < looped + chunk) size <<= 1;
    this.size = size;
    this.spectrumRe = new Float64Array(size);
    this.spectrumIm = new Float64Array(size);
    this.energy = new Float64Array(looped + 1);
    for (let i = 0; i < looped; i++) {
      const v = ref[i % ref.length]!;
      this.spectrumRe[i] = v;
      this.energy[i + 1] = this.energy[i]! + v * v;
    }
    fft(this.spectrumRe, this.spectrumIm);
  }

  /** Best normalised correlation of `samples` (length `chunk`) with the looped reference at any offset. */
  bestCorrelation(samples: ArrayLike<number>): number {
    const n = this.size;
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    let own = 0;
    for (let i = 0; i < this.chunk; i++) {
      re[i] = samples[i]!;
      own += samples[i]! * samples[i]!;
    }
    if (own === 0) return 0;
    fft(re, im);
    // Cross-correlation: IFFT(R * conj(X)) gives sum_i ref[lag + i] * x[i] at index lag.
    for (let k = 0; k < n; k++) {
      const r = this.spectrumRe[k]! * re[k]! + this.spectrumIm[k]! * im[k]!;
      const i = this.spectrumIm[k]! * re[k]! - this.spectrumRe[k]! * im[k]!;
      re[k] = r;
      im[k] = i;
    }
    fft(re, im, true);
    let best = 0;
    for (let lag = 0; lag < this.length; lag++) {
      const e = this.energy[lag + this.chunk]! - this.energy[lag]!;
      if (e <= 0) continue;
      const c = re[lag]! / n / Math.sqrt(e * own);
      if (c > best) best = c;
    }
    return best;
  }
}

/**
 * Median over 250 ms chunks of `pcm` of the best correlation with `reference` (the music
 * file as shipped, any rate that is an integer multiple of the recording's).
 */
export function musicMatch(pcm: Pcm, reference: Pcm | MusicReference): number {
  const chunk = Math.round(pcm.rate * 0.25);
  const ref = reference instanceof MusicReference ? reference : new MusicReference(reference, pcm.rate, chunk);
  const scores: number[] = [];
  for (let off = 0; off + chunk <= pcm.samples.length; off += chunk) scores.push(ref.bestCorrelation(pcm.samples.subarray(off, off + chunk)));
  if (scores.length === 0) return 0;
  scores.sort((a, b) => a - b);
  return scores[Math.floor(scores.length / 2)]!;
}

// ------------------------------------------------------------------ what was heard when

export type Heard = 'tone' | 'music' | 'silence' | 'other';

export interface HeardChunk {
  at: number;
  heard: Heard;
  /** Fraction of the chunk's windows in which the tone is heard. */
  tone: number;
  /** Best correlation with the music. */
  music: number;
  rmsDbov: number;
}

/**
 * Labels consecutive `chunkS` chunks of a recording: the far phone's tone at `toneHz`,
 * the music of `music`, silence, or something else (a transition, a mixture, noise).
 */
export function heardChunks(pcm: Pcm, toneHz: number, music: MusicReference, chunkS = 0.5): HeardChunk[] {
  const len = Math.round(pcm.rate * chunkS);
  const out: HeardChunk[] = [];
  for (let off = 0; off + len <= pcm.samples.length; off += len) {
    const c: Pcm = { rate: pcm.rate, samples: pcm.samples.subarray(off, off + len) };
    const tone = toneFraction(c, toneHz);
    const m = musicMatch(c, music);
    const level = rmsDbov(c);
    const heard: Heard = level < -55 ? 'silence' : tone >= 0.66 && m < 0.5 ? 'tone' : m > 0.6 && tone === 0 ? 'music' : 'other';
    out.push({ at: off / pcm.rate, heard, tone, music: m, rmsDbov: level });
  }
  return out;
}

/**
 * The sequence of what was heard, runs shorter than `minChunks` (transitions) left out and
 * equal neighbours merged: e.g. ['tone', 'music', 'tone'] for a hold and a resume.
 */
export function heardSequence(chunks: HeardChunk[], minChunks = 2): Heard[] {
  const runs: Array<[Heard, number]> = [];
  for (const c of chunks) {
    const last = runs[runs.length - 1];
    if (last && last[0] === c.heard) last[1]++;
    else runs.push([c.heard, 1]);
  }
  const seq: Heard[] = [];
  for (const [h, n] of runs) if (n >= minChunks && seq[seq.length - 1] !== h) seq.push(h);
  return seq;
}

/** `0.0 tone, 0.5 tone, 1.0 music ...` for assertion messages. */
export function describeChunks(chunks: HeardChunk[]): string {
  return chunks.map((c) => `${c.at.toFixed(1)}:${c.heard}(t${c.tone.toFixed(1)} m${c.music.toFixed(2)} ${c.rmsDbov.toFixed(0)}dB)`).join(' ');
}

/**
 * Where two short beeps follow each other - `first` Hz, then `second` Hz within 60-240 ms (the
 * room's join tone is 80 ms at 600 Hz, 40 ms of silence, 80 ms at 900 Hz; the leave tone the
 * other way round): the time in seconds of the first beep's first frame, or undefined. A
 * 20 ms frame holds a beep when that frequency is above -35 dBov and 10 dB above the other one.
 */
export function beepPairAt(pcm: Pcm, first: number, second: number): number | undefined {
  const frame = Math.round(pcm.rate / 50);
  const frames = Math.floor(pcm.samples.length / frame);
  const holds = (i: number, hz: number, other: number): boolean => {
    const p = powerToDbov(goertzelPower(pcm.samples, pcm.rate, hz, i * frame, frame, true));
    const q = powerToDbov(goertzelPower(pcm.samples, pcm.rate, other, i * frame, frame, true));
    return p > -35 && p - q > 10;
  };
  for (let i = 0; i < frames; i++) {
    if (!holds(i, first, second)) continue;
    for (let k = 3; k <= 12 && i + k < frames; k++) if (holds(i + k, second, first)) return (i * frame) / pcm.rate;
  }
  return undefined;
}

/** Seconds of `pcm` whose 20 ms frames are louder than `thresholdDbov` (speech against a short beep or silence). */
export function activeSeconds(pcm: Pcm, thresholdDbov: number): number {
  const frame = Math.round(pcm.rate / 50);
  let active = 0;
  for (let i = 0; i + frame <= pcm.samples.length; i += frame) {
    let sum = 0;
    for (let k = i; k < i + frame; k++) sum += pcm.samples[k]! * pcm.samples[k]!;
    if (powerToDbov(sum / frame) > thresholdDbov) active++;
  }
  return active / 50;
}
