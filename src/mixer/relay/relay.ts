/**
 * A two-party relay between two endpoints on the same worker (the B2BUA's media path).
 *
 * Pass-through when both legs send the same codec: each packet is forwarded the moment it
 * arrives (no jitter buffer, no tick, no decode), with payload type, SSRC, sequence number
 * and timestamp rewritten onto the outgoing leg's own stream: the source's numbers are
 * mapped by a fixed offset taken at its first packet, so gaps and reordering stay visible
 * to the far end (RFC 3550 §5.1; RFC 7667 §3.2.1.1 translator behaviour).
 * Transcoding otherwise: each direction is played out of the jitter buffer on the tick,
 * decoded, resampled when the rates differ, and encoded with the other leg's encoder.
 * RFC 4733 telephone-events are forwarded out of band both ways when both legs negotiated
 * them (payload type rewritten); the worker reports digits to the main thread as well.
 * A leg that is playing a prompt or music has its relay output suppressed meanwhile.
 */
import { Resampler } from '../../dsp/resampler.js';
import type { Endpoint } from '../endpoint/endpoint.js';
import { Pulled } from '../endpoint/inbound-audio.js';
import type { RtpPacketView } from '../../rtp/packet.js';

class Direction {
  private eventInTs = -1;
  private eventOutTs = 0;
  private seqOffset = -1;
  private tsOffset = 0;
  private resampler: Resampler | undefined;
  private readonly pcm = new Int16Array(960);
  private readonly payloads = [Buffer.alloc(1500), Buffer.alloc(1500)];
  private flip = 0;

  constructor(
    private readonly from: Endpoint,
    private readonly to: Endpoint,
    private readonly suppressed: (ep: Endpoint) => boolean,
  ) {}

  /** Pass-through: forward one packet now. */
  forward(msg: Buffer, v: RtpPacketView, payloadType: number): void {
    if (this.suppressed(this.to) || !this.to.canSend) return;
    if (this.seqOffset < 0) {
      this.seqOffset = (this.to.outbound.nextSequence - v.sequence) & 0xffff;
      this.tsOffset = (this.to.outbound.nextTimestamp - v.timestamp) >>> 0;
    }
    this.to.forward(msg, payloadType, (v.sequence + this.seqOffset) & 0xffff, (v.timestamp + this.tsOffset) >>> 0, v.marker);
  }

  /**
   * Forward an RFC 4733 event out of band: our sequence number, and an event timestamp
   * mapped once per event (all packets of one event share the start timestamp, §2.5.1.1).
   */
  forwardEvent(msg: Buffer, v: RtpPacketView): void {
    if (this.to.telephoneEventPt === undefined || !this.to.canSend) return;
    if (v.timestamp !== this.eventInTs) {
      this.eventInTs = v.timestamp;
      this.eventOutTs = this.to.outbound.nextTimestamp;
    }
    this.to.sendEvent(msg.subarray(v.payloadOffset, v.payloadOffset + v.payloadLength), this.eventOutTs, v.marker);
  }

  /** Transcode: one frame per tick. */
  tick(): void {
    const r = this.from.inbound.pull(true);
    if (this.suppressed(this.to)) return;
    if (r < Pulled.Decoded) {
      this.to.skipFrame();
      return;
    }
    const inb = this.from.inbound;
    const codec = this.to.sendCodec;
    let pcm = inb.pcm.subarray(0, inb.samples);
    if (inb.codec!.sampleRate !== codec.sampleRate) {
      if (!this.resampler || this.resampler.fromRate !== inb.codec!.sampleRate || this.resampler.toRate !== codec.sampleRate) {
        this.resampler = new Resampler(inb.codec!.sampleRate, codec.sampleRate);
      }
      const n = this.resampler.process(pcm, this.pcm);
      pcm = this.pcm.subarray(0, n);
    }
    const buf = this.payloads[this.flip]!;
    this.flip ^= 1;
    const len = this.to.encoder.encode(pcm, buf);
    this.to.sendPayload(buf.subarray(0, len));
  }
}

export class Relay {
  readonly mode: 'passthrough' | 'transcode';
  private readonly ab: Direction;
  private readonly ba: Direction;

  constructor(
    readonly a: Endpoint,
    readonly b: Endpoint,
    suppressed: (ep: Endpoint) => boolean,
    onDigitPacket: (ep: Endpoint, msg: Buffer, v: RtpPacketView) => void,
  ) {
    this.mode = a.sendCodec.name === b.sendCodec.name ? 'passthrough' : 'transcode';
    this.ab = new Direction(a, b, suppressed);
    this.ba = new Direction(b, a, suppressed);
    if (this.mode === 'passthrough') {
      a.onRtp = (msg, v) => this.ab.forward(msg, v, b.sendPayloadType);
      b.onRtp = (msg, v) => this.ba.forward(msg, v, a.sendPayloadType);
    }
    const events = (from: Endpoint, dir: Direction) => (msg: Buffer, v: RtpPacketView) => {
      onDigitPacket(from, msg, v);
      dir.forwardEvent(msg, v);
    };
    a.onTelephoneEvent = events(a, this.ab);
    b.onTelephoneEvent = events(b, this.ba);
  }

  /** Transcoding relays run on the tick; pass-through ones have nothing to do. */
  tick(): void {
    if (this.mode === 'passthrough') return;
    this.ab.tick();
    this.ba.tick();
  }

  close(): void {
    for (const ep of [this.a, this.b]) {
      ep.onRtp = undefined;
      ep.onTelephoneEvent = undefined;
    }
  }
}
