/**
 * RTCP packets (RFC 3550 §6.4-§6.6): SR, RR, SDES (CNAME and the other text items), BYE,
 * in compound packets (§6.1), parsed with the validity checks of Appendix A.2 and built
 * into a caller's buffer. Other types (APP, RTPFB/PSFB feedback) are passed over as
 * 'other'. RTCP is a few packets a second per stream, so parsing returns plain objects;
 * building writes into the caller's buffer and allocates nothing.
 *
 * Common header (§6.4.1):
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=SR=200   |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * length = size in 32-bit words minus one, header included.
 *
 * Report block (§6.4.1), 24 bytes:
 * | SSRC_n | fraction lost (8) + cumulative lost (24, signed) | extended highest seq |
 * | interarrival jitter | last SR (LSR) | delay since last SR (DLSR) |
 */
export { RtpReceiverStats } from './receiver-stats.js';

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const SDES_CNAME = 1;

export interface ReportBlock {
  ssrc: number;
  /** Fraction lost since the previous report, as a fixed-point number /256 (§6.4.1). */
  fractionLost: number;
  /** Cumulative packets lost, signed 24-bit (duplicates can make it negative). */
  cumulativeLost: number;
  extendedHighestSeq: number;
  /** Interarrival jitter in RTP timestamp units (§6.4.1, A.8). */
  jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received from this source, 0 if none. */
  lastSr: number;
  /** Delay since that SR, in units of 1/65536 s. */
  delaySinceLastSr: number;
}

export interface SenderReport {
  type: 'SR';
  ssrc: number;
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  reports: ReportBlock[];
}

export interface ReceiverReport {
  type: 'RR';
  ssrc: number;
  reports: ReportBlock[];
}

export interface SdesChunk {
  ssrc: number;
  /** Items by type (1 CNAME, 2 NAME, ... 8 PRIV), text as UTF-8. */
  items: Array<{ type: number; text: string }>;
}

export interface SourceDescription {
  type: 'SDES';
  chunks: SdesChunk[];
}

export interface Goodbye {
  type: 'BYE';
  ssrcs: number[];
  reason?: string;
}

export interface OtherRtcp {
  type: 'other';
  packetType: number;
  /** The 5-bit count/format field. */
  count: number;
  /** Offset and length of the packet (header included) in the parsed buffer. */
  offset: number;
  length: number;
}

export type RtcpPacket = SenderReport | ReceiverReport | SourceDescription | Goodbye | OtherRtcp;

const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 0xff;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

export interface ParseOptions {
  /** Accept a packet that does not start with SR/RR (reduced-size RTCP, RFC 5506 §3). */
  reducedSize?: boolean;
}

/**
 * Parse a compound RTCP packet; undefined when it fails the Appendix A.2 checks: version 2
 * everywhere, first packet SR or RR (unless reduced-size), padding only in the last one,
 * and the lengths adding up exactly to the datagram.
 */
export function parseRtcp(buf: Uint8Array, len = buf.length, options: ParseOptions = {}): RtcpPacket[] | undefined {
  const out: RtcpPacket[] = [];
  let off = 0;
  while (off < len) {
    if (off + 4 > len) return undefined;
    const b0 = buf[off]!;
    if (b0 >> 6 !== 2) return undefined;
    const pt = buf[off + 1]!;
    const size = (((buf[off + 2]! << 8) | buf[off + 3]!) + 1) * 4;
    if (off + size > len) return undefined;
    let end = off + size;
    if (b0 & 0x20) {
      if (end !== len) return undefined; // §6.4.1: only the last packet may be padded
      const pad = buf[len - 1]!;
      if (pad === 0 || pad > size - 4) return undefined;
      end -= pad;
    }
    if (out.length === 0 && !options.reducedSize && pt !== RTCP_SR && pt !== RTCP_RR) return undefined;
    const p = parseOne(buf, off, end, b0 & 0x1f, pt);
    if (!p) return undefined;
    out.push(p);
    off += size;
  }
  return out.length ? out : undefined;
}

