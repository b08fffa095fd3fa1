/**
 * The one playback and the one timer a step may have running, with the ids that let a step
 * tell its own `played`/`timer` inputs from stale ones (a playback it already stopped still
 * reports `played` later; that report must not count as "the next prompt finished").
 */
import type { IvrAction, PromptId } from './ivr-types.js';
import { promptRefs } from './ivr-types.js';

export class PlaybackSlot {
  private seq = 0;
  private current: string | undefined;

  get playing(): boolean {
    return this.current !== undefined;
  }

  /** A `play` action with a fresh id, which becomes the current playback. */
  play(prompts: readonly PromptId[], bargeIn: boolean): IvrAction {
    this.current = `p${++this.seq}`;
    return { type: 'play', playId: this.current, prompts: promptRefs(prompts), bargeIn };
  }

  /** True when `playId` is the current playback, which is then over. */
  ended(playId: string): boolean {
    if (playId !== this.current) return false;
    this.current = undefined;
    return true;
  }

  /** `stop-playback` for the current playback (its late `played` will be ignored), or nothing. */
  stop(out: IvrAction[]): void {
    if (this.current === undefined) return;
    out.push({ type: 'stop-playback', playId: this.current });
    this.current = undefined;
  }
}

export class TimerSlot {
  private armed: string | undefined;

  /** Arm `name`, disarming whichever other timer was armed. */
  arm(name: string, ms: number, out: IvrAction[]): void {
    if (this.armed !== undefined && this.armed !== name) out.push({ type: 'cancel-timer', name: this.armed });
    this.armed = name;
    out.push({ type: 'start-timer', name, ms });
  }

  /** True when `name` is the armed timer, which is then disarmed (it fired). */
  fired(name: string): boolean {
    if (name !== this.armed) return false;
    this.armed = undefined;
    return true;
  }

  cancel(out: IvrAction[]): void {
    if (this.armed === undefined) return;
    out.push({ type: 'cancel-timer', name: this.armed });
    this.armed = undefined;
  }
}
