/**
 * The typed view of an SDP body (RFC 4566) that call control works with. Only the first
 * usable audio stream is described in detail; every m-line is kept in `media` so that an
 * answer can list one m-line per offered one, in the same order (RFC 3264 §6).
 */

/** RFC 3264 §5.1 / RFC 4566 §6 direction attributes. */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** One payload format of an m-line: `a=rtpmap` (or the RFC 3551 static table) plus `a=fmtp`. */
export interface SdpCodec {
  payloadType: number;
  /** Encoding name as written (compare case-insensitively, RFC 4855 §3). */
  name: string;
  /** RTP clock rate (8000 for G.722, RFC 3551 §4.5.2; 48000 for Opus, RFC 7587 §7). */
  clockRate: number;
  /** Audio channels when the rtpmap gives them (Opus: 2, RFC 7587 §7). */
  channels?: number;
  /** The `a=fmtp` parameters for this payload type, as written. */
  fmtp?: string;
}

export interface AudioDescription {
  /** Connection address (c= of the m-line or session); '0.0.0.0' kept as written (RFC 2543 hold). */
  address: string;
  /** m= port; 0 = the stream is rejected/disabled (RFC 3264 §6). */
  port: number;
  /** Audio codecs in the sender's preference order, telephone-event excluded. */
  codecs: SdpCodec[];
  /** RFC 4733 telephone-event, when offered/answered (the 8000 Hz one when several are listed). */
  telephoneEvent?: SdpCodec;
  /** Every telephone-event format listed, in m-line order (WebRTC lists /48000 and /8000). */
  telephoneEvents?: SdpCodec[];
  /**
   * From a=sendrecv/sendonly/recvonly/inactive at media or session level (default sendrecv,
   * RFC 3264 §5.1). With c=0.0.0.0 the peer must not be sent anything (RFC 3264 §8.4), so the
   * "recv" half of the peer's direction is dropped: sendrecv reads as sendonly, recvonly as
   * inactive. `isHold()` says whether the description puts us on hold.
   */
  direction: MediaDirection;
  ptime?: number;
  rtcpMux: boolean;
  /** a=rtcp port when given (RFC 3605). */
  rtcpPort?: number;
  /** RFC 6464 audio level extmap id (RFC 8285), when present. */
  audioLevelExtId?: number;
  /** Transport protocol of the m-line as written: 'RTP/AVP', 'RTP/AVPF', 'RTP/SAVP', 'UDP/TLS/RTP/SAVPF', ... */
  protocol: string;
  /** Address family of the connection address (c=IN IP4 / IP6). */
  addressFamily: 'IP4' | 'IP6';
  /** Index of this stream among the m-lines of the body (RFC 3264 §6 answers keep the order). */
  index: number;
}

/** One m-line of a body, enough to reject it in an answer (RFC 3264 §6). */
export interface MediaLine {
  /** Media type: 'audio', 'video', 'application', 'image', ... */
  type: string;
  port: number;
  protocol: string;
  /** The m-line's format list as written (payload types for RTP). */
  formats: string[];
}

export interface SessionDescription {
  origin: { username: string; sessionId: string; sessionVersion: string; address: string };
  /** The first usable audio stream (see parseSdp), or undefined when the body has none. */
  audio?: AudioDescription;
  /** Every m-line in body order. */
  media: MediaLine[];
}
