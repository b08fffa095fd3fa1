/**
 * Opus (RFC 6716) through the libopus binding `@discordjs/opus`, mono, for RTP per RFC 7587.
 *
 * - PCM rate: libopus encodes and decodes at 8/12/16/24/48 kHz whatever the coded
 *   bandwidth, so the mixer gets 16 kHz directly (no resampler); the RTP clock is always
 *   48000 (RFC 7587 §4.1), so a 20 ms frame is 320 samples and a timestamp step of 960.
 * - Dynamic payload type (RFC 7587 §6.1: "opus/48000/2" in SDP even for mono).
 * - Encoder tuned for conversation: application VOIP, signal VOICE, VBR, bitrate
 *   24 kbit/s and complexity 5 by default (see bench/codec.ts for the cost of each).
 *   In-band FEC and DTX are off unless asked for (RFC 7587 §3.1.3, §6.1: the receiver's
 *   useinbandfec/usedtx decide).
 * - Loss concealment: the binding has no call for libopus's PLC (no NULL packet), but a
 *   packet that is a lone TOC byte is libopus's own DTX/PLC path (RFC 6716 §3.2.1: a frame
 *   of 0 or 1 byte means "conceal"; opus_decode_frame treats it as lost), so `conceal`
 *   decodes TOC-only packets of the right duration: real libopus PLC, in the last mode.
 * - DTX: a packet of at most 2 bytes is a DTX / comfort-noise frame (`isOpusDtx`); it
 *   still decodes (libopus fills in comfort noise), the mixer may skip it as silence.
 * - Allocation: the binding returns a fresh Buffer from every encode and decode, and needs
 *   a Buffer view of each payload; that is the library's cost, everything else is reused.
 */
import { createRequire } from 'node:module';
import type { AudioCodec, AudioDecoder, AudioEncoder } from './codec.js';

type NativeOpus = import('@discordjs/opus').OpusEncoder;
type NativeOpusClass = typeof import('@discordjs/opus').OpusEncoder;

let nativeClass: NativeOpusClass | undefined;
/** Loaded on first use, so importing the codec table never needs the native module. */
function loadNative(): NativeOpusClass {
  if (!nativeClass) {
    const require = createRequire(import.meta.url);
    nativeClass = (require('@discordjs/opus') as typeof import('@discordjs/opus')).OpusEncoder;
  }
  return nativeClass;
}

/** libopus CTL request numbers and values (opus_defines.h). */
const OPUS_SET_APPLICATION = 4000;
const OPUS_SET_BITRATE = 4002;
const OPUS_SET_VBR = 4006;
const OPUS_SET_COMPLEXITY = 4010;
const OPUS_SET_INBAND_FEC = 4012;
const OPUS_SET_PACKET_LOSS_PERC = 4014;
const OPUS_SET_DTX = 4016;
const OPUS_SET_SIGNAL = 4024;
const OPUS_APPLICATION_VOIP = 2048;
const OPUS_SIGNAL_VOICE = 3001;

export interface OpusOptions {
  /** PCM rate at the codec interface: 8000, 12000, 16000, 24000 or 48000 (default 16000). */
  sampleRate?: number;
  /** Target bitrate, bit/s (default 24000). */
  bitrate?: number;
  /** 0-10 (default 5). */
  complexity?: number;
  /** In-band FEC, with the loss rate it should plan for (default off). */
  inbandFec?: boolean;
  expectedLossPercent?: number;
  /** Discontinuous transmission during silence (default off). */
  dtx?: boolean;
}

/** A DTX or comfort-noise frame (RFC 7587 §3.1.3): at most 2 bytes of payload. */
export function isOpusDtx(payload: Uint8Array): boolean {
  return payload.length <= 2;
}

/** Samples in one Opus frame of `ms` at `rate`; Opus frames are 2.5, 5, 10, 20, 40 or 60 ms. */
function isOpusFrameSize(samples: number, rate: number): boolean {
  const tenthsMs = (samples * 10000) / rate;
  return [25, 50, 100, 200, 400, 600].includes(tenthsMs);
}

/**
 * TOC bytes (RFC 6716 §3.1, code 0, mono) that only say "a frame of this duration":
 * SILK wideband 10/20/40/60 ms are configs 8-11, CELT wideband 2.5 ms is config 20.
 */
const TOC_BY_MS: ReadonlyArray<[number, number]> = [
  [60, 11 << 3],
  [40, 10 << 3],
  [20, 9 << 3],
  [10, 8 << 3],
  [2.5, 20 << 3],
];

export class OpusAudioEncoder implements AudioEncoder {
  private native: NativeOpus;
  /** Buffer views over a reusable Int16Array, one per frame length seen. */
  private readonly frames = new Map<number, { pcm: Int16Array; buf: Buffer }>();

  constructor(private readonly options: Required<OpusOptions>) {
    this.native = this.create();
  }

  encode(pcm: Int16Array, out: Uint8Array): number {
    const frame = this.frameFor(pcm.length);
    frame.pcm.set(pcm);
    const packet = this.native.encode(frame.buf);
    if (packet.length > out.length) throw new RangeError(`opus packet of ${packet.length} bytes, output has ${out.length}`);
    out.set(packet);
    return packet.length;
  }

