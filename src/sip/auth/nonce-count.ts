/**
 * Nonce-count replay protection (RFC 7616 §3.4, §5.5; RFC 3261 §22.4): for each nonce the
 * highest `nc` accepted so far; a request must bring a higher one.
 *
 * Memory is bounded two ways:
 * - A record is made only after a response digest has been verified, so a client without a
 *   password cannot add records, however many requests it sends.
 * - At most `maxEntries` records are kept; the oldest is evicted first. Because a forgotten
 *   nonce could otherwise be replayed, the latest issue time among evicted nonces is kept as
 *   a watermark, and any nonce issued at or before it that has no record is `forgotten`:
 *   the authenticator answers it stale=true, and the client simply takes a fresh nonce.
 * Records of expired nonces are dropped as they reach the front (they are refused as stale
 * by their age before this tracker is asked).
 */

interface CountRecord {
  nc: number;
  issuedAt: number;
  expiresAt: number;
}

export type NonceCountVerdict = 'fresh' | 'replay' | 'forgotten';

export class NonceCountTracker {
  private readonly records = new Map<string, CountRecord>();
  private evictedUpTo = -Infinity;

  constructor(private readonly maxEntries = 65_536) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
  }

  get size(): number {
    return this.records.size;
  }

  /** Issue time of a nonce that has a record (it was verified when the record was made). */
  issuedAt(nonce: string): number | undefined {
    return this.records.get(nonce)?.issuedAt;
  }

  /**
   * Records `nc` for `nonce` when it is higher than every count seen for that nonce.
   * `issuedAt` and `expiresAt` come from the (already verified) nonce itself.
   */
  accept(nonce: string, nc: number, issuedAt: number, expiresAt: number, now: number): NonceCountVerdict {
    this.dropExpired(now);
    const rec = this.records.get(nonce);
    if (rec) {
      if (nc <= rec.nc) return 'replay';
      rec.nc = nc;
      return 'fresh';
    }
    if (issuedAt <= this.evictedUpTo) return 'forgotten';
    this.records.set(nonce, { nc, issuedAt, expiresAt });
    if (this.records.size > this.maxEntries) this.evictOldest();
    return 'fresh';
  }

  private evictOldest(): void {
    const first = this.records.entries().next();
    if (first.done) return;
    const [nonce, rec] = first.value;
    this.records.delete(nonce);
    if (rec.issuedAt > this.evictedUpTo) this.evictedUpTo = rec.issuedAt;
  }

  /** Amortised clean-up: a few expired records from the front per call. */
  private dropExpired(now: number): void {
    let budget = 4;
    for (const [nonce, rec] of this.records) {
      if (budget-- === 0 || rec.expiresAt > now) return;
      this.records.delete(nonce);
    }
  }
}
