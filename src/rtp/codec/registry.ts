/**
 * Codec lookup by name and by RTP payload type.
 *
 * Static payload types come from RFC 3551 §6 table 4 (0 PCMU, 8 PCMA, 9 G722). Dynamic
 * types (96-127, RFC 3551 §3) only mean something through an SDP `a=rtpmap` line
 * (RFC 4566 §6), so `codecForPayloadType` needs the rtpmap for them. Encoding names
 * compare case-insensitively (RFC 4855 §3, media subtype names); the clock rate must be
 * the one the payload format registers (G.722 keeps 8000 although it samples at 16 kHz,
 * RFC 3551 §4.5.2; Opus always says 48000, RFC 7587 §7).
 */
import type { AudioCodec, CodecName } from './codec.js';
import { PCMA, PCMU } from './g711.js';
import { G722 } from './g722.js';
import { OPUS } from './opus.js';

/** The `a=rtpmap:<pt> <name>/<clockRate>` fields that matter for choosing a codec. */
export interface RtpMap {
  name: string;
  clockRate: number;
}

const byName = new Map<CodecName, AudioCodec>();
const byLowerName = new Map<string, AudioCodec>();
const byStaticPt = new Map<number, AudioCodec>();

/** Every codec this switch implements, in registration order (not a preference). */
const CODECS: readonly AudioCodec[] = [PCMU, PCMA, G722, OPUS];

function register(codec: AudioCodec): void {
  byName.set(codec.name, codec);
  byLowerName.set(codec.name.toLowerCase(), codec);
  if (codec.staticPayloadType !== undefined) byStaticPt.set(codec.staticPayloadType, codec);
}

for (const codec of CODECS) register(codec);

/** The codec called `name`; throws for a name no codec module implements. */
export function codecByName(name: CodecName): AudioCodec {
  const codec = byName.get(name);
  if (!codec) throw new Error(`codec ${name} is not available`);
  return codec;
}

/** Every codec this switch implements, in registration order. */
export function allCodecs(): readonly AudioCodec[] {
  return CODECS;
}

/**
 * The codec a payload type stands for, or undefined when it is unknown.
 * With an rtpmap, the rtpmap decides (RFC 4566 §6 allows one for static types as well);
 * without one, only the RFC 3551 static assignments are known.
 */
export function codecForPayloadType(pt: number, rtpmap?: RtpMap): AudioCodec | undefined {
  if (!Number.isInteger(pt) || pt < 0 || pt > 127) return undefined;
  if (rtpmap) {
    const codec = byLowerName.get(rtpmap.name.toLowerCase());
    if (!codec || codec.rtpClockRate !== rtpmap.clockRate) return undefined;
    return codec;
  }
  return byStaticPt.get(pt);
}
