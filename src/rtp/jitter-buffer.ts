/**
 * Adaptive jitter buffer for one RTP audio stream, sans-IO: `push` gets each packet with
 * its arrival time (ms, from whatever clock the shell uses), `pop` is called once per
 * playout tick (one frame, 20 ms by default) and never reads a clock.
 *
 * Policy
 * - Storage: a ring of `capacity` slots indexed by extended sequence number (RFC 3550
 *   A.1 unwrapping), payloads copied into one preallocated byte array; nothing is
 *   allocated per packet. Playout follows sequence order; one packet is one tick.
 * - States: BUFFERING (pop answers 'empty': nothing to play, the source is silent) and
 *   PLAYING. Buffering ends when the span of buffered frames reaches the target delay, or
 *   when the oldest buffered packet has waited that long (a lone packet, e.g. Opus DTX
 *   comfort noise every 400 ms, must not wait for followers).
 * - PLAYING, per tick: the next packet is there -> 'frame'. It is missing but later ones
 *   are there -> 'conceal' (reason 'loss') and move on. Nothing is buffered -> 'conceal'
 *   (reason 'underrun') without moving on, so a merely late packet still plays (the delay
 *   grows by one frame, the right answer to lateness). After `maxUnderrunFrames`
 *   consecutive underruns the stream is taken as paused (DTX, hold, silence suppression)
 *   and the buffer goes back to BUFFERING; the next talk spurt re-buffers to the target.
 * - Late packets (sequence already played or skipped) are dropped and counted. Duplicates
 *   (RFC 3550 A.1 counts them separately) are dropped and counted. Reordered packets
 *   (older than the newest seen) are stored normally.
 * - Target delay: frame + 3 x RFC 3550 §6.4.1 interarrival jitter, bounded to
 *   [minDelayMs, maxDelayMs], rounded to the nearest whole frame (not up: a packet also
 *   waits for the next playout tick, on average half a frame, which is slack of its own;
 *   rounding up made 0.5 ms of jitter cost a whole extra 20 ms), with one frame of hysteresis. A late packet raises a hold on
 *   the target (delay in place + lateness) that decays by one frame every `holdDecayTicks`.
 * - Backlog: the occupancy (frames spanned from the next to play up to the newest
 *   received, holes included) is smoothed over ticks. Smoothed occupancy 1.5 frames above
 *   target -> one frame is dropped; 1.5 below -> one concealment frame is
 *   inserted ('conceal', reason 'stretch'). At most one such step per `adjustIntervalTicks`,
 *   so clock skew of a few percent (sender 1% fast or slow) is absorbed without unbounded
 *   latency or repeated underruns. Occupancy beyond maxDelayMs (a burst after a network
 *   stall) is cut back to the target at once.
 * - Discontinuities: an SSRC change resets the stream state (counters continue). A
 *   sequence jump beyond RFC 3550 A.1 MAX_DROPOUT / MAX_MISORDER is accepted only when
 *   the next packet follows it (two in a row, as A.1's probation), and then also resets.
 *   Timestamp jumps do not affect playout (sequence order); the jitter estimator ignores
 *   a jump that arrival times do not explain.
 *
 * The returned JitterOutput is one reused object; its `payload` is a view into the ring,
 * valid until the next push or pop. The view is cached per slot and length, so fixed-size
 * codecs (G.711, G.722) get it without allocation; a new length allocates one view.
 */
import { InterarrivalJitter } from './interarrival-jitter.js';
import { MAX_DROPOUT, MAX_MISORDER, seqDistance } from './sequence.js';
import type { ConcealReason, JitterBufferOptions, JitterOutput, JitterOutputKind, JitterStats } from './jitter-types.js';

export type { ConcealReason, JitterBufferOptions, JitterOutput, JitterOutputKind, JitterStats } from './jitter-types.js';


const EMPTY = new Uint8Array(0);
/** Target = frame + JITTER_FACTOR x J: covers uniform delay spread (spread = 3 J) and most of a Gaussian one. */
const JITTER_FACTOR = 3;
/** Smoothed occupancy must stray this many frames from the target before a drop or a stretch. */
const ADJUST_THRESHOLD = 1.5;
/** Packets older than the very first one that are still accepted (reordering at start-up). */
const START_REORDER_WINDOW = 8;

export class JitterBuffer {
  private readonly frameMs: number;
  private readonly frameTs: number;
  private readonly minFrames: number;
  private readonly maxFrames: number;
  private readonly capacity: number;
  private readonly slotBytes: number;
  private readonly maxUnderrun: number;
  private readonly adjustInterval: number;
  private readonly holdDecay: number;