function parseOne(buf: Uint8Array, off: number, end: number, count: number, pt: number): RtcpPacket | undefined {
  switch (pt) {
    case RTCP_SR: {
      if (off + 28 + count * 24 > end) return undefined;
      return {
        type: 'SR',
        ssrc: u32(buf, off + 4),
        ntpSeconds: u32(buf, off + 8),
        ntpFraction: u32(buf, off + 12),
        rtpTimestamp: u32(buf, off + 16),
        packetCount: u32(buf, off + 20),
        octetCount: u32(buf, off + 24),
        reports: parseBlocks(buf, off + 28, count),
      };
    }
    case RTCP_RR:
      if (off + 8 + count * 24 > end) return undefined;
      return { type: 'RR', ssrc: u32(buf, off + 4), reports: parseBlocks(buf, off + 8, count) };
    case RTCP_SDES:
      return parseSdes(buf, off + 4, end, count);
    case RTCP_BYE:
      return parseBye(buf, off + 4, end, count);
    default:
      return { type: 'other', packetType: pt, count, offset: off, length: end - off };
  }
}

function parseBlocks(buf: Uint8Array, off: number, count: number): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  for (let i = 0; i < count; i++, off += 24) {
    const lost = (buf[off + 5]! << 16) | (buf[off + 6]! << 8) | buf[off + 7]!;
    blocks.push({
      ssrc: u32(buf, off),
      fractionLost: buf[off + 4]!,
      cumulativeLost: lost & 0x800000 ? lost - 0x1000000 : lost,
      extendedHighestSeq: u32(buf, off + 8),
      jitter: u32(buf, off + 12),
      lastSr: u32(buf, off + 16),
      delaySinceLastSr: u32(buf, off + 20),
    });
  }
  return blocks;
}

/** §6.5: chunks of SSRC + items, each chunk ended by a null item and padded to 32 bits. */
function parseSdes(buf: Uint8Array, off: number, end: number, count: number): SourceDescription | undefined {
  const chunks: SdesChunk[] = [];
  for (let c = 0; c < count; c++) {
    if (off + 4 > end) return undefined;
    const chunk: SdesChunk = { ssrc: u32(buf, off), items: [] };
    off += 4;
    for (;;) {
      if (off >= end) return undefined;
      const type = buf[off]!;
      if (type === 0) {
        off = (off + 4) & ~3; // skip the null octets up to the next 32-bit boundary
        break;
      }
      if (off + 2 > end) return undefined;
      const n = buf[off + 1]!;
      if (off + 2 + n > end) return undefined;
      chunk.items.push({ type, text: utf8.decode(buf.subarray(off + 2, off + 2 + n)) });
      off += 2 + n;
    }
    chunks.push(chunk);
  }
  return { type: 'SDES', chunks };
}

/** §6.6: SC SSRC/CSRC identifiers, then an optional length-prefixed reason. */
function parseBye(buf: Uint8Array, off: number, end: number, count: number): Goodbye | undefined {
  if (off + count * 4 > end) return undefined;
  const ssrcs: number[] = [];
  for (let i = 0; i < count; i++, off += 4) ssrcs.push(u32(buf, off));
  const bye: Goodbye = { type: 'BYE', ssrcs };
  if (off < end) {
    const n = buf[off]!;
    if (off + 1 + n > end) return undefined;
    if (n > 0) bye.reason = utf8.decode(buf.subarray(off + 1, off + 1 + n));
  }
  return bye;
}

function header(buf: Uint8Array, off: number, count: number, pt: number, bytes: number): void {
  buf[off] = 0x80 | (count & 0x1f);
  buf[off + 1] = pt;
  const words = bytes / 4 - 1;
  buf[off + 2] = words >> 8;
  buf[off + 3] = words & 0xff;
}

function writeBlocks(blocks: readonly ReportBlock[], buf: Uint8Array, off: number): void {
  for (const b of blocks) {
    put32(buf, off, b.ssrc);
    const lost = Math.max(-0x800000, Math.min(0x7fffff, b.cumulativeLost)) & 0xffffff;
    put32(buf, off + 4, ((b.fractionLost & 0xff) << 24) | lost);
    put32(buf, off + 8, b.extendedHighestSeq);
    put32(buf, off + 12, b.jitter);
    put32(buf, off + 16, b.lastSr);
    put32(buf, off + 20, b.delaySinceLastSr);
    off += 24;
  }
}

