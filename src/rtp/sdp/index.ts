/** SDP offer/answer for call legs (RFC 4566, RFC 3264, RFC 4733 payload types, hold). */
export type { MediaDirection, SdpCodec, AudioDescription, SessionDescription, MediaLine } from './types.js';
export { SdpError } from './sdp-error.js';
export { parseSdp } from './parse-sdp.js';
export { negotiateAnswer, mirrorDirection, type NegotiatedAudio } from './negotiate-answer.js';
export { LocalSdp, type LocalMedia, type LocalSdpOptions } from './local-sdp.js';
export { defaultOfferCodecs, toPayloadMappings } from './offer-codecs.js';
export { isHold, isUnspecifiedAddress } from './hold.js';
export { engineCodecOf, isTelephoneEvent } from './payload-formats.js';
export { isUsableAudioProtocol } from './media-protocol.js';
