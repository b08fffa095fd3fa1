/**
 * Chooses which participants enter the mix: the N loudest talkers, with hangover.
 *
 * Per participant (numbered by a small integer slot the room assigns):
 *  - a voice-activity decision: a frame whose mean-square energy is at or above the
 *    threshold is voiced; a participant stays "talking" for `hangoverTicks` after its last
 *    voiced frame, so the pauses inside and between words do not cut it out of the mix;
 *  - a ranking level: peak-hold with exponential decay over the frame energies, so the
 *    rank does not collapse in a short pause either.
 * Each tick the N talking participants with the highest score are chosen, where the score
 * is the level, multiplied by `incumbentBonus` for those chosen last tick (hysteresis: a
 * newcomer must be clearly louder to take a seat). Ties go to the lower slot number, so
 * the choice is deterministic.
 *
 * Pure state machine: no clock (ticks are counted by calls to `select`), no I/O, no
 * allocation after construction except when the capacity grows.
 */
export interface TalkerSelectorOptions {
  /** How many talkers enter the mix (default 3). */
  maxTalkers?: number;
  /** Ticks a talker stays talking after its last voiced frame (default 15 = 300 ms at 20 ms). */
  hangoverTicks?: number;
  /** Voiced-frame threshold in dBov (RMS relative to full-scale sine; default -42). */
  vadThresholdDbov?: number;
  /** Score multiplier for talkers chosen last tick (default 2, +3 dB). */
  incumbentBonus?: number;
  /** Per-tick decay of the ranking level (default 0.8). */
  levelDecay?: number;
}

export type TalkingListener = (slot: number, talking: boolean) => void;

/** Mean-square energy of `pcm[0, n)`; the metric of the whole selector. */
export function frameEnergy(pcm: Int16Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const s = pcm[i]!;
    sum += s * s;
  }
  return n > 0 ? sum / n : 0;
}

/** Mean-square energy of a full-scale sine attenuated by `dbov` (RFC 6464 §3 reference). */
export function energyOfDbov(dbov: number): number {
  const fullScaleSineEnergy = (32767 * 32767) / 2;
  return fullScaleSineEnergy * Math.pow(10, dbov / 10);
}

export class TalkerSelector {
  readonly maxTalkers: number;
  private readonly hangoverTicks: number;
  private readonly threshold: number;
  private readonly bonus: number;
  private readonly decay: number;
  private level = new Float64Array(16);
  private hang = new Int32Array(16);
  private lastVoiced = new Int32Array(16);
  private flags = new Uint8Array(16); // bit 0 talking, bit 1 chosen last tick, bit 2 present
  private talking: number[] = [];
  private tick = 0;
  private readonly scoreScratch: number[] = [];
  private readonly bestScratch: Float64Array;
  onTalking: TalkingListener | undefined;

  constructor(opts: TalkerSelectorOptions = {}) {
    this.maxTalkers = opts.maxTalkers ?? 3;
    this.hangoverTicks = opts.hangoverTicks ?? 15;
    this.threshold = energyOfDbov(opts.vadThresholdDbov ?? -42);
    this.bonus = opts.incumbentBonus ?? 2;
    this.decay = opts.levelDecay ?? 0.8;
    if (this.maxTalkers < 1) throw new RangeError('maxTalkers must be at least 1');
    this.bestScratch = new Float64Array(this.maxTalkers);
  }

  /** Frame energy that counts as voiced. */
  get voicedEnergy(): number {
    return this.threshold;
  }

  /** Report one participant's frame energy for the current tick (0 for silence or no packet). */
  update(slot: number, energy: number): void {
    if (slot >= this.level.length) this.grow(slot + 1);
    const lvl = this.level[slot]! * this.decay;
    this.level[slot] = energy > lvl ? energy : lvl;
    if (energy < this.threshold) return;
    this.hang[slot] = this.hangoverTicks;
    this.lastVoiced[slot] = this.tick;
    if ((this.flags[slot]! & 1) === 0) {
      this.flags[slot] = this.flags[slot]! | 1;
      this.talking.push(slot);
      this.onTalking?.(slot, true);
    }
  }

