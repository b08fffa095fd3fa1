/**
 * Transcoding in a relay, one source packet at a time, the moment it arrives: decode with
 * the source payload type's decoder, resample to the outgoing codec's rate, and cut the PCM
 * into 20 ms frames for the outgoing encoder (Opus takes 2.5-60 ms frames only, and a 30 ms
 * G.711 packet must still become whole frames). No jitter buffer and no tick: like a
 * pass-through packet, a transcoded one leaves as soon as it can, and the far end's own
 * jitter buffer absorbs the source's jitter once, instead of ours and then theirs.
 *
 * Timing: the first sample of a packet sits at `mappedTs` on the outgoing timeline (the
 * StreamRewriter's mapping), so a frame is stamped from the source's timestamps, not from a
 * counter: loss in the source leaves the same gap in the output. Leftover samples of an
 * unfinished frame are dropped when the next packet does not continue them (loss, reorder).
 * Buffers are allocated once; decoders are created once per source payload type.
 */
import type { AudioCodec, AudioDecoder, AudioEncoder } from '../../rtp/codec/codec.js';
import { Resampler } from '../../dsp/resampler.js';

/** 120 ms at 48 kHz: the longest Opus packet (RFC 6716 §3.2.1). */
const MAX_SAMPLES = 5760;
const FRAME_MS = 20;

export interface TranscodeTarget {
  readonly codec: AudioCodec;
  readonly encoder: AudioEncoder;
  /** Send one encoded frame stamped `ts` (outgoing clock), with the marker bit when `marker`. */
  send(payload: Uint8Array, ts: number, marker: boolean): void;
}

export class PacketTranscoder {
  private readonly decoders = new Map<number, AudioDecoder>();
  private readonly pcm = new Int16Array(MAX_SAMPLES);
  private readonly resampled = new Int16Array(MAX_SAMPLES + 8);
  private readonly fifo = new Int16Array(2 * MAX_SAMPLES);
  private readonly payload = new Uint8Array(1500);
  private resampler: Resampler | undefined;
  private fifoLength = 0;
  /** Outgoing timestamp of fifo[0]. */
  private fifoTs = 0;
  /** Source timestamp the next packet would carry if it continues this one; -1: none. */
  private expectedSrcTs = -1;
  private markNext = false;
  /** Frames sent. */
  frames = 0;

  /** Forget every decoder (the source's payload types changed). */
  reset(): void {
    this.decoders.clear();
    this.fifoLength = 0;
    this.expectedSrcTs = -1;
  }

  /**
   * One source packet: payload type `pt` of codec `from`, RTP timestamp `srcTs`, whose first
   * sample maps to `mappedTs` on the outgoing timeline. `reanchored`: the mapping was just
   * re-anchored (the first frame then carries the marker bit).
   */
  push(pt: number, from: AudioCodec, payload: Uint8Array, srcTs: number, mappedTs: number, reanchored: boolean, to: TranscodeTarget): void {
    const n = this.decoder(pt, from).decode(payload, this.pcm);
    if (n <= 0) return;
    if (reanchored || srcTs >>> 0 !== this.expectedSrcTs) {
      this.fifoLength = 0;
      this.fifoTs = mappedTs >>> 0;
      this.markNext ||= reanchored;
    }
    this.expectedSrcTs = (srcTs + (n * from.rtpClockRate) / from.sampleRate) >>> 0;
    const pcm = this.toRate(this.pcm.subarray(0, n), from.sampleRate, to.codec.sampleRate);
    if (this.fifoLength + pcm.length > this.fifo.length) this.fifoLength = 0; // cannot happen with <= 120 ms packets
    this.fifo.set(pcm, this.fifoLength);
    this.fifoLength += pcm.length;
    this.drain(to);
  }

  private drain(to: TranscodeTarget): void {
    const frame = to.codec.frameSamples(FRAME_MS);
    const step = to.codec.timestampStep(FRAME_MS);
    let at = 0;
    while (this.fifoLength - at >= frame) {
      const len = to.encoder.encode(this.fifo.subarray(at, at + frame), this.payload);
      to.send(this.payload.subarray(0, len), this.fifoTs, this.markNext);
      this.markNext = false;
      this.fifoTs = (this.fifoTs + step) >>> 0;
      this.frames++;
      at += frame;
    }
    if (at > 0) {
      this.fifo.copyWithin(0, at, this.fifoLength);
      this.fifoLength -= at;
    }
  }

  private toRate(pcm: Int16Array, fromRate: number, toRate: number): Int16Array {
    if (fromRate === toRate) return pcm;
    let r = this.resampler;
    if (!r || r.fromRate !== fromRate || r.toRate !== toRate) this.resampler = r = new Resampler(fromRate, toRate);
    return this.resampled.subarray(0, r.process(pcm, this.resampled));
  }

  private decoder(pt: number, codec: AudioCodec): AudioDecoder {
    let d = this.decoders.get(pt);
    if (!d) this.decoders.set(pt, (d = codec.createDecoder()));
    return d;
  }
}
