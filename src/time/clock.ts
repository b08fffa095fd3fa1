/**
 * Time as the sans-IO cores see it. Nothing under src/sip, src/rtp or src/mixer calls
 * `Date.now()` or `setTimeout` directly: a Clock is passed in, and the shells that own
 * sockets and timers turn the deadlines the cores return into real timers.
 * Tests pass a FakeClock (test/support/fake-clock.ts) and advance it by hand.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch (may be fractional). Persisted expiries use this scale. */
  now(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
};
