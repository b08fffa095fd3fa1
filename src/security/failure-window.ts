/**
 * Failures per key in a sliding window, and blocks with an end time: the counting core of
 * brute-force throttling ("brute force is throttled"), shared by the SIP digest throttle
 * (../sip/auth/brute-force-throttle.ts, keys = source addresses) and the conference PIN
 * throttle (../app/conference/pin-guess-throttle.ts, keys = callers). Sans-IO: the caller
 * passes `now` (epoch ms); nothing here reads a clock or arms a timer.
 *
 * - `maxFailures` failures of one key inside a sliding `windowMs` block the key for `blockMs`.
 *   The failure that blocks clears the key's record, so after the block the count starts
 *   from zero.
 * - Nothing clears a count but the window: what a success means is the user's decision.
 *
 * Memory under a flood of keys: at most `maxTracked` failure records (the one whose last
 * failure is oldest goes first) and `maxBlocked` blocks (the one ending first goes first,
 * reported to the caller as evicted).
 */

export interface FailureWindowOptions {
  /** Failures inside the window that block the key (>= 1). */
  maxFailures: number;
  /** Sliding window, ms (> 0). */
  windowMs: number;
  /** How long a block lasts, ms (> 0). */
  blockMs: number;
  /** Cap on keys with failures on record. Default 10000. */
  maxTracked?: number;
  /** Cap on keys blocked at once. Default 10000. */
  maxBlocked?: number;
}

/** What one failure did. */
export interface FailureCount {
  /** Failures of the key inside the window, this one included. */
  count: number;
  /** Epoch ms when the block this failure started ends; undefined when it started none. */
  blockedUntil?: number;
  /** A key whose block was dropped to make room for this one (the cap on blocks). */
  evicted?: string;
}

/** Told of each block that ends: it ran out, or was pushed out by the cap. */
export type UnblockListener = (key: string, why: 'expired' | 'evicted') => void;

export class FailureWindow {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly blockMs: number;
  private readonly maxTracked: number;
  private readonly maxBlocked: number;
  /** Failure times per key, least recently failed first. */
  private readonly failures = new Map<string, number[]>();
  /** Block end per key, in block order (= end order, the block time being fixed). */
  private readonly blocks = new Map<string, number>();

  constructor(opts: FailureWindowOptions) {
    this.maxFailures = opts.maxFailures;
    this.windowMs = opts.windowMs;
    this.blockMs = opts.blockMs;
    this.maxTracked = opts.maxTracked ?? 10_000;
    this.maxBlocked = opts.maxBlocked ?? 10_000;
    if (!(this.maxFailures >= 1) || !(this.windowMs > 0) || !(this.blockMs > 0)) throw new RangeError('throttle settings must be positive');
  }

  get trackedCount(): number {
    return this.failures.size;
  }

  get blockedCount(): number {
    return this.blocks.size;
  }

  /** Epoch ms when the block on `key` ends, or undefined when it is not blocked (a block that ran out ends here). */
  blockedUntil(key: string, now: number, unblocked?: UnblockListener): number | undefined {
    if (this.blocks.size === 0) return undefined;
    const until = this.blocks.get(key);
    if (until === undefined) return undefined;
    if (until > now) return until;
    this.blocks.delete(key);
    unblocked?.(key, 'expired');
    return undefined;
  }

  /** Counts one failure of `key` at `now`. */
  recordFailure(key: string, now: number): FailureCount {
    const times = this.failures.get(key) ?? [];
    this.failures.delete(key); // re-inserted last: least recently failed stays first
    let drop = 0;
    while (drop < times.length && times[drop]! <= now - this.windowMs) drop++;
    if (drop) times.splice(0, drop);
    times.push(now);
    const count = times.length;
    if (count < this.maxFailures) {
      this.failures.set(key, times);
      if (this.failures.size > this.maxTracked) this.failures.delete(this.failures.keys().next().value!);
      return { count };
    }
    const until = now + this.blockMs;
    this.blocks.delete(key);
    this.blocks.set(key, until);
    if (this.blocks.size <= this.maxBlocked) return { count, blockedUntil: until };
    const evicted = this.blocks.keys().next().value!;
    this.blocks.delete(evicted);
    return { count, blockedUntil: until, evicted };
  }

  /**
   * Ends the blocks that are over (told to `unblocked`) and forgets failures older than the
   * window. For a shell's periodic timer; blocks also end lazily in blockedUntil.
   */
  sweep(now: number, unblocked?: UnblockListener): void {
    for (const [key, until] of this.blocks) {
      if (until > now) break;
      this.blocks.delete(key);
      unblocked?.(key, 'expired');
    }
    for (const [key, times] of this.failures) {
      if (times[times.length - 1]! > now - this.windowMs) break;
      this.failures.delete(key);
    }
  }

  /** When the next block ends (epoch ms), for a shell to time its sweep; undefined if none. */
  nextDeadline(): number | undefined {
    const first = this.blocks.values().next();
    return first.done ? undefined : first.value;
  }
}
