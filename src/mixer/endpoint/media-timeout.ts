/**
 * When an endpoint's media has stopped for too long (the "a call whose media stops
 * for a configurable time is torn down"). Sans-IO: times are passed in.
 *
 *  - Any RTP packet restarts the silence clock.
 *  - While the call is on hold (RFC 3264 §8.4) silence is expected: nothing fires. Leaving
 *    hold restarts the clock at that moment, so a call that resumes and then never sends
 *    media again times out `timeoutMs` after the resume.
 *  - After firing, it fires again after each further `timeoutMs` of silence, so a timeout
 *    the owner chose to ignore (the call was still ringing) is not the last word.
 */
export class MediaTimeout {
  private lastMediaMs: number;
  private lastFiredMs = -Infinity;
  private held = false;

  /** `timeoutMs` 0: never fires. */
  constructor(
    readonly timeoutMs: number,
    nowMs: number,
  ) {
    this.lastMediaMs = nowMs;
  }

  get onHold(): boolean {
    return this.held;
  }

  /** An RTP packet arrived. */
  media(nowMs: number): void {
    this.lastMediaMs = nowMs;
  }

  setHold(onHold: boolean, nowMs: number): void {
    if (onHold === this.held) return;
    this.held = onHold;
    if (!onHold) {
      this.lastMediaMs = Math.max(this.lastMediaMs, nowMs);
      this.lastFiredMs = -Infinity;
    }
  }

  /** The silence so far when a timeout is due now, else undefined. */
  poll(nowMs: number): number | undefined {
    if (this.timeoutMs <= 0 || this.held) return undefined;
    const silent = nowMs - this.lastMediaMs;
    if (silent < this.timeoutMs) return undefined;
    if (this.lastFiredMs > this.lastMediaMs && nowMs - this.lastFiredMs < this.timeoutMs) return undefined;
    this.lastFiredMs = nowMs;
    return silent;
  }
}
