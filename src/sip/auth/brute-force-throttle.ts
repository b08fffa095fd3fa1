/**
 * Brute-force throttling of digest authentication, per source address (sans-IO: the caller
 * passes `now`, events go into the array it hands over).
 *
 * - A failure is a request whose credentials were present but wrong (wrong password, unknown
 *   user, replayed nonce count, malformed credentials, foreign digest-uri). A request without
 *   credentials, or with a stale nonce and the right password, is no failure.
 * - `maxAuthFailures` failures inside a sliding `failureWindow` block the address for
 *   `blockTime`; while blocked the caller answers 403 without doing any digest work.
 * - Addresses are counted without port, IPv6 per /64 (source-address.ts). Trusted networks
 *   are reported but never counted or blocked.
 * - A successful authentication does not clear the count: behind one NAT address a legitimate
 *   phone registering must not wipe out the record of a guesser next to it. The window decays
 *   it instead.
 *
 * Counting, windows, blocks and the caps are the shared FailureWindow
 * (../../security/failure-window.ts); this class adds the address keys, trusted networks and
 * the auth.* events.
 *
 * Memory under a spoofed-source flood: at most `maxTrackedAddresses` failure records (the one
 * whose last failure is oldest goes first) and `maxBlockedAddresses` blocks (the one ending
 * first goes first, reported as auth.unblocked with why=evicted). A flood can therefore push
 * real attackers out of the tables early, weakening the throttle while it lasts, but it can
 * neither grow memory nor block an address it does not send failures from.
 */
import type { AuthEvent } from './auth-events.js';
import type { AuthFailureReason } from './digest-authenticator.js';
import { FailureWindow } from '../../security/failure-window.js';
import { sourceAddress, TrustedNetworks } from './source-address.js';

/** Names and units (seconds) as in config.yaml `security:`, so that section passes straight in. */
export interface ThrottleOptions {
  /** Failures inside the window that block the address. Default 5. */
  maxAuthFailures?: number;
  /** Sliding window in seconds. Default 60. */
  failureWindow?: number;
  /** Seconds an address stays blocked. Default 300. */
  blockTime?: number;
  /** CIDR blocks or addresses never blocked. */
  trustedNetworks?: readonly string[];
  /** Cap on addresses with failures on record. Default 10000. */
  maxTrackedAddresses?: number;
  /** Cap on addresses blocked at once. Default 10000. */
  maxBlockedAddresses?: number;
}

export class BruteForceThrottle {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly blockMs: number;
  private readonly trusted: TrustedNetworks;
  private readonly window: FailureWindow;

  constructor(opts: ThrottleOptions = {}) {
    this.trusted = new TrustedNetworks(opts.trustedNetworks); // first, as before: a bad CIDR is the error reported
    this.window = new FailureWindow({
      maxFailures: opts.maxAuthFailures ?? 5,
      windowMs: (opts.failureWindow ?? 60) * 1000,
      blockMs: (opts.blockTime ?? 300) * 1000,
      maxTracked: opts.maxTrackedAddresses ?? 10_000,
      maxBlocked: opts.maxBlockedAddresses ?? 10_000,
    });
    this.maxFailures = this.window.maxFailures;
    this.windowMs = this.window.windowMs;
    this.blockMs = this.window.blockMs;
  }

  get trackedCount(): number {
    return this.window.trackedCount;
  }

  get blockedCount(): number {
    return this.window.blockedCount;
  }

  isTrusted(address: string): boolean {
    return this.trusted.has(sourceAddress(address));
  }

  /** Epoch ms when the block on `address` ends, or undefined when it is not blocked. */
  blockedUntil(address: string, now: number, events: AuthEvent[]): number | undefined {
    if (this.window.blockedCount === 0) return undefined;
    return this.window.blockedUntil(sourceAddress(address).key, now, unblockedInto(events));
  }

  /** Counts one failure; returns true when it made `address` blocked. */
  recordFailure(address: string, username: string | undefined, reason: AuthFailureReason, now: number, events: AuthEvent[]): boolean {
    const src = sourceAddress(address);
    if (this.trusted.has(src)) {
      events.push({ event: 'auth.failure', address: src.key, username, reason, count: 0, trusted: true });
      return false;
    }
    const { count, blockedUntil, evicted } = this.window.recordFailure(src.key, now);
    events.push({ event: 'auth.failure', address: src.key, username, reason, count, trusted: false });
    if (blockedUntil === undefined) return false;
    events.push({ event: 'auth.blocked', address: src.key, username, count, until: blockedUntil });
    if (evicted !== undefined) events.push({ event: 'auth.unblocked', address: evicted, why: 'evicted' });
    return true;
  }

  /**
   * Ends the blocks that are over (auth.unblocked for each) and forgets failures older than
   * the window. For the shell's periodic timer; blocks also end lazily in blockedUntil.
   */
  sweep(now: number, events: AuthEvent[]): void {
    this.window.sweep(now, unblockedInto(events));
  }

  /** When the next block ends (epoch ms), for the shell to time its sweep; undefined if none. */
  nextDeadline(): number | undefined {
    return this.window.nextDeadline();
  }
}

function unblockedInto(events: AuthEvent[]): (key: string, why: 'expired' | 'evicted') => void {
  return (address, why) => events.push({ event: 'auth.unblocked', address, why });
}
