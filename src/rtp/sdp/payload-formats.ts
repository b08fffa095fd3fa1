/**
 * Naming the payload formats of an audio m-line.
 *
 * - RFC 3551 §6 table 4: the static audio payload types, which need no `a=rtpmap`
 *   (RFC 4566 §6: rtpmap is optional for them).
 * - RFC 4855 §3: encoding names compare case-insensitively.
 * - The codec the engine implements (src/rtp/codec/registry.ts) is found by name and RTP
 *   clock rate: G.722 is G722/8000 (RFC 3551 §4.5.2), Opus is opus/48000/2 (RFC 7587 §7).
 */
import type { CodecName } from '../codec/codec.js';
import { codecForPayloadType } from '../codec/registry.js';
import type { SdpCodec } from './types.js';

interface StaticFormat {
  name: string;
  clockRate: number;
  channels?: number;
}

/** RFC 3551 §6 table 4, audio encodings with static payload types. */
const STATIC_AUDIO: ReadonlyMap<number, StaticFormat> = new Map<number, StaticFormat>([
  [0, { name: 'PCMU', clockRate: 8000 }],
  [3, { name: 'GSM', clockRate: 8000 }],
  [4, { name: 'G723', clockRate: 8000 }],
  [5, { name: 'DVI4', clockRate: 8000 }],
  [6, { name: 'DVI4', clockRate: 16000 }],
  [7, { name: 'LPC', clockRate: 8000 }],
  [8, { name: 'PCMA', clockRate: 8000 }],
  [9, { name: 'G722', clockRate: 8000 }],
  [10, { name: 'L16', clockRate: 44100, channels: 2 }],
  [11, { name: 'L16', clockRate: 44100 }],
  [12, { name: 'QCELP', clockRate: 8000 }],
  [13, { name: 'CN', clockRate: 8000 }],
  [14, { name: 'MPA', clockRate: 90000 }],
  [15, { name: 'G728', clockRate: 8000 }],
  [16, { name: 'DVI4', clockRate: 11025 }],
  [17, { name: 'DVI4', clockRate: 22050 }],
  [18, { name: 'G729', clockRate: 8000 }],
]);

/** The RFC 3551 static assignment of `pt`, or undefined (dynamic or unassigned). */
export function staticAudioFormat(pt: number): StaticFormat | undefined {
  return STATIC_AUDIO.get(pt);
}

/** True for RFC 4733 named telephone events (any clock rate). */
export function isTelephoneEvent(codec: Pick<SdpCodec, 'name'>): boolean {
  return codec.name.toLowerCase() === 'telephone-event';
}

/** The engine codec this payload format is, or undefined when the engine has none. */
export function engineCodecOf(codec: SdpCodec): CodecName | undefined {
  return codecForPayloadType(codec.payloadType, { name: codec.name, clockRate: codec.clockRate })?.name;
}
