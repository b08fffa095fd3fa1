/**
 * The host of one IVR step (src/ivr README, "The contract with the host") for a caller
 * who is not in a room yet: plays the step's prompts to the caller's endpoint one file
 * after the other (the engine plays one file per request and reports `playback.finished`),
 * arms its timers on the call timer table (sans-IO: CallTimers, fired by the shell), feeds
 * it digits, and hands its result to `onDone`.
 *
 * `played` is reported once per play: when the last file ended, when the playback was
 * stopped, or when a file could not be played (logged: a missing prompt must not hang the
 * caller up).
 */
import type { Logger } from '../../log/logger.js';
import type { IvrAction, IvrInput, IvrResult, IvrStep, Language, PromptCatalog } from '../../ivr/index.js';
import type { CallTimer, CallTimers } from '../calls/call-timers.js';
import type { ConferenceMediaPort } from './conference-media.js';

export interface IvrRunnerDeps {
  media: ConferenceMediaPort;
  catalog: PromptCatalog;
  /** Initial prompt language (the room's, once known: `language`). */
  language: Language;
  endpointId: string;
  timers: CallTimers;
  log: Logger;
  /** Timers may have been armed outside a request or event the shell handles. */
  touched(): void;
}

interface Playing {
  playId: string;
  files: string[];
  next: number;
  playbackId: string | undefined;
  stopped: boolean;
}

export class IvrRunner {
  private step: IvrStep | undefined;
  private playing: Playing | undefined;
  private readonly timers = new Map<string, CallTimer>();
  private onDone: ((r: IvrResult) => void) | undefined;
  private finished = false;
  /** The language prompts are played in. */
  language: Language;

  constructor(private readonly d: IvrRunnerDeps) {
    this.language = d.language;
  }

  /** Runs `step`; `onDone` gets its result (not called when the runner is stopped first). */
  run(step: IvrStep, onDone: (r: IvrResult) => void): void {
    this.stop();
    this.finished = false;
    this.step = step;
    this.onDone = onDone;
    this.apply(step.start());
  }

  get running(): boolean {
    return this.step !== undefined && !this.finished;
  }

  digit(digit: string): void {
    this.input({ type: 'digit', digit });
  }

  /** The engine's `playback.finished` for one of our files. */
  playbackFinished(playbackId: string, reason: 'done' | 'stopped' | 'error'): void {
    const p = this.playing;
    if (!p || p.playbackId !== playbackId) return;
    p.playbackId = undefined;
    if (reason === 'done' && !p.stopped && p.next < p.files.length) return this.playNext(p);
    this.ended(p);
  }

  /** Whether `playbackId` is the file playing now (the service routes events by it). */
  owns(playbackId: string): boolean {
    return this.playing?.playbackId === playbackId;
  }

  /** Cancels the timers and stops the playback; the step's result is not reported. */
  stop(): void {
    this.finished = true;
    for (const t of this.timers.values()) this.d.timers.cancel(t);
    this.timers.clear();
    const p = this.playing;
    this.playing = undefined;
    if (p?.playbackId) this.stopFile(p.playbackId);
    this.step = undefined;
    this.onDone = undefined;
  }

  private input(i: IvrInput): void {
    if (!this.step || this.finished) return;
    this.apply(this.step.handle(i));
  }

  private apply(actions: IvrAction[]): void {
    for (const a of actions) {
      switch (a.type) {
        case 'play':
          this.play(a.playId, a.prompts.map((p) => p.id));
          break;
        case 'stop-playback':
          this.stopPlay(a.playId);
          break;
        case 'start-timer':
          this.startTimer(a.name, a.ms);
          break;
        case 'cancel-timer':
          this.d.timers.cancel(this.timers.get(a.name));
          this.timers.delete(a.name);
          break;
        case 'done': {
          const done = this.onDone;
          this.stop();
          done?.(a.result);
          return;
        }
      }
    }
  }

  private play(playId: string, ids: string[]): void {
    const files: string[] = [];
    for (const id of ids) {
      try {
        files.push(this.d.catalog.file(id, this.language));
      } catch (err) {
        this.d.log.warn({ event: 'conference.prompt_missing', prompt: id, error: (err as Error).message }, `prompt ${id} missing`);
      }
    }
    const p: Playing = { playId, files, next: 0, playbackId: undefined, stopped: false };
    if (this.playing?.playbackId) this.stopFile(this.playing.playbackId);
    this.playing = p;
    this.playNext(p);
  }

  private playNext(p: Playing): void {
    if (p.next >= p.files.length) return this.later(() => this.ended(p));
    const file = p.files[p.next++]!;
    this.d.media.play({ endpointId: this.d.endpointId }, file).then(
      ({ playbackId }) => {
        if (this.playing !== p || p.stopped) return this.stopFile(playbackId);
        p.playbackId = playbackId;
      },
      (err: Error) => {
        if (this.playing !== p) return;
        this.d.log.warn({ event: 'conference.prompt_failed', file, error: err.message }, `prompt not played: ${err.message}`);
        this.ended(p);
      },
    );
  }

  private stopPlay(playId: string): void {
    const p = this.playing;
    if (!p || p.playId !== playId) return;
    p.stopped = true;
    if (p.playbackId) this.stopFile(p.playbackId);
    p.playbackId = undefined;
    this.later(() => this.ended(p));
  }

  /** The play is over: report `played` once. */
  private ended(p: Playing): void {
    if (this.playing !== p) return;
    this.playing = undefined;
    this.input({ type: 'played', playId: p.playId });
  }

  private startTimer(name: string, ms: number): void {
    this.d.timers.cancel(this.timers.get(name));
    this.timers.set(
      name,
      this.d.timers.schedule(`ivr ${name}`, ms, () => {
        this.timers.delete(name);
        this.input({ type: 'timer', name });
      }),
    );
  }

  private stopFile(playbackId: string): void {
    this.d.media.stopPlayback(playbackId).catch(() => undefined);
  }

  /** Not inside the step's own `handle` (its actions are still being applied). */
  private later(fn: () => void): void {
    queueMicrotask(() => {
      try {
        fn();
      } catch (err) {
        this.d.log.error({ event: 'conference.ivr_failed', err: (err as Error).stack }, 'IVR step failed');
      }
      this.d.touched();
    });
  }
}
