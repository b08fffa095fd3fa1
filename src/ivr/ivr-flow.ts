/**
 * IvrFlow: steps composed into a flow ("enter the conference number", then "enter the PIN"; a menu
 * whose keys lead to different steps). A flow is itself an IvrStep, so flows nest.
 *
 * Each step is created when the flow enters it (`create(ctx)` sees the results so far, so the PIN
 * step can be built for the room the number step found) and, when it is done, `next` names the
 * following step or finishes the flow with a result. The flow rewrites the step's timer names and
 * playback ids with a per-entry prefix ('pin#2:first-digit', 'pin#2:p1'), so a timer or a `played`
 * left over from an earlier step - or an earlier run of the same step - never reaches the current one.
 */
import type { IvrAction, IvrInput, IvrResult, IvrStep } from './ivr-types.js';

export interface FlowContext {
  /** The result of every step that finished, by step name (a step run twice: its last result). */
  readonly results: ReadonlyMap<string, IvrResult>;
}

export interface FlowStep {
  create(ctx: FlowContext): IvrStep;
  /** The next step's name, or the flow's result. Default: the flow finishes with this step's result. */
  next?(result: IvrResult, ctx: FlowContext): string | IvrResult;
}

export interface IvrFlowSpec {
  first: string;
  steps: Record<string, FlowStep>;
}

/** Steps entered without any input in between (each finished in start()): a flow that loops on itself. */
const MAX_HOPS_PER_INPUT = 64;

export class IvrFlow implements IvrStep {
  private current: { name: string; prefix: string; step: IvrStep } | undefined;
  private entries = 0;
  private started = false;
  private outcome: IvrResult | undefined;
  private readonly finished = new Map<string, IvrResult>();
  private readonly ctx: FlowContext = { results: this.finished };

  constructor(private readonly spec: IvrFlowSpec) {
    if (!spec.steps[spec.first]) throw new RangeError(`IvrFlow: the first step ${JSON.stringify(spec.first)} is not defined`);
  }

  get result(): IvrResult | undefined {
    return this.outcome;
  }

  get results(): ReadonlyMap<string, IvrResult> {
    return this.finished;
  }

  /** The name of the step running now; undefined before start and once the flow is done. */
  get currentStep(): string | undefined {
    return this.current?.name;
  }

  start(): IvrAction[] {
    if (this.started) throw new Error('IvrFlow: start() called twice');
    this.started = true;
    const out: IvrAction[] = [];
    this.enter(this.spec.first, out, 0);
    return out;
  }

  handle(input: IvrInput): IvrAction[] {
    if (!this.started) throw new Error('IvrFlow: handle() before start()');
    const out: IvrAction[] = [];
    if (!this.current) return out;
    const inner = this.unprefixed(input, this.current.prefix);
    if (inner) this.forward(this.current.step.handle(inner), out, 0);
    return out;
  }

  private enter(name: string, out: IvrAction[], hops: number): void {
    const def = this.spec.steps[name];
    if (!def) throw new RangeError(`IvrFlow: no step named ${JSON.stringify(name)}`);
    if (hops > MAX_HOPS_PER_INPUT) throw new Error(`IvrFlow: more than ${MAX_HOPS_PER_INPUT} steps finished without input (a loop through ${name})`);
    const step = def.create(this.ctx);
    this.current = { name, prefix: `${name}#${++this.entries}:`, step };
    this.forward(step.start(), out, hops);
  }

  /** Passes the step's actions on with prefixed names; its `done` moves the flow on. */
  private forward(actions: IvrAction[], out: IvrAction[], hops: number): void {
    const { name, prefix } = this.current!;
    for (const action of actions) {
      if (action.type === 'done') return this.afterStep(name, action.result, out, hops);
      out.push(prefixed(action, prefix));
    }
  }

  private afterStep(name: string, result: IvrResult, out: IvrAction[], hops: number): void {
    this.finished.set(name, result);
    const next = this.spec.steps[name]!.next?.(result, this.ctx) ?? result;
    if (typeof next === 'string') return this.enter(next, out, hops + 1);
    this.current = undefined;
    this.outcome = next;
    out.push({ type: 'done', result: next });
  }

  private unprefixed(input: IvrInput, prefix: string): IvrInput | undefined {
    if (input.type === 'digit') return input;
    if (input.type === 'played') return input.playId.startsWith(prefix) ? { type: 'played', playId: input.playId.slice(prefix.length) } : undefined;
    return input.name.startsWith(prefix) ? { type: 'timer', name: input.name.slice(prefix.length) } : undefined;
  }
}

function prefixed(action: Exclude<IvrAction, { type: 'done' }>, prefix: string): IvrAction {
  switch (action.type) {
    case 'play':
      return { ...action, playId: prefix + action.playId };
    case 'stop-playback':
      return { type: 'stop-playback', playId: prefix + action.playId };
    case 'start-timer':
      return { type: 'start-timer', name: prefix + action.name, ms: action.ms };
    case 'cancel-timer':
      return { type: 'cancel-timer', name: prefix + action.name };
  }
}
