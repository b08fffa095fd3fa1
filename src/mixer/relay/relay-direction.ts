/**
 * One direction of a relay (`from`'s phone -> `to`'s phone), packet by packet as they
 * arrive. The payload type picks the route (payload-routes.ts): pass-through with the
 * payload type renamed, or transcoding of that packet (packet-transcoder.ts); either way
 * SSRC, sequence number and timestamp are rewritten onto `to`'s own stream
 * (stream-rewriter.ts). RFC 4733 events go out of band in `to`'s own event format
 * (telephone-event-relay.ts). Nothing is sent while `to` plays a prompt or music.
 */
import type { Endpoint } from '../endpoint/endpoint.js';
import type { RtpPacketView } from '../../rtp/packet.js';
import { PacketTranscoder, type TranscodeTarget } from './packet-transcoder.js';
import { payloadRoutes, type PayloadRoute } from './payload-routes.js';
import { StreamRewriter } from './stream-rewriter.js';
import { TelephoneEventRelay, type EventClocks } from './telephone-event-relay.js';

export class RelayDirection {
  private routes: (PayloadRoute | null)[] = [];
  private fromVersion = -1;
  private toVersion = -1;
  private readonly rewriter = new StreamRewriter();
  private readonly transcoder = new PacketTranscoder();
  private readonly events = new TelephoneEventRelay();
  private readonly fromClocks: EventClocks = { audioRate: 8000, eventRate: 8000 };
  private readonly toClocks: EventClocks = { audioRate: 8000, eventRate: 8000 };
  /** Packets passed through / transcoded (source packets). */
  passed = 0;
  transcoded = 0;
  private readonly target: TranscodeTarget;

  constructor(
    private readonly from: Endpoint,
    private readonly to: Endpoint,
    private readonly suppressed: (ep: Endpoint) => boolean,
  ) {
    // Read through `to` at each frame: a re-INVITE may change its codec (and so its encoder).
    this.target = {
      get codec() {
        return to.sendCodec;
      },
      get encoder() {
        return to.encoder;
      },
      send: (payload, ts, marker) => to.sendPayloadAt(payload, ts, marker),
    };
  }

  /** One audio packet from `from`'s phone. */
  forward(msg: Buffer, v: RtpPacketView): void {
    if (this.from.payloadsVersion !== this.fromVersion || this.to.payloadsVersion !== this.toVersion) this.rebuild();
    const route = this.routes[v.payloadType];
    if (!route) {
      this.from.dropped++; // a payload type this leg never negotiated
      return;
    }
    const to = this.to;
    if (this.suppressed(to) || !to.canSend) return;
    const out = to.outbound;
    const rw = this.rewriter;
    if (route.kind === 'pass') {
      rw.map(v.sequence, v.timestamp, route.codec.rtpClockRate, route.codec.rtpClockRate, route.key, out.nextSequence, out.nextTimestamp);
      to.forward(msg, route.outPt, rw.seq, rw.ts, v.marker || rw.reanchored, route.step);
      this.passed++;
    } else {
      const codec = to.sendCodec;
      rw.map(v.sequence, v.timestamp, route.codec.rtpClockRate, codec.rtpClockRate, route.key | to.sendPayloadType, out.nextSequence, out.nextTimestamp);
      this.transcoder.push(v.payloadType, route.codec, msg.subarray(v.payloadOffset, v.payloadOffset + v.payloadLength), v.timestamp, rw.ts, rw.reanchored, this.target);
      this.transcoded++;
    }
    rw.sent(out.nextSequence);
  }

  /** One RFC 4733 event packet from `from`'s phone, to `to`'s phone when it negotiated events. */
  forwardEvent(msg: Buffer, v: RtpPacketView): void {
    const to = this.to;
    if (to.telephoneEventPt === undefined || !to.canSend) return;
    const fc = this.fromClocks;
    fc.audioRate = this.from.sendCodec.rtpClockRate;
    fc.eventRate = this.from.telephoneEventClockRate;
    const tc = this.toClocks;
    tc.audioRate = to.sendCodec.rtpClockRate;
    tc.eventRate = to.telephoneEventClockRate;
    const e = this.events.translate(msg.subarray(v.payloadOffset, v.payloadOffset + v.payloadLength), v.timestamp, fc, tc, to.outbound.nextTimestamp);
    if (e) to.sendEvent(this.events.payload.subarray(0, e.length), e.timestamp, e.marker);
  }

  private rebuild(): void {
    this.routes = payloadRoutes(this.from.payloads, this.to.payloads);
    if (this.from.payloadsVersion !== this.fromVersion) this.transcoder.reset();
    this.fromVersion = this.from.payloadsVersion;
    this.toVersion = this.to.payloadsVersion;
  }
}
