/**
 * RFC 4733 digits of a worker's endpoints: one DtmfReceiver per endpoint that sent an event
 * (digits go up to the main thread) and one DtmfSender per endpoint asked to send digits.
 *
 * Clocks (RFC 4733 §2.1, §7.1.1): an endpoint's events share its audio's timestamp base,
 * while durations count in the telephone-event's own rtpmap rate (telephone-event/8000
 * next to opus/48000 is what most phones offer). So:
 *  - out: the sender counts in the event rate, starts each event at the audio stream's next
 *    timestamp, and a later segment's timestamp (start + 0xFFFF event units, §2.5.1.3) is
 *    carried onto the audio timeline by the audio/event ratio;
 *  - in: durations are read at the event rate (a 100 ms digit is 800 units, not 4800), and
 *    timestamps are brought onto the event's own scale before the receiver compares a new
 *    segment's start with the previous one's end.
 */
import { DtmfReceiver } from '../../rtp/dtmf/dtmf-receiver.js';
import { DtmfSender } from '../../rtp/dtmf/dtmf-sender.js';
import type { RtpPacketView } from '../../rtp/packet.js';
import type { WorkerEvent } from '../channel/protocol.js';
import type { Endpoint } from '../endpoint/endpoint.js';

/** Audio timestamp units per telephone-event unit (1 when the rates agree, as §2.1 expects). */
export function eventScale(audioRate: number, eventRate: number): number {
  return audioRate / eventRate;
}

/** An audio-timeline timestamp on the event's own scale (whole ratios only; else as is). */
export function toEventScale(ts: number, scale: number): number {
  return scale > 1 && Number.isInteger(scale) ? Math.floor((ts >>> 0) / scale) : ts >>> 0;
}

interface Receiving {
  rx: DtmfReceiver;
  rate: number;
  scale: number;
}

interface Sending {
  tx: DtmfSender;
  scale: number;
  /** Timestamp of the current event's first packet (audio timeline). */
  start: number;
}

export class DtmfHub {
  private readonly receiving = new Map<string, Receiving>();
  private readonly sending = new Map<string, Sending>();
  private readonly buf = new Uint8Array(4);

  constructor(
    private readonly tickMs: number,
    private readonly emit: (e: WorkerEvent) => void,
  ) {}

  /** One telephone-event packet received on `ep`. */
  received(ep: Endpoint, msg: Buffer, v: RtpPacketView, nowMs: number): void {
    const rate = ep.telephoneEventClockRate;
    let r = this.receiving.get(ep.id);
    if (!r || r.rate !== rate) this.receiving.set(ep.id, (r = { rx: new DtmfReceiver(rate), rate, scale: eventScale(ep.sendCodec.rtpClockRate, rate) }));
    const d = r.rx.push(toEventScale(v.timestamp, r.scale), msg.subarray(v.payloadOffset, v.payloadOffset + v.payloadLength), nowMs);
    if (d && d.digit) this.emit({ event: 'dtmf', endpointId: ep.id, digit: d.digit, durationMs: d.durationMs });
  }

  /** Queue `digits` on `ep` (which negotiated telephone-event). */
  send(ep: Endpoint, digits: string, durationMs: number | undefined): void {
    let s = this.sending.get(ep.id);
    if (!s) {
      s = { tx: new DtmfSender({ clockRate: ep.telephoneEventClockRate, tickMs: this.tickMs }), scale: eventScale(ep.sendCodec.rtpClockRate, ep.telephoneEventClockRate), start: 0 };
      this.sending.set(ep.id, s);
    }
    s.tx.send(digits, durationMs);
  }

  /** Per tick: receivers time out digits whose end was lost; senders send what is due. */
  tick(nowMs: number, endpoint: (id: string) => Endpoint | undefined): void {
    for (const [id, r] of this.receiving) {
      const d = r.rx.poll(nowMs);
      if (d && d.digit) this.emit({ event: 'dtmf', endpointId: id, digit: d.digit, durationMs: d.durationMs });
    }
    for (const [id, s] of this.sending) {
      const ep = endpoint(id);
      const pkt = ep ? s.tx.poll(ep.outbound.nextTimestamp, this.buf) : null;
      if (ep && pkt) {
        if (pkt.marker) s.start = pkt.timestamp;
        // Segments after the first are 0xFFFF event units later: that many audio units x scale.
        const ts = s.scale === 1 ? pkt.timestamp : (s.start + Math.round(((pkt.timestamp - s.start) >>> 0) * s.scale)) >>> 0;
        ep.sendEvent(this.buf.subarray(0, pkt.length), ts, pkt.marker);
      }
      if (!ep || !s.tx.busy) this.sending.delete(id);
    }
  }

  forget(endpointId: string): void {
    this.receiving.delete(endpointId);
    this.sending.delete(endpointId);
  }
}
