/**
 * The shell around TickSchedule: one timer per worker that drives every room, relay and
 * player on it. It sleeps until the next absolute deadline with a single setTimeout, runs
 * whatever is due (catching up when late) and sleeps again. Nothing here knows about rooms.
 * Time is `process.hrtime` (CLOCK_MONOTONIC, shared by all threads of the process), so two
 * workers given the same epoch tick together.
 *
 * A timer cannot interrupt the event loop's I/O phase: with a thousand sockets readable at
 * once the timer fires only after all their callbacks ran. So the receive path also calls
 * `ioCheck(performance.now())` (one comparison per packet), which runs a tick that is
 * overdue right there, between two packets, instead of after the whole burst.
 */
import { TickSchedule, type DueTick } from './tick-schedule.js';

/** How late the timer may be before the receive path runs the tick itself, ms. */
const IO_SLACK_MS = 1;

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
  /** Ticks started from the receive path because the timer was late. */
  ioTicks = 0;
  /** performance.now() + offset = monotonicMs() in this thread (both are uv_hrtime based). */
  private readonly perfOffset = monotonicMs() - performance.now();
  /** The next deadline on the performance.now() scale, plus the slack given to the timer. */
  private ioDeadline = Infinity;
  private inTick = false;

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

  /** From I/O callbacks: run the due tick now when the timer is more than `IO_SLACK_MS` late. */
  ioCheck(perfNow: number): void {
    if (perfNow < this.ioDeadline || this.inTick || !this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.ioTicks++;
    this.fire();
  }

  private arm(): void {
    if (!this.running) return;
    const deadline = this.schedule.nextDeadline();
    this.ioDeadline = deadline - this.perfOffset + IO_SLACK_MS;
    const wait = deadline - monotonicMs();
    // setTimeout rounds to whole ms and fires at or after the delay: ask for the floor.
    this.timer = setTimeout(this.fire, wait > 1 ? Math.floor(wait) : 0);
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.inTick = true;
    const start = monotonicMs();
    let now = start;
    try {
      while (this.running && this.schedule.poll(now, this.due)) {
        this.handler(this.due.tick, this.due.phase, this.due.lateMs);
        now = monotonicMs();
      }
    } finally {
      this.inTick = false;
    }
    this.busyMs += now - start;
    this.arm();
  };
}
