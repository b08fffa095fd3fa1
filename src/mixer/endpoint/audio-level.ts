/**
 * Reads the RFC 6464 client-to-mixer audio level of a received packet.
 *
 * TEMPORARY: src/rtp/header-extension.ts (RFC 8285 parsing + `readAudioLevel`, owned by
 * the rtp module) has not landed yet; until it does this returns undefined ("no level"),
 * so every voiced source is decoded. Switch to the rtp module's reader here when it lands.
 */
import type { RtpPacketView } from '../../rtp/packet.js';

/** The level in dBov (0 loudest, -127 silence), or undefined when the packet carries none. */
export function readAudioLevelOf(_msg: Uint8Array, _view: RtpPacketView, _extId: number): number | undefined {
  return undefined;
}