  /** Forget a participant that left (it stops talking without an event). */
  remove(slot: number): void {
    if (slot >= this.level.length) return;
    this.level[slot] = 0;
    this.hang[slot] = 0;
    this.flags[slot] = 0;
    const i = this.talking.indexOf(slot);
    if (i >= 0) this.talking.splice(i, 1);
  }

  /** True when the slot is talking (voiced or in hangover). */
  isTalking(slot: number): boolean {
    return slot < this.flags.length && (this.flags[slot]! & 1) !== 0;
  }

  /** The slot's ranking score this tick (level, with the incumbent bonus). */
  score(slot: number): number {
    return (this.flags[slot]! & 2) !== 0 ? this.level[slot]! * this.bonus : this.level[slot]!;
  }

  /**
   * End the tick: age hangovers, then write the chosen slots (loudest first) into `out`
   * and return how many there are (at most `maxTalkers`).
   */
  select(out: Int32Array): number {
    this.expireHangovers();
    const list = this.talking;
    const scores = this.scoreScratch;
    scores.length = list.length;
    for (let i = 0; i < list.length; i++) scores[i] = this.score(list[i]!);
    const count = pickLoudest(list, scores, list.length, this.maxTalkers, out, this.bestScratch);
    for (let i = 0; i < list.length; i++) this.flags[list[i]!] = this.flags[list[i]!]! & ~2;
    for (let i = 0; i < count; i++) this.flags[out[i]!] = this.flags[out[i]!]! | 2;
    this.tick++;
    return count;
  }

  /** Mark slots as chosen by someone else's decision (a room spanning workers). */
  setChosen(slots: Int32Array, count: number): void {
    for (let i = 0; i < this.talking.length; i++) this.flags[this.talking[i]!] = this.flags[this.talking[i]!]! & ~2;
    for (let i = 0; i < count; i++) this.flags[slots[i]!] = this.flags[slots[i]!]! | 2;
  }

  /** The talking slots (voiced or in hangover) after the last `select`. */
  talkingSlots(): readonly number[] {
    return this.talking;
  }

  private expireHangovers(): void {
    const list = this.talking;
    for (let i = list.length - 1; i >= 0; i--) {
      const slot = list[i]!;
      if (this.lastVoiced[slot] === this.tick) continue;
      const h = --this.hang[slot]!;
      if (h > 0) continue;
      this.flags[slot] = this.flags[slot]! & ~3;
      list.splice(i, 1);
      this.onTalking?.(slot, false);
    }
  }

  private grow(min: number): void {
    const size = Math.max(min, this.level.length * 2);
    const level = new Float64Array(size);
    level.set(this.level);
    const hang = new Int32Array(size);
    hang.set(this.hang);
    const lastVoiced = new Int32Array(size);
    lastVoiced.set(this.lastVoiced);
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    this.level = level;
    this.hang = hang;
    this.lastVoiced = lastVoiced;
    this.flags = flags;
  }
}

/**
 * Write the ids of the `n` highest scores (ties: lower id first) into `out`; returns the count.
 * Selection by repeated insertion: `n` is tiny (3), the candidate list short.
 */
export function pickLoudest(
  ids: ArrayLike<number>,
  scores: ArrayLike<number>,
  count: number,
  n: number,
  out: Int32Array,
  outScores?: Float64Array,
): number {
  let chosen = 0;
  const best = outScores ?? new Float64Array(n); // only allocates when a caller passes none
  for (let i = 0; i < count; i++) {
    const id = ids[i]!;
    const s = scores[i]!;
    let pos = chosen;
    while (pos > 0 && (best[pos - 1]! < s || (best[pos - 1] === s && out[pos - 1]! > id))) pos--;
    if (pos >= n) continue;
    const last = Math.min(chosen, n - 1);
    for (let j = last; j > pos; j--) {
      out[j] = out[j - 1]!;
      best[j] = best[j - 1]!;
    }
    out[pos] = id;
    best[pos] = s;
    if (chosen < n) chosen++;
  }
  return chosen;
}