  private readonly store: Uint8Array;
  private readonly slotSeq: Float64Array; // extended seq held by the slot, -1 when none
  private readonly slotPresent: Uint8Array; // 1 = waiting to play, 2 = played or skipped
  private readonly slotTs: Uint32Array;
  private readonly slotMarker: Uint8Array;
  private readonly slotTick: Float64Array;
  private readonly slotView: Uint8Array[];
  private readonly jitter: InterarrivalJitter;
  private readonly out: JitterOutput = { kind: 'empty', reason: 'none', payload: EMPTY, sequence: 0, timestamp: 0, marker: false };

  private started = false;
  private playing = false;
  private ssrc = -1;
  private firstExt = 0;
  private highestExt = 0;
  /** Next extended sequence number to play (or the lowest still acceptable while buffering). */
  private nextExt = 0;
  private lastTs = 0;
  private badSeq = -1;
  private tick = 0;
  private underrunRun = 0;
  private lastAdjustTick = 0;
  private smoothedOcc = 0;
  private holdFrames = 0;
  private jitterFrames = 0;
  private holdSetTick = 0;
  private receivedInStream = 0;
  private lostBefore = 0;
  private readonly counters = {
    received: 0,
    late: 0,
    duplicates: 0,
    reordered: 0,
    dropped: 0,
    discarded: 0,
    concealedLoss: 0,
    concealedUnderrun: 0,
    stretched: 0,
    resets: 0,
  };

  constructor(options: JitterBufferOptions) {
    this.frameMs = options.frameMs ?? 20;
    this.frameTs = Math.round((options.clockRate * this.frameMs) / 1000);
    this.minFrames = Math.max(1, Math.ceil((options.minDelayMs ?? 40) / this.frameMs));
    this.maxFrames = Math.max(this.minFrames, Math.ceil((options.maxDelayMs ?? 400) / this.frameMs));
    this.capacity = options.capacity ?? 50;
    if (this.capacity <= this.maxFrames + 2) throw new RangeError('jitter buffer capacity must exceed maxDelayMs / frameMs + 2');
    this.slotBytes = options.maxPayloadBytes ?? 480;
    this.maxUnderrun = options.maxUnderrunFrames ?? 5;
    this.adjustInterval = options.adjustIntervalTicks ?? 10;
    this.holdDecay = options.holdDecayTicks ?? 250;
    this.store = new Uint8Array(this.capacity * this.slotBytes);
    this.slotSeq = new Float64Array(this.capacity).fill(-1);
    this.slotPresent = new Uint8Array(this.capacity);
    this.slotTs = new Uint32Array(this.capacity);
    this.slotMarker = new Uint8Array(this.capacity);
    this.slotTick = new Float64Array(this.capacity);
    this.slotView = [];
    for (let i = 0; i < this.capacity; i++) this.slotView.push(this.store.subarray(i * this.slotBytes, i * this.slotBytes));
    this.jitter = new InterarrivalJitter(options.clockRate);
  }

  /**
   * Accept one packet. `ssrc`, when given, lets the buffer notice a new source
   * (RFC 3550 §8.2: a new SSRC is a new stream) and reset.
   */
  push(seq: number, timestamp: number, payload: Uint8Array, arrivalMs: number, marker = false, ssrc?: number): void {
    if (ssrc !== undefined && ssrc !== this.ssrc) {
      if (this.started) this.resetStream();
      this.ssrc = ssrc;
    }
    if (payload.length > this.slotBytes) {
      this.counters.discarded++;
      return;
    }
    if (!this.started) return this.startStream(seq, timestamp, payload, arrivalMs, marker);
    const delta = seqDistance(seq, this.highestExt & 0xffff);
    if (delta > MAX_DROPOUT || delta < -MAX_MISORDER) return this.suspectJump(seq, timestamp, payload, arrivalMs, marker);
    this.badSeq = -1;
    const ext = this.highestExt + delta;
    const slot = ext % this.capacity;
    if (this.slotSeq[slot] === ext) {
      this.counters.duplicates++;
      return;
    }
    if (ext < this.nextExt) {
      this.counters.late++;
      this.jitter.update(arrivalMs, timestamp);
      this.counters.received++;
      this.receivedInStream++;
      this.raiseHold(this.nextExt - ext);
      return;
    }
    if (ext >= this.nextExt + this.capacity) this.discardBelow(ext - this.capacity + 1);
    if (ext < this.firstExt) this.firstExt = ext;
    if (delta < 0) this.counters.reordered++;
    else this.highestExt = ext;
    this.jitter.update(arrivalMs, timestamp);
    this.counters.received++;
    this.receivedInStream++;
    this.store_(slot, ext, timestamp, payload, marker);
  }

