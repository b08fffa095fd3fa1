/**
 * The PIN prompt of a conference room as an IVR step: CollectDigits (src/ivr) asking
 * "enter the conference PIN, followed by hash", three attempts, "wrong PIN" between them and
 * "wrong PIN too many times, goodbye" then hang-up after the third (issue 5).
 *
 * A public room with only an admin PIN lets callers in without one: an empty entry (`#`
 * alone) joins as a participant. CollectDigits counts an empty entry as no-input, so this
 * step watches for it and finishes with `collected` and no digits.
 *
 * Each wrong PIN is reported to `wrongPin` (the caller's PIN throttle, pin-guess-throttle.ts);
 * when it answers that this entry blocked the caller, the attempts left are dropped: the
 * goodbye plays at once and the step ends with a hang-up ("brute force is throttled").
 */
import { CollectDigits, type IvrAction, type IvrInput, type IvrResult, type IvrStep } from '../../ivr/index.js';
import { PIN_MAX_DIGITS } from '../rooms/room-fields.js';
import type { Role } from './entry-rules.js';

export const PIN_ATTEMPTS = 3;
export const PIN_FIRST_DIGIT_TIMEOUT_MS = 10_000;
export const PIN_INTER_DIGIT_TIMEOUT_MS = 5_000;

export class PinEntry implements IvrStep {
  private readonly inner: CollectDigits;
  private typed = '';
  private playId: string | undefined;
  private timers = new Set<string>();
  private outcome: IvrResult | undefined;
  /** The goodbye after the last wrong PIN is playing: no entry is taken any more. */
  private finishing = false;
  /** The wrong PIN just entered blocked the caller (set inside validate). */
  private blockedNow = false;
  /** The playback of the goodbye after a block, while it plays. */
  private blockedGoodbye: string | undefined;

  constructor(
    private readonly pins: ReadonlyMap<string, Role>,
    private readonly emptyEntry: Role | undefined,
    /** Told of each wrong PIN; true when that one blocked the caller from PIN entry. */
    private readonly wrongPin: (digits: string) => boolean = () => false,
  ) {
    // The entry ends at # (or the inter-digit timeout), not at the PIN's length: a '#' after
    // a wrong PIN of the right length would otherwise barge into the retry prompt.
    const longest = Math.max(PIN_MAX_DIGITS, ...[...pins.keys()].map((p) => p.length));
    this.inner = new CollectDigits({
      prompts: ['conf-enter-pin'],
      invalidPrompts: ['conf-wrong-pin'],
      finalPrompts: ['conf-wrong-pin-goodbye'],
      terminators: '#',
      maxDigits: longest,
      firstDigitTimeoutMs: PIN_FIRST_DIGIT_TIMEOUT_MS,
      interDigitTimeoutMs: PIN_INTER_DIGIT_TIMEOUT_MS,
      maxAttempts: PIN_ATTEMPTS,
      validate: (d) => {
        if (pins.has(d)) return 'ok';
        if (this.wrongPin(d)) this.blockedNow = true;
        return 'invalid';
      },
      onFailure: { type: 'hangup', reason: 'wrong PIN' },
    });
  }

  get result(): IvrResult | undefined {
    return this.outcome ?? this.inner.result;
  }

  /** The role a collected entry gives. */
  roleOf(digits: string): Role | undefined {
    return digits === '' ? this.emptyEntry : this.pins.get(digits);
  }

  start(): IvrAction[] {
    return this.watch(this.inner.start());
  }

  handle(input: IvrInput): IvrAction[] {
    if (this.outcome) return [];
    if (this.blockedGoodbye !== undefined) return this.goodbyeInput(input);
    if (input.type === 'digit' && input.digit === '#' && this.typed === '' && this.emptyEntry !== undefined && !this.finishing && this.inner.result === undefined) {
      const out: IvrAction[] = [];
      if (this.playId) out.push({ type: 'stop-playback', playId: this.playId });
      for (const name of this.timers) out.push({ type: 'cancel-timer', name });
      this.outcome = { outcome: 'collected', digits: '', attempts: 1 };
      out.push({ type: 'done', result: this.outcome });
      return out;
    }
    if (input.type === 'digit' && input.digit !== '#') this.typed += input.digit;
    const actions = this.watch(this.inner.handle(input));
    return this.blockedNow && !this.finishing ? this.sayGoodbyeNow(actions) : actions;
  }

  /** The caller got blocked with attempts left: instead of the retry, the goodbye, then hang-up. */
  private sayGoodbyeNow(actions: IvrAction[]): IvrAction[] {
    const out: IvrAction[] = actions.filter((a) => a.type !== 'play' && a.type !== 'start-timer');
    for (const name of this.timers) out.push({ type: 'cancel-timer', name });
    this.timers.clear();
    this.finishing = true;
    this.blockedGoodbye = 'pin-blocked-goodbye';
    out.push({ type: 'play', playId: this.blockedGoodbye, prompts: [{ id: 'conf-wrong-pin-goodbye' }], bargeIn: false });
    return out;
  }

  private goodbyeInput(input: IvrInput): IvrAction[] {
    if (input.type !== 'played' || input.playId !== this.blockedGoodbye) return [];
    this.outcome = { outcome: 'hangup', reason: 'PIN entry blocked' };
    return [{ type: 'done', result: this.outcome }];
  }

  /** Keeps track of what the inner step plays and arms; a new prompt starts a new attempt. */
  private watch(actions: IvrAction[]): IvrAction[] {
    for (const a of actions) {
      if (a.type === 'play') {
        this.playId = a.playId;
        this.typed = '';
        if (a.prompts.some((p) => p.id === 'conf-wrong-pin-goodbye')) this.finishing = true;
      } else if (a.type === 'start-timer') this.timers.add(a.name);
      else if (a.type === 'cancel-timer') this.timers.delete(a.name);
    }
    return actions;
  }
}
