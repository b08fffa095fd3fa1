/**
 * RFC 3261 timer values (§17.1.1.2, §17.1.2.2, §17.2.1, §17.2.2 and the table of
 * Appendix A) with RFC 6026's Timers L and M, computed once per layer from T1, T2, T4.
 *
 *   Timer  Value                    Section            Meaning
 *   T1     500 ms default           §17.1.1.1          RTT estimate
 *   T2     4 s                      §17.1.2.2          max retransmit interval, non-INVITE requests and INVITE responses
 *   T4     5 s                      §17.1.2.2          max time a message stays in the network
 *   A      initially T1             §17.1.1.2          INVITE request retransmit interval, UDP only (doubles, no cap)
 *   B      64*T1                    §17.1.1.2          INVITE transaction timeout
 *   D      > 32 s UDP, 0 reliable   §17.1.1.2          wait time for response retransmits
 *   E      initially T1             §17.1.2.2          non-INVITE request retransmit interval, UDP only (doubles up to T2)
 *   F      64*T1                    §17.1.2.2          non-INVITE transaction timeout
 *   G      initially T1             §17.2.1            INVITE response retransmit interval (doubles up to T2)
 *   H      64*T1                    §17.2.1            wait time for ACK receipt
 *   I      T4 UDP, 0 reliable       §17.2.1            wait time for ACK retransmits
 *   J      64*T1 UDP, 0 reliable    §17.2.2            wait time for non-INVITE request retransmits
 *   K      T4 UDP, 0 reliable       §17.1.2.2          wait time for response retransmits
 *   L      64*T1                    RFC 6026 §7.1      wait time for accepted INVITE request retransmits
 *   M      64*T1                    RFC 6026 §7.2      wait time for retransmissions of 2xx to INVITE
 */

export interface TimerSettings {
  /** RTT estimate, ms (RFC 3261 §17.1.1.1: 500 ms default). */
  t1: number;
  /** Maximum retransmission interval, ms (4 s). */
  t2: number;
  /** Maximum duration a message remains in the network, ms (5 s). */
  t4: number;
  /**
   * Timer D for unreliable transports, ms. RFC 3261 §17.1.1.2 asks for "at least 32
   * seconds"; the default is max(32 s, 64*T1) so that a larger T1 still outlasts the
   * server's Timer H retransmission window.
   */
  timerD: number;
}

export type TimerName = 'A' | 'B' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M';

export function timerSettings(opts: { t1?: number; t2?: number; t4?: number; timerD?: number }): TimerSettings {
  const t1 = opts.t1 ?? 500;
  const t2 = opts.t2 ?? 4000;
  const t4 = opts.t4 ?? 5000;
  for (const [name, v] of [['t1', t1], ['t2', t2], ['t4', t4]] as const) {
    if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`${name} must be a positive number of ms, got ${v}`);
  }
  if (t2 < t1) throw new RangeError(`t2 (${t2}) must not be smaller than t1 (${t1})`);
  const timerD = opts.timerD ?? Math.max(32_000, 64 * t1);
  if (!(Number.isFinite(timerD) && timerD >= 0)) throw new RangeError(`timerD must be >= 0, got ${timerD}`);
  return { t1, t2, t4, timerD };
}

/**
 * Duration of a timer when it is (re)started without a retransmission interval involved;
 * 0 means "fires at once" (the machine then moves on without scheduling anything).
 */
export function timerDuration(s: TimerSettings, name: 'B' | 'D' | 'F' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M', reliable: boolean): number {
  switch (name) {
    case 'B': // §17.1.1.2: Timer B = 64*T1
    case 'F': // §17.1.2.2: Timer F = 64*T1
    case 'H': // §17.2.1: Timer H = 64*T1
    case 'L': // RFC 6026 §7.1: Timer L = 64*T1 for all transports
    case 'M': // RFC 6026 §7.2: Timer M = 64*T1
      return 64 * s.t1;
    case 'D': // §17.1.1.2: at least 32 s for unreliable transports, zero for reliable ones
      return reliable ? 0 : s.timerD;
    case 'I': // §17.2.1: T4 for unreliable transports, zero for reliable ones
    case 'K': // §17.1.2.2: T4 for unreliable transports, zero for reliable ones
      return reliable ? 0 : s.t4;
    case 'J': // §17.2.2: 64*T1 for unreliable transports, zero for reliable ones
      return reliable ? 0 : 64 * s.t1;
  }
}
