/**
 * RTP fixed header (RFC 3550 §5.1), read and written without allocating: `unmarshalRtp`
 * fills a caller-owned RtpPacketView, `marshalRtpHeader` writes into a caller's buffer.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |           length              |  (if X, §5.3.1)
 * |                        header extension                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

export const RTP_HEADER_SIZE = 12;

/** A parsed view of one packet; offsets point into the buffer that was parsed. */
export interface RtpPacketView {
  marker: boolean;
  payloadType: number;
  sequence: number;
  timestamp: number;
  ssrc: number;
  csrcCount: number;
  /** Header extension profile (0xBEDE one-byte, 0x100x two-byte, RFC 8285), or -1 when absent. */
  extensionProfile: number;
  extensionOffset: number;
  extensionLength: number;
  payloadOffset: number;
  payloadLength: number;
  /** Bytes of padding removed from the end (RFC 3550 §5.1 P bit). */
  padding: number;
}

export function newRtpPacketView(): RtpPacketView {
  return {
    marker: false,
    payloadType: 0,
    sequence: 0,
    timestamp: 0,
    ssrc: 0,
    csrcCount: 0,
    extensionProfile: -1,
    extensionOffset: 0,
    extensionLength: 0,
    payloadOffset: 0,
    payloadLength: 0,
    padding: 0,
  };
}

/**
 * Parse the fixed header, CSRCs, extension and padding of `buf[0, len)` into `out`.
 * Returns false (and leaves `out` unspecified) for anything that is not a well-formed
 * RTP version 2 packet; RTCP (PT 72-76 with the marker bit, RFC 5761 §4) is rejected too.
 */
export function unmarshalRtp(buf: Uint8Array, len: number, out: RtpPacketView): boolean {
  if (len < RTP_HEADER_SIZE) return false;
  const b0 = buf[0]!;
  const b1 = buf[1]!;
  if (b0 >> 6 !== 2) return false;
  const pt = b1 & 0x7f;
  if (pt >= 72 && pt <= 76) return false; // RFC 5761 §4: RTCP SR/RR/SDES/BYE/APP on a muxed port
  const cc = b0 & 0x0f;
  let off = RTP_HEADER_SIZE + cc * 4;
  if (off > len) return false;
  out.marker = (b1 & 0x80) !== 0;
  out.payloadType = pt;
  out.sequence = (buf[2]! << 8) | buf[3]!;
  out.timestamp = ((buf[4]! << 24) | (buf[5]! << 16) | (buf[6]! << 8) | buf[7]!) >>> 0;
  out.ssrc = ((buf[8]! << 24) | (buf[9]! << 16) | (buf[10]! << 8) | buf[11]!) >>> 0;
  out.csrcCount = cc;
  out.extensionProfile = -1;
  out.extensionOffset = 0;
  out.extensionLength = 0;
  if (b0 & 0x10) {
    if (off + 4 > len) return false;
    out.extensionProfile = (buf[off]! << 8) | buf[off + 1]!;
    const words = (buf[off + 2]! << 8) | buf[off + 3]!;
    out.extensionOffset = off + 4;
    out.extensionLength = words * 4;
    off += 4 + words * 4;
    if (off > len) return false;
  }
  let end = len;
  out.padding = 0;
  if (b0 & 0x20) {
    const pad = buf[len - 1]!;
    if (pad === 0 || off + pad > len) return false;
    out.padding = pad;
    end -= pad;
  }
  out.payloadOffset = off;
  out.payloadLength = end - off;
  return true;
}

export interface RtpHeaderFields {
  marker: boolean;
  payloadType: number;
  sequence: number;
  timestamp: number;
  ssrc: number;
}

/** Write a 12-byte header (no CSRC, no extension, no padding) at `offset`; returns 12. */
export function marshalRtpHeader(h: RtpHeaderFields, buf: Uint8Array, offset = 0): number {
  buf[offset] = 0x80;
  buf[offset + 1] = (h.marker ? 0x80 : 0) | (h.payloadType & 0x7f);
  buf[offset + 2] = (h.sequence >>> 8) & 0xff;
  buf[offset + 3] = h.sequence & 0xff;
  buf[offset + 4] = (h.timestamp >>> 24) & 0xff;
  buf[offset + 5] = (h.timestamp >>> 16) & 0xff;
  buf[offset + 6] = (h.timestamp >>> 8) & 0xff;
  buf[offset + 7] = h.timestamp & 0xff;
  buf[offset + 8] = (h.ssrc >>> 24) & 0xff;
  buf[offset + 9] = (h.ssrc >>> 16) & 0xff;
  buf[offset + 10] = (h.ssrc >>> 8) & 0xff;
  buf[offset + 11] = h.ssrc & 0xff;
  return RTP_HEADER_SIZE;
}
