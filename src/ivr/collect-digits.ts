/**
 * CollectDigits: play a prompt, collect DTMF keys, retry, then succeed or take the final action.
 *
 *   idle --start--> prompting --played--> collecting --entry ends--> done (collected)
 *                      |  key (barge-in: stop-playback, key kept)  ^        |
 *                      +-------------------------------------------+        | entry fails
 *                                                                           v
 *           prompting (invalid/no-input + retry prompts) <-- attempts left? --+-- none left -->
 *           finishing (final prompts, no barge-in) --played--> done (hangup | transfer | failed)
 *
 * An entry ends at a terminator key (not part of the digits), when maxDigits keys are in, or when a
 * timer fires: the first-digit timer (armed when the prompt has ended) or the inter-digit timer
 * (re-armed after every key). An empty entry is `no-input`; one shorter than minDigits or refused by
 * `validate` is `invalid`. Keys that are not DTMF keys are ignored; so are keys while a prompt
 * without barge-in or the final prompt plays.
 */
import { checkKeySet, isDtmfKey } from './dtmf-keys.js';
import type { FailureReason, IvrAction, IvrInput, IvrResult, IvrStep, PromptId } from './ivr-types.js';
import { PlaybackSlot, TimerSlot } from './playback-slot.js';

export type FailureAction = { type: 'hangup'; reason?: string } | { type: 'transfer'; target: string } | { type: 'continue' };

export interface CollectDigitsSpec {
  /** Played at the first attempt. */
  prompts: PromptId[];
  /** Played at every later attempt, after invalidPrompts or noInputPrompts. Default: `prompts`. */
  retryPrompts?: PromptId[];
  /** Played when an entry was refused and attempts are left (e.g. 'conf-wrong-pin'). Default none. */
  invalidPrompts?: PromptId[];
  /** Played when nothing was entered and attempts are left. Default none. */
  noInputPrompts?: PromptId[];
  /** Played, without barge-in, when the last attempt failed, before onFailure (e.g. 'conf-wrong-pin-goodbye'). */
  finalPrompts?: PromptId[];
  /** Keys that end an entry: '#' (default), '*', '#*', or '' for none. */
  terminators?: string;
  /** The entry ends by itself when this many keys are in. */
  maxDigits: number;
  /** Shorter non-empty entries are invalid. Default 1. */
  minDigits?: number;
  firstDigitTimeoutMs: number;
  interDigitTimeoutMs: number;
  /** Entries allowed in all (3 for PINs). */
  maxAttempts: number;
  /** Accept or refuse a complete entry. Pure: the host passes the data it needs (the room's PINs). */
  validate?(digits: string): 'ok' | 'invalid';
  /** After the last failed attempt (and the final prompts). */
  onFailure: FailureAction;
  /** A key stops the prompts and counts as the first key of the entry. Default true. */
  bargeIn?: boolean;
}

export const FIRST_DIGIT_TIMER = 'first-digit';
export const INTER_DIGIT_TIMER = 'inter-digit';

type State = 'idle' | 'prompting' | 'collecting' | 'finishing' | 'done';

export class CollectDigits implements IvrStep {
  private state: State = 'idle';
  private attempt = 0;
  private digits = '';
  private failure: { digits: string; reason: FailureReason } | undefined;
  private outcome: IvrResult | undefined;
  private readonly playback = new PlaybackSlot();
  private readonly timer = new TimerSlot();
  private readonly terminators: string;
  private readonly minDigits: number;
  private readonly bargeIn: boolean;

  constructor(private readonly spec: CollectDigitsSpec) {
    this.terminators = spec.terminators ?? '#';
    this.minDigits = spec.minDigits ?? 1;
    this.bargeIn = spec.bargeIn ?? true;
    checkSpec(spec, this.terminators, this.minDigits);
  }

  get result(): IvrResult | undefined {
    return this.outcome;
  }

  start(): IvrAction[] {
    if (this.state !== 'idle') throw new Error('CollectDigits: start() called twice');
    const out: IvrAction[] = [];
    this.beginAttempt(this.spec.prompts, out);
    return out;
  }

