/**
 * The shell around TickSchedule: one timer per worker that drives every room, relay and
 * player on it. It sleeps until the next absolute deadline with a single setTimeout, runs
 * whatever is due (catching up when late) and sleeps again. Nothing here knows about rooms.
 * Time is `process.hrtime` (CLOCK_MONOTONIC, shared by all threads of the process), so two
 * workers given the same epoch tick together.
 */
import { TickSchedule, type DueTick } from './tick-schedule.js';

export type TickHandler = (tick: number, phase: number, lateMs: number) => void;

/** Monotonic milliseconds, the same timeline in every thread of the process. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export class TickLoop {
  readonly schedule: TickSchedule;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly due: DueTick = { tick: 0, phase: 0, deadlineMs: 0, lateMs: 0 };
  /** Wall time spent inside handlers, ms. */
  busyMs = 0;

  constructor(
    private readonly handler: TickHandler,
    opts: { epochMs: number; periodMs: number; phaseOffsetsMs?: number[]; lateThresholdMs?: number },
  ) {
    this.schedule = new TickSchedule({ ...opts, startMs: monotonicMs() });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.arm();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (!this.running) return;
    const wait = this.schedule.nextDeadline() - monotonicMs();
    // setTimeout rounds to whole ms and fires at or after the delay: ask for the floor.
    this.timer = setTimeout(this.fire, wait > 1 ? Math.floor(wait) : 0);
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    const start = monotonicMs();
    let now = start;
    while (this.running && this.schedule.poll(now, this.due)) {
      this.handler(this.due.tick, this.due.phase, this.due.lateMs);
      now = monotonicMs();
    }
    this.busyMs += now - start;
    this.arm();
  };
}
