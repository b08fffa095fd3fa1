/**
 * Turns received RFC 4733 telephone-event packets into digits, once per event.
 *
 * TEMPORARY: src/rtp/dtmf (DtmfReceiver/DtmfSender, owned by the rtp module) has not
 * landed yet. This reads only what the worker needs to report a digit: the event code
 * and the E (end) bit (RFC 4733 §2.3), de-duplicating the three end packets (§2.5.1.4)
 * by RTP timestamp, which is the event's start and identifies it. Replace with the rtp
 * module's DtmfReceiver when it lands.
 */
const DIGITS = '0123456789*#ABCD';

export class TelephoneEventReader {
  private lastEndTs = -1;

  /** The digit completed by this packet, or undefined. */
  read(payload: Uint8Array, timestamp: number, clockRate: number): { digit: string; durationMs: number } | undefined {
    if (payload.length < 4) return undefined;
    const event = payload[0]!;
    const end = (payload[1]! & 0x80) !== 0;
    if (!end || timestamp === this.lastEndTs || event >= DIGITS.length) return undefined;
    this.lastEndTs = timestamp;
    const duration = (payload[2]! << 8) | payload[3]!;
    return { digit: DIGITS[event]!, durationMs: Math.round((duration / clockRate) * 1000) };
  }
}
