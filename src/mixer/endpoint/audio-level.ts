/**
 * The RFC 6464 client-to-mixer audio level of a received packet, in dBov, through the rtp
 * module's RFC 8285 reader (src/rtp/header-extension.ts).
 */
import { audioLevelOf, readAudioLevel } from '../../rtp/header-extension.js';
import type { RtpPacketView } from '../../rtp/packet.js';

/** The level in dBov (0 loudest, -127 silence), or undefined when the packet carries none. */
export function readAudioLevelOf(msg: Uint8Array, view: RtpPacketView, extId: number): number | undefined {
  const v = readAudioLevel(msg, view, extId);
  return v < 0 ? undefined : -audioLevelOf(v);
}
