/**
 * Our offer's payload types and the SDP -> engine payload mapping.
 * PCMU 0, PCMA 8, G722 9 are the RFC 3551 §6 static types; Opus takes dynamic 111 as
 * opus/48000/2 (RFC 7587 §7) and telephone-event dynamic 101 at 8000 Hz with events 0-16
 * (RFC 4733 §7.1.1, DTMF plus flash).
 */
import type { CodecName } from '../codec/codec.js';
import type { PayloadMapping } from '../../mixer/channel/protocol.js';
import { engineCodecOf } from './payload-formats.js';
import type { SdpCodec } from './types.js';

const OFFER_FORMAT: Readonly<Record<CodecName, SdpCodec>> = {
  PCMU: { payloadType: 0, name: 'PCMU', clockRate: 8000 },
  PCMA: { payloadType: 8, name: 'PCMA', clockRate: 8000 },
  G722: { payloadType: 9, name: 'G722', clockRate: 8000 },
  opus: { payloadType: 111, name: 'opus', clockRate: 48000, channels: 2 },
};

/** telephone-event as we offer it. */
export const OFFER_TELEPHONE_EVENT: Readonly<SdpCodec> = { payloadType: 101, name: 'telephone-event', clockRate: 8000, fmtp: '0-16' };

/** Default offer codecs in the order of `supported` (the configured preference), duplicates dropped. */
export function defaultOfferCodecs(supported: readonly CodecName[]): { codecs: SdpCodec[]; telephoneEvent: SdpCodec } {
  const seen = new Set<CodecName>();
  const codecs: SdpCodec[] = [];
  for (const name of supported) {
    const format = OFFER_FORMAT[name];
    if (!format || seen.has(name)) continue;
    seen.add(name);
    codecs.push({ ...format });
  }
  return { codecs, telephoneEvent: { ...OFFER_TELEPHONE_EVENT } };
}

/** SdpCodec -> the media engine's PayloadMapping; formats the engine has no codec for are left out. */
export function toPayloadMappings(codecs: readonly SdpCodec[]): PayloadMapping[] {
  const out: PayloadMapping[] = [];
  for (const c of codecs) {
    const codec = engineCodecOf(c);
    if (codec !== undefined) out.push({ payloadType: c.payloadType, codec });
  }
  return out;
}
