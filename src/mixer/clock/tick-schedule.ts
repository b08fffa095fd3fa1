/**
 * When the next tick runs, as a pure state machine (no timer, no clock read): the shell
 * (tick-loop.ts) tells it the time, it answers which tick and phase is due.
 *
 * Deadlines are absolute: tick k of phase p is due at `epoch + k * period + offset[p]`,
 * never "20 ms after the previous one", so lateness does not accumulate (no drift), and
 * every worker that shares the epoch agrees on what tick k is — the rooms that span
 * workers rely on that. A tick that starts after its deadline still runs (catch-up) and is
 * counted late when it starts more than `lateThresholdMs` after it; when the loop fell more
 * than `maxCatchUpTicks` behind (a stall of the event loop), the oldest ticks are skipped
 * and counted rather than run back to back, so a stall never becomes a burst of audio.
 */
export interface TickScheduleOptions {
  epochMs: number;
  periodMs: number;
  /** Start at the first tick due after this time. */
  startMs: number;
  /** Phase offsets within a period, ascending, first 0 (default [0]). */
  phaseOffsetsMs?: number[];
  /** Lateness above which a tick counts as late (default half a period: its packets then leave nearer the next deadline than their own). */
  lateThresholdMs?: number;
  /** At most this many overdue ticks are caught up; older ones are skipped (default 5). */
  maxCatchUpTicks?: number;
}

export interface DueTick {
  tick: number;
  phase: number;
  deadlineMs: number;
  lateMs: number;
}

/** Upper bounds (ms) of the lateness histogram buckets; the last bucket is everything above. */
export const LATENESS_BUCKETS_MS = [1, 2, 5, 10, 20, 50] as const;

export class TickSchedule {
  readonly periodMs: number;
  private readonly epochMs: number;
  private offsets: number[];
  private readonly lateThresholdMs: number;
  private readonly maxCatchUp: number;
  private tick: number;
  private phase = 0;
  ticks = 0;
  lateTicks = 0;
  caughtUp = 0;
  skipped = 0;
  maxLateMs = 0;
  /** Ticks by lateness: bucket i counts lateness <= LATENESS_BUCKETS_MS[i], the last one the rest. */
  readonly lateness = new Array<number>(LATENESS_BUCKETS_MS.length + 1).fill(0);

  constructor(opts: TickScheduleOptions) {
    this.periodMs = opts.periodMs;
    this.epochMs = opts.epochMs;
    this.offsets = opts.phaseOffsetsMs ?? [0];
    this.lateThresholdMs = opts.lateThresholdMs ?? opts.periodMs / 2;
    this.maxCatchUp = opts.maxCatchUpTicks ?? 5;
    this.tick = Math.max(0, Math.ceil((opts.startMs - opts.epochMs) / opts.periodMs));
  }

  /** Change the phases (takes effect from the next tick). */
  setPhases(offsetsMs: number[]): void {
    if (offsetsMs[0] !== 0) throw new RangeError('the first phase must be at offset 0');
    this.offsets = offsetsMs;
    if (this.phase >= offsetsMs.length) this.advanceTick();
  }

  /** Deadline of the next event. */
  nextDeadline(): number {
    return this.epochMs + this.tick * this.periodMs + this.offsets[this.phase]!;
  }

  /**
   * If an event is due at `nowMs`, fill `out` with it, advance, and return true.
   * Call repeatedly until it returns false, then sleep until `nextDeadline()`.
   */
  poll(nowMs: number, out: DueTick): boolean {
    let deadline = this.nextDeadline();
    if (nowMs < deadline) return false;
    if (this.phase === 0) {
      const behind = Math.floor((nowMs - deadline) / this.periodMs);
      if (behind > this.maxCatchUp) {
        const skip = behind - this.maxCatchUp;
        this.tick += skip;
        this.skipped += skip;
        deadline = this.nextDeadline();
      }
      const late = nowMs - deadline;
      this.ticks++;
      if (late > this.lateThresholdMs) this.lateTicks++;
      if (late >= this.periodMs) this.caughtUp++;
      if (late > this.maxLateMs) this.maxLateMs = late;
      let b = 0;
      while (b < LATENESS_BUCKETS_MS.length && late > LATENESS_BUCKETS_MS[b]!) b++;
      this.lateness[b]!++;
    }
    out.tick = this.tick;
    out.phase = this.phase;
    out.deadlineMs = deadline;
    out.lateMs = nowMs - deadline;
    this.phase++;
    if (this.phase >= this.offsets.length) this.advanceTick();
    return true;
  }

  private advanceTick(): void {
    this.phase = 0;
    this.tick++;
  }
}
