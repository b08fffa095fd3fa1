/**
 * Prompts to one participant inside a room ("you have been muted", "there are 3
 * participants"): the engine plays a file to a room member over the mix and reports no end
 * (media-engine.ts `play`), so the files are chained on their durations with a call timer.
 * A new `say` replaces what was being said.
 */
import type { CallTimer } from '../calls/call-timers.js';
import type { ConferenceContext } from './conference-context.js';

export class InRoomPrompts {
  private timer: CallTimer | undefined;
  /** Bumped by every say/stop: a late answer of an older play is ignored. */
  private generation = 0;

  constructor(
    private readonly cx: ConferenceContext,
    private readonly endpointId: string,
  ) {}

  say(files: readonly string[]): void {
    this.stop();
    this.playFrom(files, 0, this.generation);
  }

  stop(): void {
    this.generation++;
    this.cx.env.ctx.timers.cancel(this.timer);
    this.timer = undefined;
  }

  private playFrom(files: readonly string[], i: number, generation: number): void {
    if (i >= files.length || generation !== this.generation) return;
    this.cx.media.play({ endpointId: this.endpointId }, files[i]!).then(
      ({ durationMs }) => {
        if (generation !== this.generation) return;
        this.timer = this.cx.env.ctx.timers.schedule('conference prompt', Math.ceil(durationMs), () => this.playFrom(files, i + 1, generation));
        this.cx.env.touched();
      },
      (err: Error) => this.cx.log.warn({ event: 'conference.prompt_failed', endpoint: this.endpointId, error: err.message }, `prompt not played: ${err.message}`),
    );
  }
}
