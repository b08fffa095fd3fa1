/**
 * What the media engine needs from an audio codec. Codecs are stateful (G.722's ADPCM
 * predictors, Opus), so each stream direction gets its own encoder or decoder instance.
 * PCM is signed 16-bit mono at the codec's `sampleRate`; one call handles one frame of
 * `frameSamples(ptimeMs)` samples. Nothing here allocates per frame.
 */
export type CodecName = 'PCMU' | 'PCMA' | 'G722' | 'opus';

export interface AudioEncoder {
  /** Encode one frame of PCM into `out`; returns the payload length in bytes. */
  encode(pcm: Int16Array, out: Uint8Array): number;
}

export interface AudioDecoder {
  /** Decode one payload into `out`; returns the number of samples written. */
  decode(payload: Uint8Array, out: Int16Array): number;
  /** Packet loss concealment: synthesize one frame of `samples` samples in place of a lost packet. */
  conceal(out: Int16Array, samples: number): number;
}

export interface AudioCodec {
  readonly name: CodecName;
  /** Rate of the PCM this codec's encoder takes and decoder gives. */
  readonly sampleRate: number;
  /** RTP timestamp rate as signalled in SDP (8000 for G.722: RFC 3551 §4.5.2). */
  readonly rtpClockRate: number;
  /** The RFC 3551 static payload type, or undefined for dynamic ones (Opus). */
  readonly staticPayloadType: number | undefined;
  /** PCM samples in one frame of `ptimeMs` at `sampleRate`. */
  frameSamples(ptimeMs: number): number;
  /** RTP timestamp increment for one frame of `ptimeMs`. */
  timestampStep(ptimeMs: number): number;
  createEncoder(): AudioEncoder;
  createDecoder(): AudioDecoder;
}
