/**
 * The SharedArrayBuffer through which one room spans several workers.
 *
 * Layout (all offsets in bytes, little-endian host order, one buffer per room):
 *
 *   header (Int32 x 8)
 *     [0] hostMask      bit w set: worker w hosts participants of this room (engine writes)
 *     [1] roomRate      8000 or 16000, the rate every host mixes at (engine writes)
 *     [2] ownersPresent owners in the room across all workers (engine writes)
 *   then for each worker slot w in [0, maxWorkers), two generations g = tick & 1:
 *     stamp    Int32          tick number of the data, -1 while being written
 *     count    Int32          candidates published (<= maxTalkers)
 *     ids      Int32  x N     global participant numbers
 *     scores   Float64 x N    ranking scores (TalkerSelector.score)
 *     frames   Int16 x N x 320  the candidates' PCM at roomRate for that tick
 *
 * Synchronisation, per tick k (every worker shares the tick epoch, so k means the same
 * 20 ms everywhere — see clock/tick-schedule.ts):
 *  1. phase 0, at the deadline of k: each host decodes its own participants, picks its
 *     local N loudest, writes them into generation k & 1 of its slot, and publishes with
 *     Atomics.store(stamp, k) (release: the data written before is visible to any thread
 *     that then reads stamp === k with Atomics.load).
 *  2. phase 1, `spanWaitMs` later (5 ms by default): each host reads every other host's
 *     slot for generation k & 1. If its stamp is k, the candidates are taken (and the stamp
 *     is re-read after copying, a seqlock check, so a torn read is discarded); if not, that
 *     worker is late for tick k and contributes nothing to this tick (counted as
 *     `spanLate`). Every host then applies the same deterministic rule (pickLoudest: score,
 *     ties to the lower participant number) to the same candidates, so all hosts mix the
 *     same global N talkers, each adding the others' frames to its own local sum.
 *  3. Generations alternate, so a host already writing tick k+1 never touches what the
 *     others may still read for tick k. No thread ever blocks (no Atomics.wait on the
 *     event loop): a late worker costs a missing contribution for a tick, never a stall.
 * Publishing frames of the local candidates (not a partial sum) keeps this to one phase:
 * a partial sum could only be built after the global choice is known, which would need a
 * second exchange per tick. With N = 3 it is 3 x 640 bytes per host per tick.
 */
export const SPAN_FRAME = 320; // 20 ms at 16 kHz
const HEADER_INTS = 8;

export class RoomSpan {
  readonly header: Int32Array;
  private readonly stamps: Int32Array[] = [];
  private readonly counts: Int32Array[] = [];
  private readonly ids: Int32Array[] = [];
  private readonly scores: Float64Array[] = [];
  private readonly frames: Int16Array[][] = [];

  constructor(readonly buffer: SharedArrayBuffer, readonly maxWorkers: number, readonly maxTalkers: number) {
    this.header = new Int32Array(buffer, 0, HEADER_INTS);
    let off = HEADER_INTS * 4;
    for (let w = 0; w < maxWorkers; w++) {
      for (let g = 0; g < 2; g++) {
        this.stamps.push(new Int32Array(buffer, off, 1));
        this.counts.push(new Int32Array(buffer, off + 4, 1));
        off += 8;
        this.scores.push(new Float64Array(buffer, off, maxTalkers));
        off += 8 * maxTalkers;
        this.ids.push(new Int32Array(buffer, off, maxTalkers));
        off += 4 * maxTalkers;
        const fr: Int16Array[] = [];
        for (let t = 0; t < maxTalkers; t++) {
          fr.push(new Int16Array(buffer, off, SPAN_FRAME));
          off += 2 * SPAN_FRAME;
        }
        this.frames.push(fr);
        off = (off + 7) & ~7;
      }
    }
  }

  static byteLength(maxWorkers: number, maxTalkers: number): number {
    const gen = (8 + 12 * maxTalkers + 2 * SPAN_FRAME * maxTalkers + 7) & ~7;
    return HEADER_INTS * 4 + maxWorkers * 2 * gen;
  }

  /** A fresh span buffer (main thread), every stamp at -1. */
  static create(maxWorkers: number, maxTalkers: number, rate: number): RoomSpan {
    const span = new RoomSpan(new SharedArrayBuffer(RoomSpan.byteLength(maxWorkers, maxTalkers)), maxWorkers, maxTalkers);
    for (const s of span.stamps) s[0] = -1;
    Atomics.store(span.header, 1, rate);
    return span;
  }

  get hostMask(): number {
    return Atomics.load(this.header, 0);
  }
  get rate(): number {
    return Atomics.load(this.header, 1);
  }
  get ownersPresent(): number {
    return Atomics.load(this.header, 2);
  }

  /** Engine side: who hosts, at what rate, how many owners. */
  setHost(worker: number, hosting: boolean): void {
    if (hosting) Atomics.or(this.header, 0, 1 << worker);
    else Atomics.and(this.header, 0, ~(1 << worker));
  }
  setRate(rate: number): void {
    Atomics.store(this.header, 1, rate);
  }
  addOwners(delta: number): void {
    Atomics.add(this.header, 2, delta);
  }

  /** True when a worker other than `self` hosts part of the room. */
  spansBeyond(self: number): boolean {
    return (this.hostMask & ~(1 << self)) !== 0;
  }

  /** Phase 0: publish this worker's candidates for `tick`. */
  publish(self: number, tick: number, count: number, ids: Int32Array, scores: ArrayLike<number>, frames: readonly Int16Array[], samples: number): void {
    const i = self * 2 + (tick & 1);
    const stamp = this.stamps[i]!;
    Atomics.store(stamp, 0, -1);
    const n = Math.min(count, this.maxTalkers);
    this.counts[i]![0] = n;
    for (let t = 0; t < n; t++) {
      this.ids[i]![t] = ids[t]!;
      this.scores[i]![t] = scores[t]!;
      this.frames[i]![t]!.set(frames[t]!.subarray(0, samples));
    }
    Atomics.store(stamp, 0, tick);
  }

  /**
   * Phase 1: copy worker `w`'s candidates for `tick` into the caller's arrays (appending at
   * `at`); returns how many were taken, or -1 when `w` has not published `tick` (late).
   */
  read(w: number, tick: number, ids: Int32Array, scores: Float64Array, frames: Int16Array[], at: number, samples: number): number {
    const i = w * 2 + (tick & 1);
    const stamp = this.stamps[i]!;
    if (Atomics.load(stamp, 0) !== tick) return -1;
    const n = Math.min(this.counts[i]![0]!, this.maxTalkers, ids.length - at);
    for (let t = 0; t < n; t++) {
      ids[at + t] = this.ids[i]![t]!;
      scores[at + t] = this.scores[i]![t]!;
      frames[at + t]!.set(this.frames[i]![t]!.subarray(0, samples));
    }
    return Atomics.load(stamp, 0) === tick ? n : -1;
  }
}
