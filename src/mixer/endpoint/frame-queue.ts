/**
 * The jitter buffer contract the mixer programs against: `push` on arrival, `pop` once per
 * tick (null: nothing to play this tick, the caller conceals or stays silent).
 *
 * TEMPORARY: src/rtp/jitter-buffer.ts (the adaptive one, owned by the rtp module) has not
 * landed yet. Until it does, `SequenceFrameQueue` below is a deliberately small stand-in:
 * it reorders by sequence number within a fixed window and bounds the backlog, but it does
 * not adapt its depth or estimate skew. `createJitterBuffer` is the one place to switch.
 */
export interface JitterBufferLike<T> {
  push(seq: number, ts: number, payload: T, arrivalMs: number): void;
  pop(): T | null;
  /** Frames waiting. */
  readonly depth: number;
}

/** Reorders within `capacity` frames; plays out from the lowest sequence number it holds. */
export class SequenceFrameQueue<T> implements JitterBufferLike<T> {
  private readonly slots: (T | null)[];
  private readonly seqs: Int32Array;
  private next = -1; // next sequence number to play, -1 before the first packet
  private count = 0;
  /** Packets dropped because they came after their turn or overflowed the backlog. */
  discarded = 0;

  constructor(private readonly capacity = 4) {
    this.slots = new Array<T | null>(capacity).fill(null);
    this.seqs = new Int32Array(capacity).fill(-1);
  }

  get depth(): number {
    return this.count;
  }

  push(seq: number, _ts: number, payload: T, _arrivalMs: number): void {
    if (this.next < 0) this.next = seq;
    const ahead = (seq - this.next) & 0xffff;
    if (ahead >= 0x8000) {
      this.discarded++; // late: its turn has passed
      return;
    }
    if (ahead >= this.capacity) {
      // Bounded backlog: jump forward so this packet fits, dropping the oldest.
      const skip = ahead - this.capacity + 1;
      for (let i = 0; i < skip; i++) this.dropAt(this.next + i);
      this.next = (this.next + skip) & 0xffff;
    }
    const i = seq % this.capacity;
    if (this.seqs[i] !== seq) {
      if (this.slots[i] === null) this.count++;
      this.slots[i] = payload;
      this.seqs[i] = seq;
    }
  }

  pop(): T | null {
    if (this.next < 0 || this.count === 0) return null;
    const seq = this.next;
    const i = seq % this.capacity;
    this.next = (seq + 1) & 0xffff;
    if (this.seqs[i] !== seq) return null;
    const p = this.slots[i]!;
    this.slots[i] = null;
    this.seqs[i] = -1;
    this.count--;
    return p;
  }

  private dropAt(seq: number): void {
    const i = (seq & 0xffff) % this.capacity;
    if (this.seqs[i] === (seq & 0xffff) && this.slots[i] !== null) {
      this.slots[i] = null;
      this.seqs[i] = -1;
      this.count--;
      this.discarded++;
    }
  }
}

export function createJitterBuffer<T>(): JitterBufferLike<T> {
  return new SequenceFrameQueue<T>(4);
}
