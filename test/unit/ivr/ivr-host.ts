/**
 * A scripted host for IVR steps in tests: it keeps the timer table and the playback the step asked
 * for (as the conference service will), so a test can press keys, end playbacks and fire timers
 * by name, and check what is still running once a step is done.
 */
import * as assert from 'uvu/assert';
import type { IvrAction, IvrResult, IvrStep } from '../../../src/ivr/ivr-types.js';

type Play = Extract<IvrAction, { type: 'play' }>;

export class IvrHost {
  /** Armed timers: name -> ms. */
  readonly timers = new Map<string, number>();
  /** Playbacks running: playId -> prompt ids. */
  readonly playing = new Map<string, string[]>();
  /** Playbacks the step stopped: their `played` is still owed (the media engine reports it later). */
  readonly stopped: string[] = [];
  readonly log: IvrAction[] = [];
  result: IvrResult | undefined;

  constructor(readonly step: IvrStep) {}

  start(): IvrAction[] {
    return this.apply(this.step.start());
  }

  /** Presses each key of `keys` in turn; the actions of all of them. */
  keys(keys: string): IvrAction[] {
    const out: IvrAction[] = [];
    for (const digit of keys) out.push(...this.apply(this.step.handle({ type: 'digit', digit })));
    return out;
  }

  /** The playback running now ends by itself. */
  played(): IvrAction[] {
    const id = this.currentPlayId();
    this.playing.delete(id);
    return this.apply(this.step.handle({ type: 'played', playId: id }));
  }

  /** The media engine reports, late, the end of a playback the step stopped. */
  playedStopped(): IvrAction[] {
    const id = this.stopped.shift();
    assert.ok(id, 'no stopped playback owes a played');
    return this.apply(this.step.handle({ type: 'played', playId: id }));
  }

  /** Fires the armed timer whose name ends with `suffix` (the flow prefixes names). */
  fire(suffix: string): IvrAction[] {
    const name = [...this.timers.keys()].find((n) => n === suffix || n.endsWith(`:${suffix}`));
    assert.ok(name, `no armed timer named ${suffix}; armed: ${[...this.timers.keys()].join(', ') || 'none'}`);
    this.timers.delete(name);
    return this.apply(this.step.handle({ type: 'timer', name }));
  }

  /** The prompt ids of the playback running now. */
  prompts(): string[] {
    return this.playing.get(this.currentPlayId())!;
  }

  currentPlayId(): string {
    const ids = [...this.playing.keys()];
    assert.is(ids.length, 1, `expected exactly one playback running, got ${ids.length}`);
    return ids[0]!;
  }

  lastPlay(): Play {
    const plays = this.log.filter((a): a is Play => a.type === 'play');
    assert.ok(plays.length > 0, 'nothing was played');
    return plays[plays.length - 1]!;
  }

  /** Nothing left running: what every finished step must leave behind. */
  assertIdle(): void {
    assert.equal([...this.timers.keys()], [], 'timers still armed');
    assert.equal([...this.playing.keys()], [], 'playback still running');
  }

  private apply(actions: IvrAction[]): IvrAction[] {
    for (const a of actions) {
      assert.is(this.result, undefined, `action ${a.type} after done`);
      this.log.push(a);
      switch (a.type) {
        case 'play':
          assert.equal([...this.playing.keys()], [], 'a second playback started while one runs');
          this.playing.set(a.playId, a.prompts.map((p) => p.id));
          break;
        case 'stop-playback':
          assert.ok(this.playing.delete(a.playId), `stop-playback for ${a.playId}, which is not running`);
          this.stopped.push(a.playId);
          break;
        case 'start-timer':
          this.timers.set(a.name, a.ms);
          break;
        case 'cancel-timer':
          this.timers.delete(a.name);
          break;
        case 'done':
          this.result = a.result;
          break;
      }
    }
    return actions;
  }
}
