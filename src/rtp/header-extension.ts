/**
 * RTP header extensions, RFC 8285 (one-byte and two-byte forms), and the RFC 6464
 * client-to-mixer audio level carried in one. Reading never allocates: a reusable
 * `HeaderExtensionCursor` walks the elements of the block that `unmarshalRtp` located
 * (view.extensionProfile / extensionOffset / extensionLength, RFC 3550 §5.3.1).
 *
 * One-byte form (profile 0xBEDE, RFC 8285 §4.2):
 *   0                   1                   2                   3
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |       0xBE    |    0xDE       |           length              |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  ID   |  L    |   data (L+1 bytes) ...   |  0 (padding)  | ...
 *  ID 1-14; ID 0 is a padding byte; ID 15 ends processing (§4.2).
 *
 * Two-byte form (profile 0x100 + 4 app bits, RFC 8285 §4.3):
 *  |       0x10    |  0x0 | appbits |           length              |
 *  |      ID       |      L        |   data (L bytes) ...  |
 *  ID 1-255; a 0 byte is padding.
 *
 * RFC 6464 §3: the audio level element holds one byte, V (voice activity) in the most
 * significant bit and the level 0..127 (-dBov) in the other seven.
 */
import type { RtpPacketView } from './packet.js';

export const ONE_BYTE_PROFILE = 0xbede;
/** Two-byte profiles are 0x1000-0x100F (the low 4 bits are application bits). */
export const TWO_BYTE_PROFILE = 0x1000;

export function isOneByteProfile(profile: number): boolean {
  return profile === ONE_BYTE_PROFILE;
}

export function isTwoByteProfile(profile: number): boolean {
  return (profile & 0xfff0) === TWO_BYTE_PROFILE;
}

/** Walks the elements of one extension block. Reuse one cursor; it holds no buffer copy. */
export class HeaderExtensionCursor {
  /** The current element: local identifier, and its data at buf[offset, offset + length). */
  id = 0;
  offset = 0;
  length = 0;
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private end = 0;
  private twoByte = false;

  /** Position before the first element of `view`'s extension; false if it has none we know. */
  start(buf: Uint8Array, view: RtpPacketView): boolean {
    const profile = view.extensionProfile;
    if (profile < 0) return false;
    const one = isOneByteProfile(profile);
    if (!one && !isTwoByteProfile(profile)) return false;
    this.buf = buf;
    this.twoByte = !one;
    this.pos = view.extensionOffset;
    this.end = view.extensionOffset + view.extensionLength;
    return true;
  }

  /** Advance to the next element; false at the end of the block (or a malformed element). */
  next(): boolean {
    const buf = this.buf;
    while (this.pos < this.end) {
      const b = buf[this.pos]!;
      if (b === 0) {
        this.pos++; // padding (RFC 8285 §4.2, §4.3)
        continue;
      }
      let id: number;
      let len: number;
      let data: number;
      if (this.twoByte) {
        if (this.pos + 2 > this.end) return this.stop();
        id = b;
        len = buf[this.pos + 1]!;
        data = this.pos + 2;
      } else {
        id = b >> 4;
        if (id === 15) return this.stop(); // RFC 8285 §4.2: stop at the reserved ID 15
        len = (b & 0x0f) + 1;
        data = this.pos + 1;
      }
      if (data + len > this.end) return this.stop(); // element runs past the block
      this.id = id;
      this.offset = data;
      this.length = len;
      this.pos = data + len;
      return true;
    }
    return false;
  }

  private stop(): boolean {
    this.pos = this.end;
    return false;
  }
}

const shared = new HeaderExtensionCursor();

/**
 * Find element `id` in the packet's extension: returns true and leaves its data position
 * in `cursor` (offset, length), false when absent.
 */
export function findHeaderExtension(buf: Uint8Array, view: RtpPacketView, id: number, cursor = shared): boolean {
  if (!cursor.start(buf, view)) return false;
  while (cursor.next()) if (cursor.id === id) return true;
  return false;
}

/**
 * RFC 6464 client-to-mixer audio level of a packet: -1 when absent, else the element's
 * byte, (V << 7) | level, level 0 (loudest, 0 dBov) to 127 (silence).
 */
export function readAudioLevel(buf: Uint8Array, view: RtpPacketView, extId: number): number {
  if (!findHeaderExtension(buf, view, extId)) return -1;
  if (shared.length < 1) return -1;
  return buf[shared.offset]!;
}

/** The level 0..127 of a `readAudioLevel` result. */
export function audioLevelOf(value: number): number {
  return value & 0x7f;
}

/** The V (voice activity) flag of a `readAudioLevel` result (RFC 6464 §3). */
export function voiceActivityOf(value: number): boolean {
  return (value & 0x80) !== 0;
}

/**
 * Write a one-byte-form extension block holding one RFC 6464 element right after a 12-byte
 * RTP header at `packetOffset` (as written by marshalRtpHeader, no CSRCs) and set the
 * header's X bit. Returns the bytes written (8: profile, length, element, padding).
 */
export function writeAudioLevelExtension(
  buf: Uint8Array,
  packetOffset: number,
  extId: number,
  level: number,
  voiceActivity: boolean,
): number {
  if (extId < 1 || extId > 14) throw new RangeError(`one-byte extension id must be 1-14, got ${extId}`);
  const o = packetOffset + 12 + (buf[packetOffset]! & 0x0f) * 4;
  buf[packetOffset] = buf[packetOffset]! | 0x10;
  buf[o] = 0xbe;
  buf[o + 1] = 0xde;
  buf[o + 2] = 0;
  buf[o + 3] = 1; // one 32-bit word of elements
  buf[o + 4] = extId << 4; // L = 0: one byte of data
  buf[o + 5] = (voiceActivity ? 0x80 : 0) | (level < 0 ? 0 : level > 127 ? 127 : level);
  buf[o + 6] = 0;
  buf[o + 7] = 0;
  return 8;
}