  /** One playout tick: the next frame, a concealment, or nothing ('empty'). */
  pop(): JitterOutput {
    this.tick++;
    this.decayHold();
    if (!this.started) return this.emit('empty', 'none');
    if (!this.playing && !this.tryStartPlaying()) return this.emit('empty', 'none');
    const occ = this.highestExt - this.nextExt + 1;
    this.smoothedOcc += (Math.max(0, occ) - this.smoothedOcc) / 16;
    const target = this.targetFrames();
    if (occ > this.maxFrames + 1) this.dropFrames(occ - target);
    else if (this.tick - this.lastAdjustTick >= this.adjustInterval) {
      if (this.smoothedOcc > target + ADJUST_THRESHOLD && occ > target) {
        this.dropFrames(1);
      } else if (this.smoothedOcc < target - ADJUST_THRESHOLD && occ > 0) {
        this.lastAdjustTick = this.tick;
        this.smoothedOcc += 1;
        this.counters.stretched++;
        return this.emitConceal('stretch', this.nextExt);
      }
    }
    return this.playNext();
  }

  /** Forget everything about the stream (e.g. re-INVITE to another source); counters stay. */
  reset(): void {
    this.resetStream();
    this.ssrc = -1;
  }

  get stats(): JitterStats {
    const c = this.counters;
    const expected = this.started ? this.highestExt - this.firstExt + 1 : 0;
    const lostNow = Math.max(0, expected - this.receivedInStream);
    const occ = this.started && this.playing ? Math.max(0, this.highestExt - this.nextExt + 1) : this.bufferedWhileWaiting();
    return {
      ...c,
      lost: this.lostBefore + lostNow,
      targetDelayMs: this.targetFrames() * this.frameMs,
      bufferedMs: occ * this.frameMs,
      jitterMs: this.jitter.jitterMs,
    };
  }

  /**
   * Target delay in frames: frame + 3 J, bounded, or the late-packet hold if larger. The
   * jitter part is `raw` rounded to the nearest frame; it rises at once and falls only when
   * `raw` is a quarter frame below the rounding boundary (hysteresis), so the noise of the
   * estimate does not turn into drop/stretch churn. (Falling only at `raw < frames - 1`
   * suited rounding up; with rounding to nearest it kept 2 frames forever, since `raw` is
   * never below 1: one jitter spike cost 20 ms of latency for the rest of the call.)
   */
  targetFrames(): number {
    const raw = (this.frameMs + JITTER_FACTOR * this.jitter.jitterMs) / this.frameMs;
    if (raw > this.jitterFrames || raw < this.jitterFrames - 0.75) this.jitterFrames = Math.max(1, Math.round(raw));
    const t = Math.max(this.jitterFrames, this.holdFrames, this.minFrames);
    return t > this.maxFrames ? this.maxFrames : t;
  }

  private playNext(): JitterOutput {
    const ext = this.nextExt;
    const slot = ext % this.capacity;
    if (this.slotSeq[slot] === ext && this.slotPresent[slot] === 1) {
      this.underrunRun = 0;
      this.slotPresent[slot] = 2;
      this.nextExt++;
      const o = this.emit('frame', 'none');
      o.payload = this.slotView[slot]!;
      o.sequence = ext & 0xffff;
      o.timestamp = this.slotTs[slot]!;
      o.marker = this.slotMarker[slot] === 1;
      this.lastTs = o.timestamp;
      return o;
    }
    if (this.highestExt > ext) {
      // A hole with later packets behind it: this one is lost (or will arrive too late).
      this.underrunRun = 0;
      this.nextExt++;
      this.counters.concealedLoss++;
      return this.emitConceal('loss', ext);
    }
    // Nothing buffered at all: wait for the packet, conceal meanwhile, give up after a while.
    if (++this.underrunRun > this.maxUnderrun) {
      this.playing = false;
      this.underrunRun = 0;
      return this.emit('empty', 'none');
    }
    this.counters.concealedUnderrun++;
    return this.emitConceal('underrun', ext);
  }

  private tryStartPlaying(): boolean {
    const lowest = this.lowestBuffered();
    if (lowest < 0) return false;
    const span = this.highestExt - lowest + 1;
    const waited = this.tick - this.slotTick[lowest % this.capacity]!;
    const target = this.targetFrames();
    if (span < target && waited < target) return false;
    this.nextExt = lowest;
    this.playing = true;
    this.underrunRun = 0;
    this.smoothedOcc = span;
    this.lastAdjustTick = this.tick;
    return true;
  }

