/**
 * A play position in a PCM clip: each tick it fills one frame (zero-padded at the end of a
 * clip that is not looping) and says whether the clip is finished.
 */
export class PromptCursor {
  private pos = 0;
  done = false;

  constructor(
    readonly pcm: Int16Array,
    readonly loop: boolean,
    readonly playbackId?: string,
  ) {
    if (pcm.length === 0) this.done = true;
  }

  /** Fill `out[0, n)`; returns false once nothing more will come (the frame is then silence-padded). */
  fill(out: Int16Array, n: number): boolean {
    const src = this.pcm;
    let i = 0;
    while (i < n && !this.done) {
      const take = Math.min(n - i, src.length - this.pos);
      out.set(src.subarray(this.pos, this.pos + take), i);
      i += take;
      this.pos += take;
      if (this.pos >= src.length) {
        if (this.loop) this.pos = 0;
        else this.done = true;
      }
    }
    if (i < n) out.fill(0, i, n);
    return i > 0;
  }
}
