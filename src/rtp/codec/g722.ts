/**
 * G.722 wideband audio (ITU-T G.722, 64 kbit/s mode 1): 16 kHz PCM split by a 24-tap
 * quadrature mirror filter into two 8 kHz sub-bands, each coded by ADPCM
 * (./g722-adpcm.ts); one octet per two input samples, IH in the two most significant bits
 * and IL in the six others.
 *
 * RTP (RFC 3551 §4.5.2): static payload type 9, and the RTP clock rate is 8000 although
 * the audio is sampled at 16000 (an error in RFC 1890 kept for compatibility), so a 20 ms
 * packet has 160 octets, 320 samples and a timestamp step of 160.
 *
 * Encoder and decoder allocate nothing per frame; all arithmetic is integer.
 */
import type { AudioCodec, AudioDecoder, AudioEncoder } from './codec.js';
import { decodeHigher, decodeLower, encodeHigher, encodeLower, SubBandState } from './g722-adpcm.js';
import { LossConcealer } from '../../dsp/concealer.js';

/** QMF coefficients h0..h23 scaled by 2^13 (G.722 Table 11); symmetric, h(i) = h(23 - i). */
export const G722_QMF = new Int32Array([
  3, -11, -11, 53, 12, -156, 32, 362, -210, -805, 951, 3876, 3876, 951, -805, -210, 362, 32, -156, 12, 53, -11, -11, 3,
]);
const H = G722_QMF;

/** Transmit-side limit of the QMF outputs xL, xH to -16384..16383 (blocks LOWT/HIGHT). */
function limitTx(x: number): number {
  return x > 16383 ? 16383 : x < -16384 ? -16384 : x;
}

function saturate16(x: number): number {
  return x > 32767 ? 32767 : x < -32768 ? -32768 : x;
}

export class G722Encoder implements AudioEncoder {
  private readonly lower = new SubBandState(true);
  private readonly higher = new SubBandState(false);
  /** Input history twice over, so the 24 newest samples are contiguous at [pos, pos + 24). */
  private readonly hist = new Int32Array(48);
  private pos = 0;

  /** Encode pairs of samples; an odd trailing sample is ignored. Returns octets written. */
  encode(pcm: Int16Array, out: Uint8Array): number {
    const pairs = pcm.length >> 1;
    const hist = this.hist;
    for (let k = 0; k < pairs; k++) {
      // Transmit QMF (G.722 §3.1): newest sample at offset 0.
      let pos = this.pos;
      pos = pos === 0 ? 23 : pos - 1;
      hist[pos] = hist[pos + 24] = pcm[2 * k]!;
      pos = pos === 0 ? 23 : pos - 1;
      hist[pos] = hist[pos + 24] = pcm[2 * k + 1]!;
      this.pos = pos;
      let xa = 0;
      let xb = 0;
      for (let i = 0; i < 24; i += 2) {
        xa += H[i]! * hist[pos + i]!;
        xb += H[i + 1]! * hist[pos + i + 1]!;
      }
      // 16-bit input: >> 14 puts xL, xH on the Recommendation's 15-bit scale.
      const xl = limitTx((xa + xb) >> 14);
      const xh = limitTx((xa - xb) >> 14);
      out[k] = (encodeHigher(this.higher, xh) << 6) | encodeLower(this.lower, xl);
    }
    return pairs;
  }

  reset(): void {
    this.lower.reset();
    this.higher.reset();
    this.hist.fill(0);
    this.pos = 0;
  }
}

export class G722Decoder implements AudioDecoder {
  private readonly lower = new SubBandState(true);
  private readonly higher = new SubBandState(false);
  /** Histories of xd = rL - rH and xs = rL + rH, doubled like the encoder's. */
  private readonly xd = new Int32Array(24);
  private readonly xs = new Int32Array(24);
  private pos = 0;
  private readonly plc = new LossConcealer(16000);

  /** Decode each octet into two samples; returns samples written. */
  decode(payload: Uint8Array, out: Int16Array): number {
    const n = Math.min(payload.length, out.length >> 1);
    const xd = this.xd;
    const xs = this.xs;
    for (let k = 0; k < n; k++) {
      const code = payload[k]!;
      const rl = decodeLower(this.lower, code & 0x3f);
      const rh = decodeHigher(this.higher, code >> 6);
      // Receive QMF (G.722 §4.4): two output samples per sub-band sample pair.
      let pos = this.pos;
      pos = pos === 0 ? 11 : pos - 1;
      xd[pos] = xd[pos + 12] = rl - rh;
      xs[pos] = xs[pos + 12] = rl + rh;
      this.pos = pos;
      let out1 = 0;
      let out2 = 0;
      for (let i = 0; i < 12; i++) {
        out1 += H[2 * i]! * xd[pos + i]!;
        out2 += H[2 * i + 1]! * xs[pos + i]!;
      }
      // 15-bit sub-band scale back to 16-bit PCM: x2 (QMF) x2 (scale) / 2^13.
      out[2 * k] = saturate16(out1 >> 11);
      out[2 * k + 1] = saturate16(out2 >> 11);
    }
    this.plc.remember(out, 2 * n);
    return 2 * n;
  }

  /**
   * A lost frame: the last decoded audio pitch-repeated and faded (src/dsp/concealer.ts, G.711 Appendix I style).
   * The ADPCM state is left as it was; the next good packet resumes from it.
   */
  conceal(out: Int16Array, samples: number): number {
    return this.plc.conceal(out, samples);
  }

  reset(): void {
    this.lower.reset();
    this.higher.reset();
    this.xd.fill(0);
    this.xs.fill(0);
    this.pos = 0;
    this.plc.reset();
  }
}

export const G722: AudioCodec = {
  name: 'G722',
  sampleRate: 16000,
  rtpClockRate: 8000,
  staticPayloadType: 9,
  frameSamples: (ptimeMs) => ptimeMs * 16,
  timestampStep: (ptimeMs) => ptimeMs * 8,
  createEncoder: () => new G722Encoder(),
  createDecoder: () => new G722Decoder(),
};
