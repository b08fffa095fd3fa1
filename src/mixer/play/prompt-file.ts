/**
 * Prompt and music files, loaded once into 16-bit PCM at the rate a player needs.
 *
 * Accepted: WAV (RIFF) with 16-bit linear PCM (format 1), 8-bit mu-law (7) or A-law (6),
 * mono, at any rate the resampler supports (8 and 16 kHz are the usual ones); and raw
 * headerless files named by extension: .ul/.pcmu/.mulaw (mu-law 8 kHz), .al/.pcma/.alaw
 * (A-law 8 kHz), .sln/.raw (16-bit little-endian 8 kHz), .sln16 (16-bit 16 kHz).
 * Loading happens off the tick (async read), and the decoded PCM is cached per
 * (path, rate), so a music file shared by a thousand held calls is in memory once.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { ALAW_DECODE, ULAW_DECODE } from '../../rtp/codec/g711.js';
import { Resampler } from '../../dsp/resampler.js';

export interface PcmClip {
  readonly pcm: Int16Array;
  readonly sampleRate: number;
}

export function parsePromptBytes(bytes: Buffer, name: string): PcmClip {
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WAVE') {
    return parseWav(bytes, name);
  }
  switch (extname(name).toLowerCase()) {
    case '.ul':
    case '.pcmu':
    case '.mulaw':
      return { pcm: mapCodes(bytes, ULAW_DECODE), sampleRate: 8000 };
    case '.al':
    case '.pcma':
    case '.alaw':
      return { pcm: mapCodes(bytes, ALAW_DECODE), sampleRate: 8000 };
    case '.sln':
    case '.raw':
      return { pcm: readLinear16(bytes, 0, bytes.length), sampleRate: 8000 };
    case '.sln16':
      return { pcm: readLinear16(bytes, 0, bytes.length), sampleRate: 16000 };
    default:
      throw new Error(`${name}: not a WAV file and no raw audio extension (.ul .al .sln .sln16)`);
  }
}

function parseWav(bytes: Buffer, name: string): PcmClip {
  let off = 12;
  let format = -1;
  let channels = 0;
  let rate = 0;
  let bits = 0;
  while (off + 8 <= bytes.length) {
    const id = bytes.toString('latin1', off, off + 4);
    const size = bytes.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      format = bytes.readUInt16LE(body);
      channels = bytes.readUInt16LE(body + 2);
      rate = bytes.readUInt32LE(body + 4);
      bits = bytes.readUInt16LE(body + 14);
    } else if (id === 'data') {
      if (channels !== 1) throw new Error(`${name}: ${channels} channels, only mono prompts are supported`);
      const end = Math.min(bytes.length, body + size);
      if (format === 1 && bits === 16) return { pcm: readLinear16(bytes, body, end), sampleRate: rate };
      if (format === 7 && bits === 8) return { pcm: mapCodes(bytes.subarray(body, end), ULAW_DECODE), sampleRate: rate };
      if (format === 6 && bits === 8) return { pcm: mapCodes(bytes.subarray(body, end), ALAW_DECODE), sampleRate: rate };
      throw new Error(`${name}: WAV format ${format} with ${bits} bits is not supported`);
    }
    off = body + size + (size & 1); // chunks are word-aligned (RIFF)
  }
  throw new Error(`${name}: WAV file without a data chunk`);
}

function readLinear16(bytes: Buffer, start: number, end: number): Int16Array {
  const n = (end - start) >> 1;
  const pcm = new Int16Array(n);
  for (let i = 0; i < n; i++) pcm[i] = bytes.readInt16LE(start + 2 * i);
  return pcm;
}

function mapCodes(codes: Uint8Array, table: Int16Array): Int16Array {
  const pcm = new Int16Array(codes.length);
  for (let i = 0; i < codes.length; i++) pcm[i] = table[codes[i]!]!;
  return pcm;
}

/** Convert a clip to `rate` (a real polyphase filter from src/dsp, not sample dropping). */
export function clipAtRate(clip: PcmClip, rate: number): Int16Array {
  if (clip.sampleRate === rate) return clip.pcm;
  const rs = new Resampler(clip.sampleRate, rate);
  const out = new Int16Array(rs.maxOutput(clip.pcm.length) + rs.maxOutput(960));
  let n = 0;
  const frame = 960;
  for (let i = 0; i < clip.pcm.length; i += frame) n += rs.process(clip.pcm.subarray(i, Math.min(clip.pcm.length, i + frame)), out.subarray(n));
  return out.subarray(0, n);
}

export class PromptLibrary {
  private readonly cache = new Map<string, Promise<Int16Array>>();

  /** The file's audio as PCM at `rate`, loaded once. */
  load(path: string, rate: number): Promise<Int16Array> {
    const key = `${rate}:${path}`;
    let p = this.cache.get(key);
    if (!p) {
      p = readFile(path).then((bytes) => clipAtRate(parsePromptBytes(bytes, path), rate));
      p.catch(() => this.cache.delete(key));
      this.cache.set(key, p);
    }
    return p;
  }

  /** Register generated audio (tones) under a name, as if it were a file. */
  put(name: string, rate: number, pcm: Int16Array): void {
    this.cache.set(`${rate}:${name}`, Promise.resolve(pcm));
  }
}
