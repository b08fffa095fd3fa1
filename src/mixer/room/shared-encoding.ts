/**
 * One PCM stream heard by many listeners, encoded at most once per codec per tick.
 *
 * The room's mix (for everyone who is not a talker), its silence (for the deafened) and a
 * music channel each are one SharedEncoding. `begin` hands it this tick's PCM at the
 * source rate; `payloadFor(codec)` resamples once per target rate and encodes once per
 * codec, lazily, only for codecs some listener actually uses this tick. Each listener's
 * send copies the payload behind its own header (outbound-rtp.ts says why that beats a
 * gather send); two payload generations alternate all the same, so a caller that keeps a
 * payload across one tick boundary still reads what was encoded for its tick.
 */
import type { AudioCodec, AudioEncoder } from '../../rtp/codec/codec.js';
import { Resampler } from '../../dsp/resampler.js';

const MAX_PAYLOAD = 1500;

interface CodecOutput {
  encoder: AudioEncoder;
  buffers: [Buffer, Buffer];
  /** Views of `buffers` cut to the last payload length written into each. */
  views: [Buffer, Buffer];
  tick: number;
  payload: Buffer;
}

interface RateOutput {
  resampler: Resampler | undefined;
  pcm: Int16Array;
  samples: number;
  tick: number;
}

export class SharedEncoding {
  private readonly codecs = new Map<string, CodecOutput>();
  private readonly rates = new Map<number, RateOutput>();
  private source: Int16Array = new Int16Array(0);
  private samples = 0;
  private tick = -1;
  /** Encodes done (for tests and stats: should grow with codecs, not listeners). */
  encodes = 0;

  constructor(private sourceRate: number) {}

  /** The source rate changed (room went wideband or back): drop per-rate state. */
  setSourceRate(rate: number): void {
    if (rate === this.sourceRate) return;
    this.sourceRate = rate;
    this.rates.clear();
  }

  /** This tick's PCM at the source rate (referenced, not copied: valid until the next `begin`). */
  begin(tick: number, pcm: Int16Array, samples: number): void {
    this.tick = tick;
    this.source = pcm;
    this.samples = samples;
  }

  /** The encoded payload of this tick for `codec` (exactly the payload bytes). */
  payloadFor(codec: AudioCodec): Buffer {
    let out = this.codecs.get(codec.name);
    if (!out) {
      const buffers: [Buffer, Buffer] = [Buffer.alloc(MAX_PAYLOAD), Buffer.alloc(MAX_PAYLOAD)];
      out = { encoder: codec.createEncoder(), buffers, views: [buffers[0].subarray(0, 0), buffers[1].subarray(0, 0)], tick: -1, payload: buffers[0].subarray(0, 0) };
      this.codecs.set(codec.name, out);
    }
    if (out.tick === this.tick) return out.payload;
    const pcm = this.pcmAt(codec.sampleRate);
    const g = this.tick & 1;
    const buf = out.buffers[g];
    const len = out.encoder.encode(pcm, buf);
    this.encodes++;
    out.tick = this.tick;
    // A new view only when the length changed (Opus varies; G.711 never does).
    if (out.views[g].length !== len) out.views[g] = buf.subarray(0, len);
    out.payload = out.views[g];
    return out.payload;
  }

  /** This tick's PCM at `rate` (resampled once per rate per tick). */
  pcmAt(rate: number): Int16Array {
    if (rate === this.sourceRate) return this.samples === this.source.length ? this.source : this.source.subarray(0, this.samples);
    let r = this.rates.get(rate);
    if (!r) {
      r = { resampler: new Resampler(this.sourceRate, rate), pcm: new Int16Array(960), samples: 0, tick: -1 };
      this.rates.set(rate, r);
    }
    if (r.tick !== this.tick) {
      r.samples = r.resampler!.process(this.source.subarray(0, this.samples), r.pcm);
      r.tick = this.tick;
    }
    return r.pcm.subarray(0, r.samples);
  }
}
