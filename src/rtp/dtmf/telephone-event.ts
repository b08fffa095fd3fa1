/**
 * RFC 4733 §2.3 telephone-event payload: one 4-byte block per event.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Event codes 0-15 are the DTMF digits 0-9, *, #, A-D (RFC 4733 §3.2, table 3); 16 is
 * flash (RFC 4734 §3.2). Volume is 0..63 in -dBm0; duration in RTP timestamp units.
 */
export const TELEPHONE_EVENT_SIZE = 4;
/** Largest duration one packet can carry (RFC 4733 §2.5.1.3: longer events are segmented). */
export const MAX_EVENT_DURATION = 0xffff;

export interface TelephoneEvent {
  event: number;
  end: boolean;
  volume: number;
  duration: number;
}

export function newTelephoneEvent(): TelephoneEvent {
  return { event: 0, end: false, volume: 0, duration: 0 };
}

const DTMF_CHARS = '0123456789*#ABCD';

/** The character for a DTMF event code 0-15 ('!' for flash, 16), or '' for others. */
export function eventToChar(event: number): string {
  if (event >= 0 && event < 16) return DTMF_CHARS[event]!;
  return event === 16 ? '!' : '';
}

/** The event code for a DTMF character (0-9, *, #, A-D case-insensitive, ! for flash), or -1. */
export function charToEvent(ch: string): number {
  if (ch === '!') return 16;
  return DTMF_CHARS.indexOf(ch.toUpperCase());
}

/**
 * Parse the event block at buf[offset, offset + 4) into `out`. Returns false when fewer
 * than 4 bytes are there. The R bit is ignored on receipt (§2.3.4: "MUST be ignored").
 */
export function parseTelephoneEvent(buf: Uint8Array, offset: number, length: number, out: TelephoneEvent): boolean {
  if (length < TELEPHONE_EVENT_SIZE) return false;
  out.event = buf[offset]!;
  out.end = (buf[offset + 1]! & 0x80) !== 0;
  out.volume = buf[offset + 1]! & 0x3f;
  out.duration = (buf[offset + 2]! << 8) | buf[offset + 3]!;
  return true;
}

/** Write one event block at buf[offset]; returns 4. R is sent as 0 (§2.3.4). */
export function formatTelephoneEvent(ev: TelephoneEvent, buf: Uint8Array, offset = 0): number {
  buf[offset] = ev.event & 0xff;
  buf[offset + 1] = (ev.end ? 0x80 : 0) | (ev.volume & 0x3f);
  const d = ev.duration > MAX_EVENT_DURATION ? MAX_EVENT_DURATION : ev.duration;
  buf[offset + 2] = (d >> 8) & 0xff;
  buf[offset + 3] = d & 0xff;
  return TELEPHONE_EVENT_SIZE;
}
