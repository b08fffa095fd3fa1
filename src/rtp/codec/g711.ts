/**
 * G.711 mu-law (PCMU, payload type 0) and A-law (PCMA, payload type 8), ITU-T G.711 and
 * RFC 3551 §4.5.14. Encoding and decoding are table lookups: 64 KiB tables indexed by the
 * 16-bit sample, 256-entry tables indexed by the code, built once from the reference
 * segment algorithm (the Sun/CCITT g711.c formulation).
 */
import type { AudioCodec, AudioDecoder, AudioEncoder } from './codec.js';
import { LossConcealer } from '../../dsp/concealer.js';

const SEG_UEND = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
const SEG_AEND = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

function segment(v: number, ends: readonly number[]): number {
  for (let i = 0; i < ends.length; i++) if (v <= ends[i]!) return i;
  return ends.length;
}

/** Reference mu-law encoder for one 16-bit sample. */
export function linearToUlaw(sample: number): number {
  let pcm = sample >> 2;
  let mask: number;
  if (pcm < 0) {
    pcm = -pcm;
    mask = 0x7f;
  } else {
    mask = 0xff;
  }
  if (pcm > 8159) pcm = 8159;
  pcm += 33;
  const seg = segment(pcm, SEG_UEND);
  if (seg >= 8) return 0x7f ^ mask;
  return ((seg << 4) | ((pcm >> (seg + 1)) & 0x0f)) ^ mask;
}

/** Reference mu-law decoder. */
export function ulawToLinear(code: number): number {
  const u = ~code & 0xff;
  let t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

/** Reference A-law encoder for one 16-bit sample. */
export function linearToAlaw(sample: number): number {
  let pcm = sample >> 3;
  let mask: number;
  if (pcm >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    pcm = -pcm - 1;
  }
  const seg = segment(pcm, SEG_AEND);
  if (seg >= 8) return 0x7f ^ mask;
  let a = seg << 4;
  a |= seg < 2 ? (pcm >> 1) & 0x0f : (pcm >> seg) & 0x0f;
  return a ^ mask;
}

/** Reference A-law decoder. */
export function alawToLinear(code: number): number {
  const a = code ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

function encodeTable(encode: (s: number) => number): Uint8Array {
  const t = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) t[i] = encode((i << 16) >> 16);
  return t;
}

function decodeTable(decode: (c: number) => number): Int16Array {
  const t = new Int16Array(256);
  for (let i = 0; i < 256; i++) t[i] = decode(i);
  return t;
}

export const ULAW_ENCODE = encodeTable(linearToUlaw);
export const ULAW_DECODE = decodeTable(ulawToLinear);
export const ALAW_ENCODE = encodeTable(linearToAlaw);
export const ALAW_DECODE = decodeTable(alawToLinear);

class TableEncoder implements AudioEncoder {
  constructor(private readonly table: Uint8Array) {}
  encode(pcm: Int16Array, out: Uint8Array): number {
    const t = this.table;
    const n = pcm.length;
    for (let i = 0; i < n; i++) out[i] = t[pcm[i]! & 0xffff]!;
    return n;
  }
}

class TableDecoder implements AudioDecoder {
  private readonly plc = new LossConcealer(8000);
  constructor(private readonly table: Int16Array) {}
  decode(payload: Uint8Array, out: Int16Array): number {
    const t = this.table;
    const n = Math.min(payload.length, out.length);
    for (let i = 0; i < n; i++) out[i] = t[payload[i]!]!;
    this.plc.remember(out, n);
    return n;
  }
  /**
   * G.711 has no concealment of its own; ITU-T G.711 Appendix I style pitch repetition
   * with fade-out (src/dsp/concealer.ts), silence after 60 ms of loss.
   */
  conceal(out: Int16Array, samples: number): number {
    return this.plc.conceal(out, samples);
  }
}

function g711(name: 'PCMU' | 'PCMA', pt: number, enc: Uint8Array, dec: Int16Array): AudioCodec {
  return {
    name,
    sampleRate: 8000,
    rtpClockRate: 8000,
    staticPayloadType: pt,
    frameSamples: (ptimeMs) => ptimeMs * 8,
    timestampStep: (ptimeMs) => ptimeMs * 8,
    createEncoder: () => new TableEncoder(enc),
    createDecoder: () => new TableDecoder(dec),
  };
}

export const PCMU: AudioCodec = g711('PCMU', 0, ULAW_ENCODE, ULAW_DECODE);
export const PCMA: AudioCodec = g711('PCMA', 8, ALAW_ENCODE, ALAW_DECODE);
