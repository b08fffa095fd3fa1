/**
 * DTMF in SIP INFO bodies (the legacy, package-less INFO usage RFC 6086 §2 keeps working):
 *
 *   application/dtmf-relay     Signal=5\r\nDuration=160\r\n   (Cisco/SIP phones; Duration in ms)
 *   application/dtmf           5                                (a digit, or an RFC 4733 event code)
 *
 * Digits are 0-9 * # A-D, and flash (RFC 4733 event 16, written "!" or 16). What we send is
 * application/dtmf-relay, the form phones understand most widely.
 */
export const DTMF_RELAY = 'application/dtmf-relay';
export const DTMF = 'application/dtmf';

/** RFC 4733 §3.2 event codes 0-15, then 16 = flash (RFC 4734). */
const EVENTS = '0123456789*#ABCD!';

export interface DtmfDigit {
  digit: string;
  durationMs: number;
}

const DEFAULT_DURATION_MS = 160;

function digitOf(text: string): string | undefined {
  const t = text.trim().toUpperCase();
  if (t.length === 1 && EVENTS.includes(t)) return t;
  if (/^\d{1,2}$/.test(t) && Number(t) < EVENTS.length) return EVENTS[Number(t)];
  if (t === 'FLASH' || t === 'HOOKFLASH') return '!';
  return undefined;
}

/** The digit of an INFO body with the given media type (`type/subtype`, lower-case); undefined when none. */
export function parseDtmfInfo(mediaType: string, body: Buffer): DtmfDigit | undefined {
  const text = body.toString('latin1');
  if (mediaType === DTMF) {
    const digit = digitOf(text.split(/\r?\n/)[0] ?? '');
    return digit === undefined ? undefined : { digit, durationMs: DEFAULT_DURATION_MS };
  }
  if (mediaType !== DTMF_RELAY) return undefined;
  let digit: string | undefined;
  let durationMs = DEFAULT_DURATION_MS;
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const name = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (name === 'signal') digit = digitOf(value);
    else if (name === 'duration' && /^\d{1,6}$/.test(value)) durationMs = Math.max(40, Math.min(5000, Number(value)));
  }
  return digit === undefined ? undefined : { digit, durationMs };
}

/** Body of an application/dtmf-relay INFO. */
export function dtmfRelayBody(d: DtmfDigit): string {
  return `Signal=${d.digit === '!' ? 16 : d.digit}\r\nDuration=${Math.round(d.durationMs)}\r\n`;
}
