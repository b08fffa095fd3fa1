/**
 * Hands out RTP ports from the configured range (`rtp.ports`): even numbers only (RFC 3550
 * §11: RTP on an even port, RTCP on the next odd one, which stays free for a peer that
 * does not multiplex), next-fit so a port just released is not reused at once (late
 * packets of the old call would land in the new one).
 */
export class PortAllocator {
  private readonly used = new Set<number>();
  private next: number;

  constructor(
    readonly min: number,
    readonly max: number,
  ) {
    if (min >= max) throw new RangeError(`empty RTP port range ${min}-${max}`);
    this.next = min + (min & 1);
  }

  /** Ports still available. */
  get free(): number {
    return Math.floor((this.max - (this.min + (this.min & 1))) / 2) + 1 - this.used.size;
  }

  allocate(): number {
    const first = this.next;
    do {
      const port = this.next;
      this.next += 2;
      if (this.next > this.max) this.next = this.min + (this.min & 1);
      if (!this.used.has(port)) {
        this.used.add(port);
        return port;
      }
    } while (this.next !== first);
    throw new Error(`no free RTP port in ${this.min}-${this.max}`);
  }

  /** Take a specific port (the caller chose it). */
  reserve(port: number): void {
    this.used.add(port);
  }

  release(port: number): void {
    this.used.delete(port);
  }
}
