/**
 * The answer to a remote audio offer (RFC 3264 §6, §6.1):
 * - the codecs we support, in the offerer's order and with the offerer's payload types
 *   (RFC 3264 §6.1: the answerer SHOULD use the offer's payload type numbers);
 * - telephone-event (RFC 4733 §7.1) when offered, at the clock rate of the first shared
 *   codec when the offer has that one, else 8000 Hz, with the offered events we support;
 * - the direction mirrored (RFC 3264 §6.1: sendonly -> recvonly, recvonly -> sendonly,
 *   inactive -> inactive, sendrecv -> sendrecv).
 * Nothing usable (no audio, stream disabled, SRTP/DTLS transport, no shared codec) throws
 * SdpError(488) with the RFC 3261 §20.43 Warning that says why.
 */
import type { CodecName } from '../codec/codec.js';
import { engineCodecOf } from './payload-formats.js';
import { isUsableAudioProtocol } from './media-protocol.js';
import { SdpError } from './sdp-error.js';
import { answerEventList } from './telephone-events.js';
import type { AudioDescription, MediaDirection, SdpCodec } from './types.js';

export interface NegotiatedAudio {
  codecs: SdpCodec[];
  telephoneEvent?: SdpCodec;
  direction: MediaDirection;
}

/** RFC 3264 §6.1 direction of an answer to an offer with `offered`. */
export function mirrorDirection(offered: MediaDirection): MediaDirection {
  if (offered === 'sendonly') return 'recvonly';
  if (offered === 'recvonly') return 'sendonly';
  return offered;
}

function notAcceptable(message: string, code: number, text: string): SdpError {
  return new SdpError(message, 488, { code, text });
}

/** The codec as we put it in the answer: offered PT, name and rate; our own fmtp (none for these codecs). */
function answerCodec(c: SdpCodec): SdpCodec {
  const out: SdpCodec = { payloadType: c.payloadType, name: c.name, clockRate: c.clockRate };
  if (c.channels !== undefined) out.channels = c.channels;
  return out;
}

function answerTelephoneEvent(offer: AudioDescription, first: SdpCodec): SdpCodec | undefined {
  const offered = offer.telephoneEvents ?? (offer.telephoneEvent ? [offer.telephoneEvent] : []);
  const chosen = offered.find((e) => e.clockRate === first.clockRate) ?? offered.find((e) => e.clockRate === 8000);
  if (!chosen) return undefined;
  const events = answerEventList(chosen.fmtp);
  if (events === undefined) return undefined;
  return { payloadType: chosen.payloadType, name: chosen.name, clockRate: chosen.clockRate, fmtp: events };
}

/** Answer to a remote offer with what we support; throws SdpError(488) when nothing is usable. */
export function negotiateAnswer(offer: AudioDescription | undefined, supported: readonly CodecName[]): NegotiatedAudio {
  if (!offer) throw notAcceptable('the offer has no audio stream', 304, 'Media type not available');
  if (offer.port === 0) throw notAcceptable('the offer disabled its audio stream (port 0)', 304, 'Media type not available');
  if (!isUsableAudioProtocol(offer.protocol)) {
    throw notAcceptable(`the offer's audio transport ${offer.protocol} is not supported (no SRTP/DTLS yet)`, 302, 'Incompatible transport protocol');
  }
  const wanted = new Set<CodecName>(supported);
  const codecs = offer.codecs.filter((c) => {
    const name = engineCodecOf(c);
    return name !== undefined && wanted.has(name);
  });
  if (codecs.length === 0) {
    const offered = offer.codecs.map((c) => `${c.name}/${c.clockRate}`).join(' ') || 'none';
    throw notAcceptable(`no codec in common (offered: ${offered})`, 305, 'Incompatible media format');
  }
  const answer: NegotiatedAudio = { codecs: codecs.map(answerCodec), direction: mirrorDirection(offer.direction) };
  const te = answerTelephoneEvent(offer, codecs[0]!);
  if (te) answer.telephoneEvent = te;
  return answer;
}
