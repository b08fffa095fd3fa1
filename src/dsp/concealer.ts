/**
 * Packet loss concealment for codecs without their own (G.711, G.722), in the manner of
 * ITU-T G.711 Appendix I: the last pitch period of good audio is repeated, full level for
 * the first 10 ms of a loss, then fading by 20% per 10 ms to silence after 60 ms; when
 * audio resumes, the first milliseconds cross-fade from the synthetic signal into the real
 * one so there is no click. Simplified against Appendix I: one pitch estimate per loss
 * (normalised autocorrelation, 2.5-15 ms), no overlap-add at period boundaries.
 *
 * Use: after each decoded frame call `remember(pcm, n)` (it also applies the cross-fade
 * in place when the previous frame was concealed); for a lost frame call `conceal`.
 * Nothing is allocated after construction.
 */
const HISTORY_MS = 30;
const FULL_LEVEL_MS = 10;
const FADE_STEP_MS = 10;
const SILENT_AFTER_MS = 60;
const CROSSFADE_MS = 4;

export class LossConcealer {
  private readonly history: Int16Array;
  private readonly minLag: number;
  private readonly maxLag: number;
  private readonly perMs: number;
  private filled = 0;
  /** Samples synthesised in the current loss so far (0 = not concealing). */
  private lostSamples = 0;
  private period = 0;
  /** Read position within the repeated period. */
  private phase = 0;

  constructor(readonly sampleRate: number) {
    this.perMs = sampleRate / 1000;
    this.history = new Int16Array(Math.round(HISTORY_MS * this.perMs));
    this.minLag = Math.round(2.5 * this.perMs);
    this.maxLag = Math.round(15 * this.perMs);
  }

  /** Record good audio (cross-fading it in place if it ends a loss). */
  remember(pcm: Int16Array, n: number): void {
    if (this.lostSamples > 0) this.crossfadeIn(pcm, n);
    const h = this.history;
    const len = h.length;
    if (n >= len) {
      h.set(pcm.subarray(n - len, n));
    } else {
      h.copyWithin(0, n);
      h.set(pcm.subarray(0, n), len - n);
    }
    this.filled = Math.min(len, this.filled + n);
  }

  /** Synthesise `samples` samples for a lost frame into `out`; returns `samples`. */
  conceal(out: Int16Array, samples: number): number {
    if (this.lostSamples === 0) this.startLoss();
    for (let i = 0; i < samples; i++) out[i] = this.next();
    return samples;
  }

  reset(): void {
    this.history.fill(0);
    this.filled = 0;
    this.lostSamples = 0;
  }

  private startLoss(): void {
    this.period = this.filled >= this.maxLag * 2 ? this.estimatePeriod() : this.minLag;
    this.phase = 0;
  }

  /** Next synthetic sample: periodic extension of the history, with the Appendix I fade. */
  private next(): number {
    const h = this.history;
    const base = h.length - this.period;
    const v = h[base + this.phase]!;
    if (++this.phase >= this.period) this.phase = 0;
    const ms = this.lostSamples / this.perMs;
    this.lostSamples++;
    if (ms < FULL_LEVEL_MS) return v;
    if (ms >= SILENT_AFTER_MS) return 0;
    const gain = 1 - 0.2 * ((ms - FULL_LEVEL_MS) / FADE_STEP_MS + 1);
    return gain > 0 ? Math.round(v * gain) : 0;
  }

  private crossfadeIn(pcm: Int16Array, n: number): void {
    const len = Math.min(n, Math.round(CROSSFADE_MS * this.perMs));
    for (let i = 0; i < len; i++) {
      const w = (i + 1) / (len + 1);
      pcm[i] = Math.round(w * pcm[i]! + (1 - w) * this.next());
    }
    this.lostSamples = 0;
  }

  /** Lag in [2.5, 15] ms maximising the normalised autocorrelation of the newest audio. */
  private estimatePeriod(): number {
    const h = this.history;
    const end = h.length;
    const win = this.maxLag;
    let best = this.minLag;
    let bestScore = -Infinity;
    for (let lag = this.minLag; lag <= this.maxLag; lag++) {
      let xy = 0;
      let yy = 0;
      for (let i = end - win; i < end; i++) {
        const y = h[i - lag]!;
        xy += h[i]! * y;
        yy += y * y;
      }
      const score = yy > 0 ? xy / Math.sqrt(yy) : 0;
      if (score > bestScore) {
        bestScore = score;
        best = lag;
      }
    }
    return best;
  }
}
