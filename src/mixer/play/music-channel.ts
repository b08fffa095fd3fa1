/**
 * A looping music source shared by everyone who hears it: held calls, rooms waiting for
 * their owner. One cursor advances once per tick however many listen, and the frame goes
 * through one SharedEncoding, so a thousand listeners cost one encode per codec.
 * Music is kept at 16 kHz; narrowband listeners get it through one shared downsampler.
 */
import { SharedEncoding } from '../room/shared-encoding.js';
import { PromptCursor } from './prompt-cursor.js';

export const MUSIC_RATE = 16000;
const FRAME = MUSIC_RATE / 50;

export class MusicChannel {
  readonly stream = new SharedEncoding(MUSIC_RATE);
  private readonly cursor: PromptCursor;
  private readonly frame = new Int16Array(FRAME);
  private tick = -1;
  listeners = 0;

  constructor(pcm16k: Int16Array) {
    this.cursor = new PromptCursor(pcm16k, true);
  }

  /** This tick's music, advancing the cursor on the first call of the tick. */
  at(tick: number): SharedEncoding {
    if (tick !== this.tick) {
      this.tick = tick;
      this.cursor.fill(this.frame, FRAME);
      this.stream.begin(tick, this.frame, FRAME);
    }
    return this.stream;
  }

  /** This tick's frame at 16 kHz (call `at` first). */
  get pcm(): Int16Array {
    return this.frame;
  }
}
