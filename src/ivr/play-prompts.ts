/**
 * PlayPrompts: say something, then finish. The result is `collected` with no digits - or, with
 * barge-in, with the key that stopped the prompts (a flow can treat it as a shortcut).
 *
 *   idle --start--> playing --played--> done { collected, digits: '' }
 *                      +--key (barge-in)--> stop-playback, done { collected, digits: key }
 */
import { isDtmfKey } from './dtmf-keys.js';
import type { IvrAction, IvrInput, IvrResult, IvrStep, PromptId } from './ivr-types.js';
import { PlaybackSlot } from './playback-slot.js';

export interface PlayPromptsSpec {
  prompts: PromptId[];
  /** A key stops the prompts and ends the step. Default false: keys are ignored. */
  bargeIn?: boolean;
}

export class PlayPrompts implements IvrStep {
  private started = false;
  private outcome: IvrResult | undefined;
  private readonly playback = new PlaybackSlot();

  constructor(private readonly spec: PlayPromptsSpec) {}

  get result(): IvrResult | undefined {
    return this.outcome;
  }

  start(): IvrAction[] {
    if (this.started) throw new Error('PlayPrompts: start() called twice');
    this.started = true;
    const out: IvrAction[] = [];
    if (this.spec.prompts.length === 0) this.finish('', out);
    else out.push(this.playback.play(this.spec.prompts, this.spec.bargeIn ?? false));
    return out;
  }

  handle(input: IvrInput): IvrAction[] {
    if (!this.started) throw new Error('PlayPrompts: handle() before start()');
    const out: IvrAction[] = [];
    if (this.outcome) return out;
    if (input.type === 'played' && this.playback.ended(input.playId)) this.finish('', out);
    else if (input.type === 'digit' && this.spec.bargeIn && isDtmfKey(input.digit)) {
      this.playback.stop(out);
      this.finish(input.digit, out);
    }
    return out;
  }

  private finish(digits: string, out: IvrAction[]): void {
    this.outcome = { outcome: 'collected', digits, attempts: 1 };
    out.push({ type: 'done', result: this.outcome });
  }
}
