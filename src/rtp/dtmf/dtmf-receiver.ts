/**
 * Sans-IO RFC 4733 receiver: turns telephone-event packets into digits, each reported
 * exactly once, with its duration.
 *
 * - An event is identified by its RTP timestamp (§2.5.1.1-2.5.1.2: all packets of one event
 *   carry the event's start time); updates only lengthen it.
 * - It is reported when the first packet with the E bit arrives (§2.5.1.4: the final packet
 *   is sent three times; the copies, and any update that arrives after the end, are ignored
 *   by remembering the timestamps of recently finished events).
 * - If the end packets are all lost, the event is reported when a packet of a later event
 *   arrives, or by `poll(nowMs)` once no packet has come for `timeoutMs` (receiver
 *   procedures, §2.5.2: an event whose updates stop is over).
 * - Long events are sent in segments of at most 0xFFFF units, each new segment timestamped
 *   at the previous start plus that duration (§2.5.1.3): segments of the same event code
 *   that continue exactly are merged into one digit.
 * - Only the last event block of a packet is used (multi-event packets, §2.5.1.5, carry the
 *   older events first); packets of other payload types never reach this class.
 */
import { parseTelephoneEvent, newTelephoneEvent, eventToChar, MAX_EVENT_DURATION, TELEPHONE_EVENT_SIZE } from './telephone-event.js';

export interface DtmfDigit {
  /** '0'-'9', '*', '#', 'A'-'D', '!' (flash), or '' for a non-DTMF event code. */
  digit: string;
  event: number;
  /** RTP timestamp of the event's start (of its first segment). */
  timestamp: number;
  durationMs: number;
  /** Volume of the last packet, in -dBm0 (0 loudest). */
  volume: number;
  /** How it ended: its E bit, a later event, or the receive timeout. */
  endedBy: 'end-bit' | 'next-event' | 'timeout';
}

const RECENT = 8;

export class DtmfReceiver {
  private readonly ev = newTelephoneEvent();
  private active = false;
  private activeTs = 0;
  private activeEvent = 0;
  private segmentBase = 0; // units in earlier segments of the active event
  private duration = 0; // units in the current segment
  private volume = 0;
  private firstTs = 0;
  private lastPacketMs = 0;
  private readonly recent = new Float64Array(RECENT).fill(-1);
  private recentPos = 0;

  constructor(
    readonly clockRate = 8000,
    private readonly timeoutMs = 500,
  ) {}

  /** The digit being held right now (for barge-in), or '' when none. */
  get current(): string {
    return this.active ? eventToChar(this.activeEvent) : '';
  }

  /**
   * One telephone-event packet (its RTP timestamp and payload). Returns the digit that
   * this packet completes, if any.
   */
  push(timestamp: number, payload: Uint8Array, arrivalMs: number): DtmfDigit | undefined {
    const n = payload.length - (payload.length % TELEPHONE_EVENT_SIZE);
    if (n < TELEPHONE_EVENT_SIZE) return undefined;
    parseTelephoneEvent(payload, n - TELEPHONE_EVENT_SIZE, TELEPHONE_EVENT_SIZE, this.ev);
    const ev = this.ev;
    if (this.isRecent(timestamp)) return undefined; // a copy of a finished event's packets
    let finished: DtmfDigit | undefined;
    if (this.active && timestamp !== this.activeTs) {
      if (this.continuesSegment(timestamp, ev.event)) {
        this.segmentBase += this.duration;
        this.duration = 0;
        this.activeTs = timestamp;
      } else {
        finished = this.finish('next-event');
      }
    }
    if (!this.active) {
      this.active = true;
      this.activeTs = timestamp;
      this.firstTs = timestamp;
      this.activeEvent = ev.event;
      this.segmentBase = 0;
      this.duration = 0;
    }
    if (ev.duration > this.duration) this.duration = ev.duration;
    this.volume = ev.volume;
    this.lastPacketMs = arrivalMs;
    if (ev.end) return this.finish('end-bit');
    return finished;
  }

  /** Report an event whose end packets never came, once `timeoutMs` has passed. */
  poll(nowMs: number): DtmfDigit | undefined {
    if (this.active && nowMs - this.lastPacketMs >= this.timeoutMs) return this.finish('timeout');
    return undefined;
  }

  private continuesSegment(timestamp: number, event: number): boolean {
    return event === this.activeEvent && this.duration >= MAX_EVENT_DURATION && ((this.activeTs + this.duration) >>> 0) === timestamp;
  }

  private finish(endedBy: DtmfDigit['endedBy']): DtmfDigit {
    this.active = false;
    this.remember(this.activeTs);
    return {
      digit: eventToChar(this.activeEvent),
      event: this.activeEvent,
      timestamp: this.firstTs,
      durationMs: ((this.segmentBase + this.duration) * 1000) / this.clockRate,
      volume: this.volume,
      endedBy,
    };
  }

  private remember(ts: number): void {
    this.recent[this.recentPos] = ts;
    this.recentPos = (this.recentPos + 1) % RECENT;
  }

  private isRecent(ts: number): boolean {
    for (let i = 0; i < RECENT; i++) if (this.recent[i] === ts) return true;
    return false;
  }
}
