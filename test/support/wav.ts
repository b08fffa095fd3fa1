/**
 * WAV files for the interop tests: tone sources the phones send (a fractional-frequency sine
 * with white-noise dither, ../shared/PEERS.md "Judging audio") and reading back what a phone
 * recorded (16-bit PCM; baresip's sndfile and linphonec's `record` both write that).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ToneGenerator } from '../../src/dsp/tone.js';

export interface Pcm {
  rate: number;
  /** Mono samples (the first channel when the file has several). */
  samples: Int16Array;
}

export interface ToneWavOptions {
  rate?: number;
  /** Peak amplitude in 16-bit units (default 8000, about -12 dBov). */
  amplitude?: number;
  /** White noise this many dB below the tone's power (default 28; Infinity: none). */
  noiseBelowDb?: number;
  seed?: number;
}

/** Writes a mono 16-bit WAV of `seconds` of a `hz` sine plus white noise; returns `path`. */
export function writeToneWav(path: string, hz: number, seconds: number, o: ToneWavOptions = {}): string {
  const rate = o.rate ?? 8000;
  const amplitude = o.amplitude ?? 8000;
  const samples = new Int16Array(Math.round(rate * seconds));
  new ToneGenerator(rate, hz, { amplitude }).fill(samples);
  const below = o.noiseBelowDb ?? 28;
  if (Number.isFinite(below)) {
    // Uniform noise in [-n, n] has power n^2/3; the tone's is amplitude^2/2.
    const n = Math.sqrt((3 * (amplitude * amplitude)) / 2 / 10 ** (below / 10));
    let x = (o.seed ?? 0x9e3779b9) >>> 0 || 1;
    for (let i = 0; i < samples.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      const v = samples[i]! + Math.round((x / 4294967296) * 2 * n - n);
      samples[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
  }
  writeWav(path, { rate, samples });
  return path;
}

export function writeWav(path: string, pcm: Pcm): void {
  const data = Buffer.from(pcm.samples.buffer, pcm.samples.byteOffset, pcm.samples.byteLength);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(pcm.rate, 24);
  h.writeUInt32LE(pcm.rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([h, data]));
}

/**
 * Reads a 16-bit PCM WAV (RIFF chunks walked, so LIST/fact chunks are skipped). A data
 * chunk whose size field was never patched (a recorder killed mid-write) is read to the end.
 */
export function readWav(path: string): Pcm {
  const buf = readFileSync(path);
  if (buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') throw new Error(`${path}: not a RIFF/WAVE file`);
  let rate = 0;
  let channels = 1;
  let bits = 0;
  let format = 0;
  for (let off = 12; off + 8 <= buf.length; ) {
    const id = buf.toString('latin1', off, off + 4);
    let size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      format = buf.readUInt16LE(body);
      channels = buf.readUInt16LE(body + 2);
      rate = buf.readUInt32LE(body + 4);
      bits = buf.readUInt16LE(body + 14);
    } else if (id === 'data') {
      if (format !== 1 || bits !== 16) throw new Error(`${path}: format ${format}/${bits} bit, want 16-bit PCM`);
      if (size === 0 || body + size > buf.length) size = buf.length - body;
      const frames = Math.floor(size / (2 * channels));
      const samples = new Int16Array(frames);
      for (let i = 0; i < frames; i++) samples[i] = buf.readInt16LE(body + i * 2 * channels);
      return { rate, samples };
    }
    off = body + size + (size & 1);
  }
  throw new Error(`${path}: no data chunk`);
}

/** Seconds `[from, to)` of a recording (clamped to what exists). */
export function slice(pcm: Pcm, from: number, to: number): Pcm {
  const a = Math.max(0, Math.min(pcm.samples.length, Math.round(from * pcm.rate)));
  const b = Math.max(a, Math.min(pcm.samples.length, Math.round(to * pcm.rate)));
  return { rate: pcm.rate, samples: pcm.samples.subarray(a, b) };
}

export const seconds = (pcm: Pcm): number => pcm.samples.length / pcm.rate;
