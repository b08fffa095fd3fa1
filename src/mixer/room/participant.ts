/**
 * One endpoint's seat in a room on this worker: its frame at the room rate for this tick,
 * the converters between its codec rate and the room rate, and its private output path
 * (minus-self mixes, a greeting over the mix), which it encodes with its own encoder.
 */
import { Resampler } from '../../dsp/resampler.js';
import type { Endpoint } from '../endpoint/endpoint.js';
import { Pulled } from '../endpoint/inbound-audio.js';
import type { SoftLimiter } from '../mix/soft-limiter.js';
import type { PromptCursor } from '../play/prompt-cursor.js';
import type { SharedEncoding } from './shared-encoding.js';

export class Participant {
  /** This tick's audio at the room rate (valid when `hasFrame`). */
  frame: Int16Array;
  hasFrame = false;
  /** Chosen as a talker last tick: conceal its losses rather than drop to silence. */
  inMix = false;
  greeting: PromptCursor | undefined;
  private roomRate: number;
  private toRoom: Resampler | undefined;
  private fromRoom: Resampler | undefined;
  private readonly codecPcm = new Int16Array(960);
  private privatePcm: Int16Array;
  private greetingPcm: Int16Array;
  private readonly payloads = [Buffer.alloc(1500), Buffer.alloc(1500)];
  private flip = 0;

  constructor(
    readonly endpoint: Endpoint,
    readonly slot: number,
    readonly globalId: number,
    readonly owner: boolean,
    roomRate: number,
  ) {
    this.roomRate = roomRate;
    this.frame = new Int16Array(roomRate / 50);
    this.privatePcm = new Int16Array(roomRate / 50);
    this.greetingPcm = new Int16Array(roomRate / 50);
  }

  setRoomRate(rate: number): void {
    if (rate === this.roomRate) return;
    this.roomRate = rate;
    this.frame = new Int16Array(rate / 50);
    this.privatePcm = new Int16Array(rate / 50);
    this.greetingPcm = new Int16Array(rate / 50);
    this.toRoom = undefined;
    this.fromRoom = undefined;
  }

  /** Pull this tick's frame; returns its energy (0: silent, nothing, or muted). */
  gather(): number {
    const ep = this.endpoint;
    const r = ep.inbound.pull(this.inMix);
    this.hasFrame = false;
    if (r < Pulled.Decoded || ep.muted) return 0;
    const codec = ep.inbound.codec!;
    const pcm = ep.inbound.pcm;
    const n = ep.inbound.samples;
    if (codec.sampleRate === this.roomRate) {
      this.frame.set(n === pcm.length ? pcm : pcm.subarray(0, n));
    } else {
      if (!this.toRoom || this.toRoom.fromRate !== codec.sampleRate) this.toRoom = new Resampler(codec.sampleRate, this.roomRate);
      this.toRoom.process(pcm.subarray(0, n), this.frame);
    }
    this.hasFrame = true;
    return ep.inbound.energy;
  }

  /** Send a frame heard by everyone of this codec (the shared mix, music, silence). */
  sendShared(stream: SharedEncoding): void {
    const ep = this.endpoint;
    if (ep.canSend) ep.sendPayload(stream.payloadFor(ep.sendCodec));
  }

  /**
   * Send a frame only this participant hears: `pcm` at `rate` (its minus-self mix or the
   * shared mix), with its greeting on top when one is playing (the greeting is at the room
   * rate, so `pcm` must be too while one plays). Encoded with its own encoder.
   */
  sendPrivate(pcm: Int16Array, rate: number, limiter: SoftLimiter): void {
    const ep = this.endpoint;
    if (!ep.canSend) return;
    let src = pcm;
    if (this.greeting) src = this.overlayGreeting(pcm, limiter);
    const codec = ep.sendCodec;
    let out = src;
    if (codec.sampleRate !== rate) {
      if (!this.fromRoom || this.fromRoom.fromRate !== rate || this.fromRoom.toRate !== codec.sampleRate) this.fromRoom = new Resampler(rate, codec.sampleRate);
      const n = this.fromRoom.process(src, this.codecPcm);
      out = this.codecPcm.subarray(0, n);
    }
    const buf = this.payloads[this.flip]!;
    this.flip ^= 1;
    const len = ep.encoder.encode(out, buf);
    ep.sendPayload(buf.subarray(0, len));
  }

  private overlayGreeting(pcm: Int16Array, limiter: SoftLimiter): Int16Array {
    const g = this.greetingPcm;
    const out = this.privatePcm;
    const n = Math.min(pcm.length, g.length);
    const playing = this.greeting!.fill(g, n);
    if (!playing || this.greeting!.done) this.greeting = undefined;
    for (let i = 0; i < n; i++) out[i] = limiter.apply(pcm[i]! + g[i]!);
    return out;
  }
}