  reset(): void {
    this.native = this.create();
  }

  private frameFor(samples: number): { pcm: Int16Array; buf: Buffer } {
    let f = this.frames.get(samples);
    if (!f) {
      if (!isOpusFrameSize(samples, this.options.sampleRate)) {
        throw new RangeError(`${samples} samples at ${this.options.sampleRate} Hz is not an Opus frame (2.5-60 ms)`);
      }
      const pcm = new Int16Array(samples);
      f = { pcm, buf: Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength) };
      this.frames.set(samples, f);
    }
    return f;
  }

  private create(): NativeOpus {
    const o = this.options;
    const native = new (loadNative())(o.sampleRate, 1);
    // The application can only be changed before the first frame is encoded.
    native.applyEncoderCTL(OPUS_SET_APPLICATION, OPUS_APPLICATION_VOIP);
    native.applyEncoderCTL(OPUS_SET_SIGNAL, OPUS_SIGNAL_VOICE);
    native.applyEncoderCTL(OPUS_SET_VBR, 1);
    native.applyEncoderCTL(OPUS_SET_BITRATE, o.bitrate);
    native.applyEncoderCTL(OPUS_SET_COMPLEXITY, o.complexity);
    native.applyEncoderCTL(OPUS_SET_INBAND_FEC, o.inbandFec ? 1 : 0);
    native.applyEncoderCTL(OPUS_SET_PACKET_LOSS_PERC, o.inbandFec ? o.expectedLossPercent : 0);
    native.applyEncoderCTL(OPUS_SET_DTX, o.dtx ? 1 : 0);
    return native;
  }
}

export class OpusAudioDecoder implements AudioDecoder {
  private native: NativeOpus;
  /** TOC-only packets by frame duration, longest first. */
  private readonly tocOnly: Array<[ms: number, packet: Buffer]>;
  private outView: Uint8Array | undefined;
  private outFor: Int16Array | undefined;
  /** Payloads libopus rejected as corrupt (each was concealed instead). */
  corrupt = 0;

  constructor(private readonly sampleRate: number) {
    this.native = new (loadNative())(sampleRate, 1);
    this.tocOnly = TOC_BY_MS.map(([ms, toc]) => [ms, Buffer.from([toc])]);
  }

  decode(payload: Uint8Array, out: Int16Array): number {
    const buf = Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    let pcm: Buffer;
    try {
      pcm = this.native.decode(buf);
    } catch {
      this.corrupt++;
      return this.conceal(out, Math.min(out.length, (this.sampleRate / 1000) * 20));
    }
    return this.copyOut(pcm, out, 0);
  }

  /** libopus PLC (see the file comment): TOC-only packets until `samples` are produced. */
  conceal(out: Int16Array, samples: number): number {
    const perMs = this.sampleRate / 1000;
    let done = 0;
    while (samples - done >= 2.5 * perMs) {
      const leftMs = (samples - done) / perMs;
      let i = 0;
      while (this.tocOnly[i]![0] > leftMs) i++;
      done += this.copyOut(this.native.decode(this.tocOnly[i]![1]), out, done);
    }
    out.fill(0, done, samples);
    return samples;
  }

  reset(): void {
    this.native = new (loadNative())(this.sampleRate, 1);
  }

  /** Copy little-endian int16 bytes into out[at, ...) through a cached byte view of `out`. */
  private copyOut(pcm: Buffer, out: Int16Array, at: number): number {
    if (this.outFor !== out) {
      this.outFor = out;
      this.outView = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    }
    const bytes = Math.min(pcm.length, (out.length - at) * 2);
    this.outView!.set(bytes === pcm.length ? pcm : pcm.subarray(0, bytes), at * 2);
    return bytes >> 1;
  }
}

/** An Opus AudioCodec with the given options (the registry's is `opusCodec()`). */
export function opusCodec(options: OpusOptions = {}): AudioCodec {
  const o: Required<OpusOptions> = {
    sampleRate: options.sampleRate ?? 16000,
    bitrate: options.bitrate ?? 24000,
    complexity: options.complexity ?? 5,
    inbandFec: options.inbandFec ?? false,
    expectedLossPercent: options.expectedLossPercent ?? 10,
    dtx: options.dtx ?? false,
  };
  if (![8000, 12000, 16000, 24000, 48000].includes(o.sampleRate)) throw new RangeError(`Opus cannot run at ${o.sampleRate} Hz`);
  const perMs = o.sampleRate / 1000;
  return {
    name: 'opus',
    sampleRate: o.sampleRate,
    rtpClockRate: 48000,
    staticPayloadType: undefined,
    frameSamples: (ptimeMs) => ptimeMs * perMs,
    timestampStep: (ptimeMs) => ptimeMs * 48,
    createEncoder: () => new OpusAudioEncoder(o),
    createDecoder: () => new OpusAudioDecoder(o.sampleRate),
  };
}

/** Opus at 16 kHz PCM, the mixer's wideband rate. */
export const OPUS: AudioCodec = opusCodec();
