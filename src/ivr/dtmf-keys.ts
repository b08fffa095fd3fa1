/**
 * The sixteen DTMF keys (RFC 4733 §3.2, events 0-15: 0-9, *, #, A-D). Both transports the switch
 * accepts - RFC 4733 telephone-events and SIP INFO bodies (application/dtmf-relay, application/dtmf) -
 * are turned into these one-character strings before they reach an IVR step.
 */
const KEYS = '0123456789*#ABCD';

export function isDtmfKey(key: string): boolean {
  return key.length === 1 && KEYS.includes(key);
}

/** Terminators and menu keys are written as strings of keys: '#', '#*', '123'. */
export function checkKeySet(keys: string, what: string): void {
  for (const k of keys) if (!isDtmfKey(k)) throw new RangeError(`${what}: ${JSON.stringify(k)} is not a DTMF key (0-9 * # A-D)`);
}
