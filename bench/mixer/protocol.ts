/** Messages between the benchmark (engine side) and its load-generator process. */
import type { CodecName } from '../../src/rtp/codec/codec.js';

export interface LoadPlan {
  /** The engine's RTP port for each participant, index = participant number. */
  enginePorts: number[];
  payloadType: number;
  codec: CodecName;
  talkers: number;
  /** Tone frequency of each talker (Hz). */
  toneHz: number[];
  /** Generator sockets the participants are spread over (each sends and receives). */
  sockets: number;
  /** First local port of the generator's sockets. */
  basePort: number;
  /** Non-talkers analysed in full (decode + Goertzel); every participant is counted for loss. */
  sampledListeners: number;
  /** RFC 6464 audio level extension id on every packet, or 0 for none. */
  audioLevelExtId: number;
  /** Talker 0 sends a click every this many ms (latency probe). */
  clickEveryMs: number;
}

export type ToGenerator = { type: 'plan'; plan: LoadPlan } | { type: 'measure' } | { type: 'report' };

export interface ListenerReport {
  participant: number;
  talker: number; // -1 for a non-talker
  /** Goertzel power of each talker's tone, dBov, over the measurement window. */
  toneDbov: number[];
}

export interface GeneratorReport {
  sent: number;
  received: number;
  /** Sequence gaps over all listeners during the measurement window. */
  lost: number;
  expected: number;
  latenciesMs: number[];
  listeners: ListenerReport[];
  cpuMs: number;
  wallMs: number;
  lateTicks: number;
  ticks: number;
}

export type FromGenerator = { type: 'ready' } | { type: 'report'; report: GeneratorReport };
