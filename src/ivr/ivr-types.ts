/**
 * The vocabulary every IVR state machine speaks (see README.md, "The contract with the host").
 *
 * Sans-IO: a step never plays audio, reads a clock or calls into call control. It returns
 * actions (play these prompts, arm this timer, I am done) and is fed inputs (a DTMF key, "that
 * playback ended", "that timer fired"). The host - the conference service - owns the media
 * engine and the real timers and turns one into the other.
 */

/** A phrase or a number word, e.g. 'conf-enter-pin', 'number-7'; resolved to a file by the PromptCatalog. */
export type PromptId = string;

export interface PromptRef {
  id: PromptId;
}

export type IvrAction =
  /**
   * Play `prompts` in order as one playback. The host answers with one `played` carrying the same
   * `playId` when the last prompt ended or the playback was stopped. `bargeIn`: a key pressed
   * meanwhile stops it (the step sends `stop-playback` and keeps the key).
   */
  | { type: 'play'; playId: string; prompts: PromptRef[]; bargeIn: boolean }
  | { type: 'stop-playback'; playId: string }
  /** Arm (or re-arm: a timer of the same name is replaced) a one-shot timer. */
  | { type: 'start-timer'; name: string; ms: number }
  /** Disarm; a name that is not armed is a no-op. */
  | { type: 'cancel-timer'; name: string }
  /** The step (or flow) is finished; nothing follows. Timers it armed are already cancelled. */
  | { type: 'done'; result: IvrResult };

export type IvrInput =
  /** One DTMF key ('0'-'9', '*', '#', 'A'-'D') from RFC 4733 events or a SIP INFO body, de-duplicated. */
  | { type: 'digit'; digit: string }
  /** The playback of that id ended (finished or stopped). Unknown or stale ids are ignored. */
  | { type: 'played'; playId: string }
  /** The timer of that name fired. Names not armed right now are ignored. */
  | { type: 'timer'; name: string };

export type IvrResult =
  /** The entry was accepted (validated when the step validates). `attempts`: 1 = first try. */
  | { outcome: 'collected'; digits: string; attempts: number }
  /** Attempts ran out and the step's onFailure is `continue`: the last entry, and why it failed. */
  | { outcome: 'failed'; digits: string; attempts: number; reason: FailureReason }
  /** Hang up (after the final prompt played); e.g. reason 'max-attempts'. */
  | { outcome: 'hangup'; reason: string }
  | { outcome: 'transfer'; target: string };

/** no-input: nothing entered before the first-digit timeout (or only a terminator); invalid: refused. */
export type FailureReason = 'no-input' | 'invalid';

/** What every step and flow is: started once, then fed inputs until it emits `done`. */
export interface IvrStep {
  /** The first actions. Call once. */
  start(): IvrAction[];
  /** The actions one input causes. After `done`, every input is ignored (returns []). */
  handle(input: IvrInput): IvrAction[];
  /** The result once `done` was emitted, else undefined. */
  readonly result: IvrResult | undefined;
}

export function promptRefs(ids: readonly PromptId[]): PromptRef[] {
  return ids.map((id) => ({ id }));
}
