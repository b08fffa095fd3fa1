/** WAV files made in tests, and the level of a 16-bit WAV's samples. */
import type { WavInfo } from '../../../src/ivr/wav-info.js';

export interface WavShape {
  format?: number;
  channels?: number;
  sampleRate?: number;
  bitsPerSample?: number;
  /** Samples per channel; a 440 Hz tone at half scale. */
  samples?: number;
  /** A chunk before 'fmt ' / between 'fmt ' and 'data' (e.g. LIST), to check chunk walking. */
  extraChunk?: 'before-fmt' | 'before-data';
}

export function wavBytes(shape: WavShape = {}): Buffer {
  const { format = 1, channels = 1, sampleRate = 16000, bitsPerSample = 16, samples = 1600 } = shape;
  const bytesPerSample = bitsPerSample / 8;
  const data = Buffer.alloc(samples * channels * bytesPerSample);
  for (let i = 0; i < samples * channels; i++) {
    const v = Math.round(16000 * Math.sin((2 * Math.PI * 440 * Math.floor(i / channels)) / sampleRate));
    if (bytesPerSample === 2) data.writeInt16LE(v, i * 2);
    else data[i] = (v >> 8) & 0xff;
  }
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'latin1');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(format, 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(sampleRate, 12);
  fmt.writeUInt32LE(sampleRate * channels * bytesPerSample, 16);
  fmt.writeUInt16LE(channels * bytesPerSample, 20);
  fmt.writeUInt16LE(bitsPerSample, 22);
  const list = Buffer.concat([Buffer.from('LIST', 'latin1'), Buffer.from([5, 0, 0, 0]), Buffer.from('INFOx\0', 'latin1')]); // odd size: padded
  const dataHeader = Buffer.alloc(8);
  dataHeader.write('data', 0, 'latin1');
  dataHeader.writeUInt32LE(data.length, 4);
  const chunks = shape.extraChunk === 'before-fmt' ? [list, fmt, dataHeader, data] : shape.extraChunk === 'before-data' ? [fmt, list, dataHeader, data] : [fmt, dataHeader, data];
  const body = Buffer.concat(chunks);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(4 + body.length, 4);
  riff.write('WAVE', 8, 'latin1');
  return Buffer.concat([riff, body]);
}

export interface Levels {
  peakDbfs: number;
  rmsDbfs: number;
  /** Level of the loudest 20 ms frame in the first and the last 60 ms: how much silence was left at the ends. */
  headDbfs: number;
  tailDbfs: number;
}

const dbfs = (x: number) => (x <= 0 ? -Infinity : 20 * Math.log10(x / 32768));

export function levels(bytes: Buffer, info: WavInfo): Levels {
  const n = Math.floor(info.dataBytes / 2);
  // Copy into an aligned Int16Array (little-endian host, as WAV is).
  const pcm = new Int16Array(new Uint8Array(bytes.subarray(info.dataOffset, info.dataOffset + 2 * n)).buffer);
  let peak = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = pcm[i]!;
    peak = Math.max(peak, Math.abs(v));
    sum += v * v;
  }
  const frame = Math.round(info.sampleRate / 50);
  const frameRms = (start: number) => {
    let s = 0;
    for (let i = start; i < start + frame && i < n; i++) s += pcm[i]! ** 2;
    return Math.sqrt(s / frame);
  };
  const loudest = (from: number) => Math.max(...[0, 1, 2].map((k) => frameRms(Math.max(0, from + k * frame))));
  return { peakDbfs: dbfs(peak), rmsDbfs: dbfs(Math.sqrt(sum / n)), headDbfs: dbfs(loudest(0)), tailDbfs: dbfs(loudest(n - 3 * frame)) };
}