  handle(input: IvrInput): IvrAction[] {
    if (this.state === 'idle') throw new Error('CollectDigits: handle() before start()');
    const out: IvrAction[] = [];
    if (this.state === 'done') return out;
    if (input.type === 'digit') this.onKey(input.digit, out);
    else if (input.type === 'played') {
      if (this.playback.ended(input.playId)) this.onPlayed(out);
    } else if (this.timer.fired(input.name)) this.endEntry(out);
    return out;
  }

  private beginAttempt(prompts: readonly PromptId[], out: IvrAction[]): void {
    this.attempt++;
    this.digits = '';
    if (prompts.length === 0) return this.startCollecting(out);
    this.state = 'prompting';
    out.push(this.playback.play(prompts, this.bargeIn));
  }

  private startCollecting(out: IvrAction[]): void {
    this.state = 'collecting';
    this.timer.arm(FIRST_DIGIT_TIMER, this.spec.firstDigitTimeoutMs, out);
  }

  private onPlayed(out: IvrAction[]): void {
    if (this.state === 'prompting') this.startCollecting(out);
    else if (this.state === 'finishing') this.finish(this.failureResult(), out);
  }

  private onKey(key: string, out: IvrAction[]): void {
    if (!isDtmfKey(key)) return;
    if (this.state === 'prompting') {
      if (!this.bargeIn) return;
      this.playback.stop(out); // barge-in: the prompt stops, the key counts
      this.state = 'collecting';
    }
    if (this.state !== 'collecting') return;
    if (this.terminators.includes(key)) return this.endEntry(out);
    this.digits += key;
    if (this.digits.length >= this.spec.maxDigits) return this.endEntry(out);
    this.timer.arm(INTER_DIGIT_TIMER, this.spec.interDigitTimeoutMs, out);
  }

  private endEntry(out: IvrAction[]): void {
    this.timer.cancel(out);
    const digits = this.digits;
    if (digits === '') return this.fail(digits, 'no-input', out);
    if (digits.length < this.minDigits) return this.fail(digits, 'invalid', out);
    if (this.spec.validate && this.spec.validate(digits) !== 'ok') return this.fail(digits, 'invalid', out);
    this.finish({ outcome: 'collected', digits, attempts: this.attempt }, out);
  }

  private fail(digits: string, reason: FailureReason, out: IvrAction[]): void {
    this.failure = { digits, reason };
    if (this.attempt < this.spec.maxAttempts) {
      const why = reason === 'invalid' ? this.spec.invalidPrompts : this.spec.noInputPrompts;
      return this.beginAttempt([...(why ?? []), ...(this.spec.retryPrompts ?? this.spec.prompts)], out);
    }
    const final = this.spec.finalPrompts ?? [];
    if (final.length === 0) return this.finish(this.failureResult(), out);
    this.state = 'finishing';
    out.push(this.playback.play(final, false));
  }

  private failureResult(): IvrResult {
    const action = this.spec.onFailure;
    if (action.type === 'hangup') return { outcome: 'hangup', reason: action.reason ?? 'max-attempts' };
    if (action.type === 'transfer') return { outcome: 'transfer', target: action.target };
    const { digits, reason } = this.failure!;
    return { outcome: 'failed', digits, attempts: this.attempt, reason };
  }

  private finish(result: IvrResult, out: IvrAction[]): void {
    this.timer.cancel(out);
    this.playback.stop(out);
    this.state = 'done';
    this.outcome = result;
    out.push({ type: 'done', result });
  }
}

function checkSpec(spec: CollectDigitsSpec, terminators: string, minDigits: number): void {
  const positive = (n: number) => Number.isInteger(n) && n > 0;
  if (!positive(spec.maxDigits)) throw new RangeError(`CollectDigits: maxDigits must be a positive integer, got ${spec.maxDigits}`);
  if (!Number.isInteger(minDigits) || minDigits < 1 || minDigits > spec.maxDigits) {
    throw new RangeError(`CollectDigits: minDigits must be 1..maxDigits (${spec.maxDigits}), got ${minDigits}`);
  }
  if (!positive(spec.maxAttempts)) throw new RangeError(`CollectDigits: maxAttempts must be a positive integer, got ${spec.maxAttempts}`);
  if (!(spec.firstDigitTimeoutMs > 0) || !(spec.interDigitTimeoutMs > 0)) throw new RangeError('CollectDigits: timeouts must be > 0 ms');
  checkKeySet(terminators, 'CollectDigits terminators');
}
