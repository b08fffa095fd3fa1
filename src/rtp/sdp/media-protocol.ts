/**
 * Which m-line transport protocols the RTP engine can answer.
 *
 * - RTP/AVP (RFC 3551) and RTP/AVPF (RFC 4585): plain RTP over UDP. AVPF only adds RTCP
 *   feedback messages, which an audio-only endpoint may simply never send, so an AVPF offer
 *   is answered with AVPF (RFC 3264 §6: the answer uses the offer's transport).
 * - RTP/SAVP, RTP/SAVPF (SRTP, RFC 3711 with SDES RFC 4568) and UDP/TLS/RTP/SAVPF
 *   (DTLS-SRTP + ICE, WebRTC, RFC 5764 / RFC 8827): the engine has no SRTP yet, so these are
 *   not usable; an offer with nothing else gets 488 with Warning 302 (RFC 3261 §20.43).
 */
const USABLE = new Set(['RTP/AVP', 'RTP/AVPF']);

/** True when the engine can send and receive on an m-line with this protocol. */
export function isUsableAudioProtocol(protocol: string): boolean {
  return USABLE.has(protocol.toUpperCase());
}