/** Write an SR (§6.4.1) at buf[off]; returns its size. At most 31 report blocks. */
export function writeSenderReport(sr: Omit<SenderReport, 'type'>, buf: Uint8Array, off = 0): number {
  if (sr.reports.length > 31) throw new RangeError('at most 31 report blocks per SR');
  const size = 28 + 24 * sr.reports.length;
  header(buf, off, sr.reports.length, RTCP_SR, size);
  put32(buf, off + 4, sr.ssrc);
  put32(buf, off + 8, sr.ntpSeconds);
  put32(buf, off + 12, sr.ntpFraction);
  put32(buf, off + 16, sr.rtpTimestamp);
  put32(buf, off + 20, sr.packetCount);
  put32(buf, off + 24, sr.octetCount);
  writeBlocks(sr.reports, buf, off + 28);
  return size;
}

/** Write an RR (§6.4.2) at buf[off]; returns its size. */
export function writeReceiverReport(rr: Omit<ReceiverReport, 'type'>, buf: Uint8Array, off = 0): number {
  if (rr.reports.length > 31) throw new RangeError('at most 31 report blocks per RR');
  const size = 8 + 24 * rr.reports.length;
  header(buf, off, rr.reports.length, RTCP_RR, size);
  put32(buf, off + 4, rr.ssrc);
  writeBlocks(rr.reports, buf, off + 8);
  return size;
}

/** Write an SDES (§6.5) with one CNAME chunk (the item every compound packet needs, §6.1). */
export function writeSdesCname(ssrc: number, cname: string, buf: Uint8Array, off = 0): number {
  const text = utf8Encoder.encode(cname);
  if (text.length > 255) throw new RangeError('CNAME longer than 255 bytes');
  // chunk: SSRC, item (type, length, text), at least one null octet, padded to 32 bits
  const chunk = (4 + 2 + text.length + 1 + 3) & ~3;
  const size = 4 + chunk;
  header(buf, off, 1, RTCP_SDES, size);
  put32(buf, off + 4, ssrc);
  buf[off + 8] = SDES_CNAME;
  buf[off + 9] = text.length;
  buf.set(text, off + 10);
  buf.fill(0, off + 10 + text.length, off + size);
  return size;
}

/** Write a BYE (§6.6) for `ssrcs` with an optional reason; returns its size. */
export function writeBye(ssrcs: readonly number[], reason: string | undefined, buf: Uint8Array, off = 0): number {
  const text = reason ? utf8Encoder.encode(reason) : undefined;
  if (text && text.length > 255) throw new RangeError('BYE reason longer than 255 bytes');
  const body = ssrcs.length * 4 + (text ? (1 + text.length + 3) & ~3 : 0);
  const size = 4 + body;
  header(buf, off, ssrcs.length, RTCP_BYE, size);
  ssrcs.forEach((s, i) => put32(buf, off + 4 + 4 * i, s));
  if (text) {
    const r = off + 4 + ssrcs.length * 4;
    buf[r] = text.length;
    buf.set(text, r + 1);
    buf.fill(0, r + 1 + text.length, off + size);
  }
  return size;
}

/** NTP timestamp (§4: seconds since 1900 + 32-bit fraction) of a Unix time in ms. */
export function ntpFromUnixMs(ms: number): { seconds: number; fraction: number } {
  const seconds = Math.floor(ms / 1000) + 2208988800;
  const fraction = Math.floor(((ms % 1000) / 1000) * 4294967296);
  return { seconds: seconds >>> 0, fraction: fraction >>> 0 };
}

/** The middle 32 bits of an NTP timestamp, as LSR carries it (§6.4.1). */
export function ntpMiddle32(seconds: number, fraction: number): number {
  return (((seconds & 0xffff) << 16) | (fraction >>> 16)) >>> 0;
}

/**
 * Round-trip time from a report block about our own stream (§6.4.1): arrival time minus
 * LSR minus DLSR, all in 1/65536 s; returns ms, or undefined when the peer had no SR yet.
 */
export function roundTripMs(block: ReportBlock, arrivalUnixMs: number): number | undefined {
  if (block.lastSr === 0) return undefined;
  const now = ntpFromUnixMs(arrivalUnixMs);
  const a = ntpMiddle32(now.seconds, now.fraction);
  const rtt = (a - block.lastSr - block.delaySinceLastSr) >>> 0;
  return (rtt * 1000) / 65536;
}
