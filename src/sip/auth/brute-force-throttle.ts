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
 * Memory under a spoofed-source flood: at most `maxTrackedAddresses` failure records (the one
 * whose last failure is oldest goes first) and `maxBlockedAddresses` blocks (the one ending
 * first goes first, reported as auth.unblocked with why=evicted). A flood can therefore push
 * real attackers out of the tables early, weakening the throttle while it lasts, but it can
 * neither grow memory nor block an address it does not send failures from.
 */
import type { AuthEvent } from './auth-events.js';
import type { AuthFailureReason } from './digest-authenticator.js';
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
  private readonly maxTracked: number;
  private readonly maxBlocked: number;
  /** Failure times per key, least recently failed first. */
  private readonly failures = new Map<string, number[]>();
  /** Block end per key, in block order (= end order, the block time being fixed). */
  private readonly blocks = new Map<string, number>();

  constructor(opts: ThrottleOptions = {}) {
    this.maxFailures = opts.maxAuthFailures ?? 5;
    this.windowMs = (opts.failureWindow ?? 60) * 1000;
    this.blockMs = (opts.blockTime ?? 300) * 1000;
    this.trusted = new TrustedNetworks(opts.trustedNetworks);
    this.maxTracked = opts.maxTrackedAddresses ?? 10_000;
    this.maxBlocked = opts.maxBlockedAddresses ?? 10_000;
    if (!(this.maxFailures >= 1) || !(this.windowMs > 0) || !(this.blockMs > 0)) throw new RangeError('throttle settings must be positive');
  }

  get trackedCount(): number {
    return this.failures.size;
  }

  get blockedCount(): number {
    return this.blocks.size;
  }

  isTrusted(address: string): boolean {
    return this.trusted.has(sourceAddress(address));
  }

  /** Epoch ms when the block on `address` ends, or undefined when it is not blocked. */
  blockedUntil(address: string, now: number, events: AuthEvent[]): number | undefined {
    if (this.blocks.size === 0) return undefined;
    const key = sourceAddress(address).key;
    const until = this.blocks.get(key);
    if (until === undefined) return undefined;
    if (until > now) return until;
    this.blocks.delete(key);
    events.push({ event: 'auth.unblocked', address: key, why: 'expired' });
    return undefined;
  }

  /** Counts one failure; returns true when it made `address` blocked. */
  recordFailure(address: string, username: string | undefined, reason: AuthFailureReason, now: number, events: AuthEvent[]): boolean {
    const src = sourceAddress(address);
    if (this.trusted.has(src)) {
      events.push({ event: 'auth.failure', address: src.key, username, reason, count: 0, trusted: true });
      return false;
    }
    const times = this.failures.get(src.key) ?? [];
    this.failures.delete(src.key); // re-inserted last: least recently failed stays first
    let drop = 0;
    while (drop < times.length && times[drop]! <= now - this.windowMs) drop++;
    if (drop) times.splice(0, drop);
    times.push(now);
    const count = times.length;
    events.push({ event: 'auth.failure', address: src.key, username, reason, count, trusted: false });
    if (count < this.maxFailures) {
      this.failures.set(src.key, times);
      if (this.failures.size > this.maxTracked) this.failures.delete(this.failures.keys().next().value!);
      return false;
    }
    const until = now + this.blockMs;
    this.blocks.delete(src.key);
    this.blocks.set(src.key, until);
    events.push({ event: 'auth.blocked', address: src.key, username, count, until });
    if (this.blocks.size > this.maxBlocked) {
      const evicted = this.blocks.keys().next().value!;
      this.blocks.delete(evicted);
      events.push({ event: 'auth.unblocked', address: evicted, why: 'evicted' });
    }
    return true;
  }

  /**
   * Ends the blocks that are over (auth.unblocked for each) and forgets failures older than
   * the window. For the shell's periodic timer; blocks also end lazily in blockedUntil.
   */
  sweep(now: number, events: AuthEvent[]): void {
    for (const [key, until] of this.blocks) {
      if (until > now) break;
      this.blocks.delete(key);
      events.push({ event: 'auth.unblocked', address: key, why: 'expired' });
    }
    for (const [key, times] of this.failures) {
      if (times[times.length - 1]! > now - this.windowMs) break;
      this.failures.delete(key);
    }
  }

  /** When the next block ends (epoch ms), for the shell to time its sweep; undefined if none. */
  nextDeadline(): number | undefined {
    const first = this.blocks.values().next();
    return first.done ? undefined : first.value;
  }
}
