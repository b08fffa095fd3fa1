/**
 * What a WAV file holds, read from its header: enough to tell whether the media engine can play it
 * as a prompt (src/mixer/play/prompt-file.ts decodes it) without decoding the audio.
 *
 *   "RIFF" size "WAVE" | "fmt " 16+ bytes: format(2) channels(2) rate(4) byteRate(4) align(2) bits(2)
 *                      | other chunks ... | "data" size samples...      (all little-endian)
 */
export interface WavInfo {
  /** 1 = linear PCM, 6 = A-law, 7 = mu-law. */
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Where the samples start, and how many bytes they take (as the data chunk header says). */
  dataOffset: number;
  dataBytes: number;
  durationMs: number;
}

/** The header of a WAV file; throws an Error saying what is wrong. `bytes` may be just its start. */
export function readWavInfo(bytes: Uint8Array): WavInfo {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') {
    throw new Error('not a WAV file (no RIFF/WAVE header)');
  }
  let fmt: Omit<WavInfo, 'dataOffset' | 'dataBytes' | 'durationMs'> | undefined;
  for (let off = 12; off + 8 <= buf.length; ) {
    const id = buf.toString('latin1', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buf.length) throw new Error('WAV fmt chunk is too short');
      fmt = { format: buf.readUInt16LE(body), channels: buf.readUInt16LE(body + 2), sampleRate: buf.readUInt32LE(body + 4), bitsPerSample: buf.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!fmt) throw new Error('WAV data chunk before its fmt chunk');
      const bytesPerSecond = (fmt.sampleRate * fmt.channels * fmt.bitsPerSample) / 8;
      return { ...fmt, dataOffset: body, dataBytes: size, durationMs: bytesPerSecond > 0 ? (size * 1000) / bytesPerSecond : 0 };
    }
    off = body + size + (size & 1); // RIFF chunks are word-aligned
  }
  throw new Error('WAV file without a data chunk (or its header is past the bytes read)');
}

/** Why the media engine cannot play this as a prompt, or undefined when it can. */
export function unplayableReason(info: WavInfo): string | undefined {
  if (info.channels !== 1) return `${info.channels} channels, prompts must be mono`;
  if (info.sampleRate !== 8000 && info.sampleRate !== 16000) return `${info.sampleRate} Hz, prompts must be 8000 or 16000 Hz`;
  const linear16 = info.format === 1 && info.bitsPerSample === 16;
  const g711 = (info.format === 6 || info.format === 7) && info.bitsPerSample === 8;
  if (!linear16 && !g711) return `WAV format ${info.format} with ${info.bitsPerSample} bits, prompts must be 16-bit PCM, mu-law or A-law`;
  if (info.dataBytes === 0) return 'no audio (empty data chunk)';
  return undefined;
}
