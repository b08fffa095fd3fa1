/**
 * Sans-IO RFC 4733 sender: the telephone-event packet sequence for queued digits, driven
 * by the media tick. Per tick, `poll(mediaTimestamp, buf)` is called with the RTP timestamp
 * an audio packet of this tick would carry; it writes the 4-byte payload of the packet due
 * now, if any, and describes it in the returned (reused) object.
 *
 * Sequence for one digit (§2.5.1):
 *  - start (§2.5.1.1): first packet on the start tick, marker bit set, RTP timestamp = the
 *    event's start, duration = the ticks covered so far (one tick: the packet covers the
 *    media of the tick it is sent on, like an audio packet);
 *  - updates (§2.5.1.2): same timestamp, growing duration, every `updateIntervalMs`
 *    (50 ms; on 20 ms ticks the first tick at or after 50 ms since the last packet);
 *  - end (§2.5.1.4): once the duration is reached, the E bit, and the final packet sent
 *    three times in all, at the update interval;
 *  - longer than 0xFFFF units (§2.5.1.3): the event continues in a new segment whose
 *    timestamp is the previous one plus 0xFFFF, without the marker bit;
 *  - then `interDigitGapMs` of nothing before the next queued digit.
 * While `busy`, the caller should send these instead of audio (§2.5.1.1 is silent on it;
 * sending both makes receivers double-detect in-band).
 */
import { charToEvent, formatTelephoneEvent, MAX_EVENT_DURATION, newTelephoneEvent, TELEPHONE_EVENT_SIZE } from './telephone-event.js';

export interface DtmfSenderOptions {
  clockRate?: number;
  tickMs?: number;
  updateIntervalMs?: number;
  /** -dBm0, 0..63 (default 10). */
  volume?: number;
  /** Copies of the final packet (default 3, §2.5.1.4). */
  endPackets?: number;
  interDigitGapMs?: number;
}

export interface DtmfPacket {
  /** Payload bytes written (4). */
  length: number;
  marker: boolean;
  /** RTP timestamp of the packet: the start of the event (segment). */
  timestamp: number;
  end: boolean;
  /** The event's duration so far, in timestamp units. */
  duration: number;
}

interface Queued {
  event: number;
  durationUnits: number;
}

export class DtmfSender {
  private readonly clockRate: number;
  private readonly tickUnits: number;
  private readonly updateUnits: number;
  private readonly volume: number;
  private readonly endPackets: number;
  private readonly gapUnits: number;
  private readonly queue: Queued[] = [];
  private readonly ev = newTelephoneEvent();
  private readonly packet: DtmfPacket = { length: 0, marker: false, timestamp: 0, end: false, duration: 0 };
  private current: Queued | undefined;
  private segmentTs = 0;
  private segmentStartTick = 0;
  private sentBefore = 0; // units sent in earlier segments
  private tick = 0;
  private lastSentTick = 0;
  private endsSent = 0;
  private first = false;
  private gapUntilTick = 0;

  constructor(options: DtmfSenderOptions = {}) {
    this.clockRate = options.clockRate ?? 8000;
    const tickMs = options.tickMs ?? 20;
    this.tickUnits = (this.clockRate * tickMs) / 1000;
    this.updateUnits = (this.clockRate * (options.updateIntervalMs ?? 50)) / 1000;
    this.volume = options.volume ?? 10;
    this.endPackets = options.endPackets ?? 3;
    this.gapUnits = (this.clockRate * (options.interDigitGapMs ?? 50)) / 1000;
  }

  /** Queue digits ("0"-"9", "*", "#", "A"-"D", "!" flash), each held `durationMs` (min one tick). */
  send(digits: string, durationMs = 100): void {
    for (const ch of digits) {
      const event = charToEvent(ch);
      if (event < 0) throw new RangeError(`not a DTMF digit: ${JSON.stringify(ch)}`);
      const units = Math.max(this.tickUnits, Math.round((durationMs * this.clockRate) / 1000 / this.tickUnits) * this.tickUnits);
      this.queue.push({ event, durationUnits: units });
    }
  }

  /** True while an event is being sent (or its end repeated) or digits wait. */
  get busy(): boolean {
    return this.current !== undefined || this.queue.length > 0;
  }

  /** One tick: writes the packet due now into buf[offset] and describes it, or returns null. */
  poll(mediaTimestamp: number, buf: Uint8Array, offset = 0): DtmfPacket | null {
    const tick = this.tick++;
    if (!this.current) {
      if (this.queue.length === 0 || tick < this.gapUntilTick) return null;
      this.current = this.queue.shift()!;
      this.segmentTs = mediaTimestamp >>> 0;
      this.segmentStartTick = tick;
      this.sentBefore = 0;
      this.endsSent = 0;
      this.first = true;
    }
    return this.step(tick, buf, offset);
  }

  private step(tick: number, buf: Uint8Array, offset: number): DtmfPacket | null {
    const cur = this.current!;
    const covered = (tick - this.segmentStartTick + 1) * this.tickUnits;
    const remaining = cur.durationUnits - this.sentBefore;
    if (this.endsSent > 0) {
      // §2.5.1.4: repeat the final packet at the update interval.
      if ((tick - this.lastSentTick) * this.tickUnits < this.updateUnits) return null;
      return this.emit(tick, remaining, true, buf, offset);
    }
    if (covered >= remaining && remaining <= MAX_EVENT_DURATION) return this.emit(tick, remaining, true, buf, offset);
    if (covered >= MAX_EVENT_DURATION) {
      // §2.5.1.3: close this segment at 0xFFFF and continue in a new one.
      this.emit(tick, MAX_EVENT_DURATION, false, buf, offset);
      this.sentBefore += MAX_EVENT_DURATION;
      this.segmentTs = (this.segmentTs + MAX_EVENT_DURATION) >>> 0;
      this.segmentStartTick = tick + 1 - (covered - MAX_EVENT_DURATION) / this.tickUnits;
      return this.packet;
    }
    if (!this.first && (tick - this.lastSentTick) * this.tickUnits < this.updateUnits) return null;
    return this.emit(tick, covered, false, buf, offset);
  }

  private emit(tick: number, duration: number, end: boolean, buf: Uint8Array, offset: number): DtmfPacket {
    const ev = this.ev;
    ev.event = this.current!.event;
    ev.end = end;
    ev.volume = this.volume;
    ev.duration = duration;
    formatTelephoneEvent(ev, buf, offset);
    const p = this.packet;
    p.length = TELEPHONE_EVENT_SIZE;
    p.marker = this.first && this.sentBefore === 0;
    p.timestamp = this.segmentTs;
    p.end = end;
    p.duration = duration;
    this.first = false;
    this.lastSentTick = tick;
    if (end && ++this.endsSent >= this.endPackets) {
      this.current = undefined;
      this.gapUntilTick = tick + 1 + Math.ceil(this.gapUnits / this.tickUnits);
    }
    return p;
  }
}
