/**
 * RFC 4733 events relayed from one leg to the other, each leg in the form it negotiated.
 *
 * RFC 4733 §2.1: events "MUST use the same sequence number and timestamp base as the
 * regular audio channel", and a telephone-event's clock rate is the one in its rtpmap
 * (§7.1.1, default 8000). Phones offer telephone-event/8000 next to opus/48000, so the two
 * can differ; what this relay does then:
 *  - event timestamps (the event start, §2.5.1.1) are taken on the outgoing leg's audio
 *    timeline (its next audio timestamp when the event starts), never converted from the
 *    source: both legs keep one timestamp base for audio and events;
 *  - durations (§2.5.1.3) count in each leg's telephone-event clock: converted by the ratio
 *    of the two legs' event clock rates (a 100 ms digit is 800 units at 8000, 4800 at 48000);
 *  - an event longer than 0xFFFF units is segmented (§2.5.1.3): a source segment that
 *    continues the event (same code, timestamp = previous + 0xFFFF in the source's event
 *    units carried on its audio timeline) adds to the same outgoing event, and the outgoing
 *    side starts its own new segment whenever its duration would pass 0xFFFF.
 * The payload's event code, E bit and volume are copied. One outgoing packet per incoming
 * one (the packet that closes an outgoing segment takes the place of that input's update).
 */
import { MAX_EVENT_DURATION, newTelephoneEvent, parseTelephoneEvent, formatTelephoneEvent, TELEPHONE_EVENT_SIZE } from '../../rtp/dtmf/telephone-event.js';

/** One side's clocks: its audio RTP clock and its telephone-event rtpmap rate. */
export interface EventClocks {
  audioRate: number;
  eventRate: number;
}

export interface RelayedEvent {
  /** The 4-byte payload, in `payload`. */
  length: number;
  /** RTP timestamp (the outgoing event segment's start, on the outgoing audio timeline). */
  timestamp: number;
  marker: boolean;
}

/** Timestamp units on the audio timeline for `units` of event duration. */
function onAudioTimeline(units: number, c: EventClocks): number {
  return Math.round((units * c.audioRate) / c.eventRate);
}

export class TelephoneEventRelay {
  readonly payload = new Uint8Array(TELEPHONE_EVENT_SIZE);
  private readonly ev = newTelephoneEvent();
  private readonly out: RelayedEvent = { length: 0, timestamp: 0, marker: false };
  private srcSegTs = -1;
  private srcCode = -1;
  /** Source event units in earlier source segments of this event. */
  private srcBefore = 0;
  private outSegTs = 0;
  /** Outgoing event units in earlier outgoing segments of this event. */
  private outBefore = 0;
  private first = false;

  /**
   * Translate one event packet (`payload` at source timestamp `srcTs`). `outNextTs`: the
   * outgoing leg's next audio timestamp (where a new event starts). Null for a malformed one.
   */
  translate(payload: Uint8Array, srcTs: number, from: EventClocks, to: EventClocks, outNextTs: number): RelayedEvent | null {
    const ev = this.ev;
    if (!parseTelephoneEvent(payload, 0, payload.length, ev)) return null;
    srcTs >>>= 0;
    if (srcTs !== this.srcSegTs) {
      const continues = ev.event === this.srcCode && srcTs === ((this.srcSegTs + onAudioTimeline(MAX_EVENT_DURATION, from)) >>> 0);
      if (continues) {
        this.srcBefore += MAX_EVENT_DURATION; // §2.5.1.3: the next segment of the same event
      } else {
        this.srcBefore = 0;
        this.srcCode = ev.event;
        this.outSegTs = outNextTs >>> 0;
        this.outBefore = 0;
        this.first = true;
      }
      this.srcSegTs = srcTs;
    }
    const total = Math.round(((this.srcBefore + ev.duration) * to.eventRate) / from.eventRate);
    let duration = total - this.outBefore;
    let end = ev.end;
    const ts = this.outSegTs;
    if (duration > MAX_EVENT_DURATION) {
      // Close this outgoing segment; the next packet opens the following one.
      duration = MAX_EVENT_DURATION;
      end = false;
      this.outBefore += MAX_EVENT_DURATION;
      this.outSegTs = (this.outSegTs + onAudioTimeline(MAX_EVENT_DURATION, to)) >>> 0;
    }
    ev.duration = duration;
    ev.end = end;
    formatTelephoneEvent(ev, this.payload, 0);
    this.out.length = TELEPHONE_EVENT_SIZE;
    this.out.timestamp = ts;
    this.out.marker = this.first;
    this.first = false;
    return this.out;
  }
}
