/**
 * A two-party relay between two endpoints on the same worker (the B2BUA's media path).
 *
 * Every packet is handled the moment it arrives, in each direction (relay-direction.ts):
 * passed through when the other leg negotiated its codec (payload type mapped by codec
 * name), transcoded on its own otherwise - so a phone that sends another negotiated codec
 * than the first, or switches mid-call, is still heard. No jitter buffer, no tick.
 * `mode` says what the phones' default codecs get: 'passthrough' when each leg's first
 * codec is one the other leg negotiated.
 *
 * RFC 4733 events are forwarded out of band both ways when both legs negotiated them, each
 * in its own leg's event clock; the worker reports digits to the main thread as well.
 * RTCP is terminated per leg (endpoint-rtcp.ts); the relay folds each leg's report about
 * the audio it receives into the other leg's report about where that audio came from, so
 * loss on the far hop reaches the phone that sends the audio (rtcp-session.ts).
 * A leg that is playing a prompt or music has its relay output suppressed meanwhile.
 */
import type { Endpoint } from '../endpoint/endpoint.js';
import type { RtpPacketView } from '../../rtp/packet.js';
import { relayMode } from './payload-routes.js';
import { RelayDirection } from './relay-direction.js';

export type DigitPacketHandler = (ep: Endpoint, msg: Buffer, v: RtpPacketView, arrivalMs: number) => void;

export class Relay {
  private readonly ab: RelayDirection;
  private readonly ba: RelayDirection;

  constructor(
    readonly a: Endpoint,
    readonly b: Endpoint,
    suppressed: (ep: Endpoint) => boolean,
    onDigitPacket: DigitPacketHandler,
  ) {
    this.ab = new RelayDirection(a, b, suppressed);
    this.ba = new RelayDirection(b, a, suppressed);
    a.onRtp = (msg, v) => this.ab.forward(msg, v);
    b.onRtp = (msg, v) => this.ba.forward(msg, v);
    a.onTelephoneEvent = (msg, v, now) => {
      onDigitPacket(a, msg, v, now);
      this.ab.forwardEvent(msg, v);
    };
    b.onTelephoneEvent = (msg, v, now) => {
      onDigitPacket(b, msg, v, now);
      this.ba.forwardEvent(msg, v);
    };
    // A's audio reaches B's phone over b's hop: what B reports about b's stream is the far half of A's path.
    a.rtcp.far = (now) => b.rtcp.session.freshPeer(now);
    b.rtcp.far = (now) => a.rtcp.session.freshPeer(now);
  }

  /** What the phones' default codecs get (re-read: a re-INVITE may change it). */
  get mode(): 'passthrough' | 'transcode' {
    return relayMode(this.a.payloads, this.b.payloads);
  }

  /** Source packets passed through and transcoded, both directions. */
  get counts(): { passed: number; transcoded: number } {
    return { passed: this.ab.passed + this.ba.passed, transcoded: this.ab.transcoded + this.ba.transcoded };
  }

  close(): void {
    for (const ep of [this.a, this.b]) {
      ep.onRtp = undefined;
      ep.onTelephoneEvent = undefined;
      ep.rtcp.far = undefined;
    }
  }
}
