/**
 * Which codec each leg of an anchored call uses (RFC 3264 offer/answer on both sides of the
 * B2BUA). The two legs negotiate separately - the media worker transcodes when they end up
 * with different codecs - but the choices below make them agree whenever the phones allow
 * it, so the relay can pass packets through untouched:
 *
 * - The offer to the callee lists the caller's usable codecs first (in the caller's order),
 *   then the other configured ones (so a callee that shares nothing with the caller still
 *   finds a codec, and the call is transcoded).
 * - The answer to the caller names the codec the callee chose when the caller offered it,
 *   else the caller's first usable codec.
 * - Answers we give carry exactly one audio codec (RFC 3264 §6.1 allows a subset): the
 *   engine sends with the first payload type of a leg and passes packets through by codec
 *   name, so a leg must not switch codecs under it.
 * - telephone-event (RFC 4733) at the clock rate of the chosen codec, when the peer has it.
 */
import type { CodecName } from '../../rtp/codec/codec.js';
import { defaultOfferCodecs, engineCodecOf, negotiateAnswer, SdpError, type AudioDescription, type NegotiatedAudio, type SdpCodec } from '../../rtp/sdp/index.js';

/** Our offer's codecs: `preferred` first (those we support), then the rest of `supported`. */
export function offerCodecs(preferred: readonly CodecName[], supported: readonly CodecName[]): { codecs: SdpCodec[]; telephoneEvent: SdpCodec } {
  const wanted = new Set(supported);
  const order = [...preferred.filter((c) => wanted.has(c)), ...supported];
  return defaultOfferCodecs(order);
}

/** Engine codec names of an offer's usable codecs, in the offerer's order. */
export function usableCodecNames(desc: AudioDescription, supported: readonly CodecName[]): CodecName[] {
  const wanted = new Set(supported);
  const out: CodecName[] = [];
  for (const c of desc.codecs) {
    const name = engineCodecOf(c);
    if (name !== undefined && wanted.has(name) && !out.includes(name)) out.push(name);
  }
  return out;
}

/**
 * The answer to `offer` with a single codec: `prefer` when the offer has it, else the
 * offerer's first usable one. Throws SdpError(488) when nothing is usable (RFC 3264 §6).
 */
export function singleCodecAnswer(offer: AudioDescription | undefined, supported: readonly CodecName[], prefer?: CodecName): NegotiatedAudio {
  const first = negotiateAnswer(offer, supported);
  const chosen = (prefer !== undefined ? first.codecs.find((c) => engineCodecOf(c) === prefer) : undefined) ?? first.codecs[0]!;
  // Negotiate again with the chosen codec first, so telephone-event follows its clock rate.
  const reordered: AudioDescription = { ...offer!, codecs: [chosen, ...offer!.codecs.filter((c) => c !== chosen && c.payloadType !== chosen.payloadType)] };
  const answer = negotiateAnswer(reordered, supported);
  return { ...answer, codecs: [answer.codecs[0]!] };
}

/**
 * What the peer chose in its answer to our offer (RFC 3264 §6.1: a subset of what we
 * offered): the codecs we can use, the first being what it will send, and telephone-event.
 * Throws SdpError(488) when the answer names nothing we offered.
 */
export function readAnswer(answer: AudioDescription | undefined, offered: readonly SdpCodec[]): { codecs: SdpCodec[]; telephoneEvent?: SdpCodec } {
  if (!answer || answer.port === 0) throw new SdpError('the answer rejected the audio stream', 488, { code: 304, text: 'Media type not available' });
  const names = new Set(offered.map((c) => engineCodecOf(c)));
  const codecs = answer.codecs.filter((c) => {
    const name = engineCodecOf(c);
    return name !== undefined && names.has(name);
  });
  if (codecs.length === 0) throw new SdpError('the answer names no codec we offered', 488, { code: 305, text: 'Incompatible media format' });
  return answer.telephoneEvent ? { codecs, telephoneEvent: answer.telephoneEvent } : { codecs };
}
