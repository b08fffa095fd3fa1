/**
 * What an endpoint that is not in a room hears from the worker itself: a prompt (IVR) or
 * music on hold. Prompts are encoded with the endpoint's own encoder; music comes from a
 * shared MusicChannel, encoded once per codec for everyone on hold with that music.
 */
import type { Endpoint } from '../endpoint/endpoint.js';
import type { MusicChannel } from '../play/music-channel.js';
import type { PromptCursor } from '../play/prompt-cursor.js';

export class EndpointPlayer {
  prompt: PromptCursor | undefined;
  music: MusicChannel | undefined;
  private readonly pcm: Int16Array;
  private readonly payloads = [Buffer.alloc(1500), Buffer.alloc(1500)];
  private flip = 0;

  constructor(readonly endpoint: Endpoint) {
    this.pcm = new Int16Array(endpoint.sendCodec.frameSamples(20));
  }

  get idle(): boolean {
    return !this.prompt && !this.music;
  }

  /** Send this tick's frame. Returns the prompt that just finished, if any. */
  tick(tick: number): PromptCursor | undefined {
    const ep = this.endpoint;
    if (this.prompt) {
      const p = this.prompt;
      p.fill(this.pcm, this.pcm.length);
      const buf = this.payloads[this.flip]!;
      this.flip ^= 1;
      if (ep.canSend) ep.sendPayload(buf.subarray(0, ep.encoder.encode(this.pcm, buf)));
      if (p.done) {
        this.prompt = undefined;
        return p;
      }
      return undefined;
    }
    if (this.music && ep.canSend) ep.sendPayload(this.music.at(tick).payloadFor(ep.sendCodec));
    return undefined;
  }
}