  /** Lowest extended seq waiting to play at or after nextExt, or -1. */
  private lowestBuffered(): number {
    for (let e = this.nextExt; e <= this.highestExt; e++) {
      const s = e % this.capacity;
      if (this.slotSeq[s] === e && this.slotPresent[s] === 1) return e;
    }
    return -1;
  }

  private bufferedWhileWaiting(): number {
    if (!this.started) return 0;
    const lowest = this.lowestBuffered();
    return lowest < 0 ? 0 : this.highestExt - lowest + 1;
  }

  private dropFrames(n: number): void {
    for (let i = 0; i < n && this.nextExt <= this.highestExt; i++) {
      const slot = this.nextExt % this.capacity;
      if (this.slotSeq[slot] === this.nextExt && this.slotPresent[slot] === 1) {
        this.slotPresent[slot] = 2;
        this.counters.dropped++;
      }
      this.nextExt++;
      this.smoothedOcc -= 1;
    }
    this.lastAdjustTick = this.tick;
  }

  /** A packet too far ahead for the ring: frames older than its window are dropped. */
  private discardBelow(newNext: number): void {
    for (; this.nextExt < newNext; this.nextExt++) {
      const slot = this.nextExt % this.capacity;
      if (this.slotSeq[slot] === this.nextExt && this.slotPresent[slot] === 1) {
        this.slotPresent[slot] = 2;
        this.counters.dropped++;
      }
    }
  }

  private store_(slot: number, ext: number, ts: number, payload: Uint8Array, marker: boolean): void {
    const len = payload.length;
    this.store.set(payload, slot * this.slotBytes);
    if (this.slotView[slot]!.length !== len) {
      this.slotView[slot] = this.store.subarray(slot * this.slotBytes, slot * this.slotBytes + len);
    }
    this.slotSeq[slot] = ext;
    this.slotPresent[slot] = 1;
    this.slotTs[slot] = ts;
    this.slotMarker[slot] = marker ? 1 : 0;
    this.slotTick[slot] = this.tick;
  }

  private startStream(seq: number, ts: number, payload: Uint8Array, arrivalMs: number, marker: boolean): void {
    this.started = true;
    this.playing = false;
    const ext = 65536 + seq; // room below for reordered packets
    this.firstExt = ext;
    this.highestExt = ext;
    this.nextExt = ext - START_REORDER_WINDOW; // packets overtaken by the first one still fit
    this.receivedInStream = 1;
    this.counters.received++;
    this.jitter.update(arrivalMs, ts);
    this.store_(ext % this.capacity, ext, ts, payload, marker);
  }

  /** RFC 3550 A.1: a big jump is believed only when the next packet continues from it. */
  private suspectJump(seq: number, ts: number, payload: Uint8Array, arrivalMs: number, marker: boolean): void {
    if (seq === this.badSeq) {
      this.resetStream();
      this.startStream(seq, ts, payload, arrivalMs, marker);
      return;
    }
    this.badSeq = (seq + 1) & 0xffff;
    this.counters.discarded++;
  }

  private resetStream(): void {
    if (this.started) {
      this.lostBefore += Math.max(0, this.highestExt - this.firstExt + 1 - this.receivedInStream);
      this.counters.resets++;
    }
    this.started = false;
    this.playing = false;
    this.slotSeq.fill(-1);
    this.slotPresent.fill(0);
    this.badSeq = -1;
    this.underrunRun = 0;
    this.receivedInStream = 0;
    this.jitter.reset();
  }

  private raiseHold(latenessFrames: number): void {
    // Based on the delay actually in place (the buffer may still be growing towards the target).
    const want = Math.min(this.maxFrames, Math.ceil(this.smoothedOcc) + latenessFrames);
    if (want > this.holdFrames) this.holdFrames = want;
    this.holdSetTick = this.tick;
  }

  private decayHold(): void {
    if (this.holdFrames > 0 && this.tick - this.holdSetTick >= this.holdDecay) {
      this.holdFrames--;
      this.holdSetTick = this.tick;
    }
  }

  private emitConceal(reason: ConcealReason, ext: number): JitterOutput {
    const o = this.emit('conceal', reason);
    o.sequence = ext & 0xffff;
    o.timestamp = (this.lastTs + this.frameTs) >>> 0;
    this.lastTs = o.timestamp;
    return o;
  }

  private emit(kind: JitterOutputKind, reason: ConcealReason): JitterOutput {
    const o = this.out;
    o.kind = kind;
    o.reason = reason;
    o.payload = EMPTY;
    o.marker = false;
    return o;
  }
}
