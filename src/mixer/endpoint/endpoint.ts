/**
 * One RTP endpoint: a UDP socket on an even local port (RTCP multiplexed on it, RFC 5761,
 * or on port + 1 when not negotiated: endpoint-rtcp.ts), the remote address from SDP, the
 * negotiated payload types, the two halves of its audio (inbound jitter buffer + decode,
 * outbound SSRC/seq/ts + send), its RTCP participant and its media timeout.
 *
 * Symmetric RTP (RFC 4961): with latching on, the source of the first packet becomes the
 * remote address and the socket is `connect`ed to it. A connected UDP socket is both
 * faster to send on (no per-packet address lookup: 4.0 vs 6.3 us per packet measured by
 * bench/mixer/udp-tactics.ts) and filtered by the kernel, so packets from any other source
 * are dropped before they cost a JavaScript callback. Without latching the socket is
 * connected to the SDP address at once, with the same effect.
 *
 * What happens to a received packet is up to the owner: a relay may take it at once
 * (`onRtp`), otherwise audio goes into the jitter buffer for the tick, and RFC 4733 events
 * to `onTelephoneEvent`.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { AudioCodec, AudioEncoder } from '../../rtp/codec/codec.js';
import { codecByName } from '../../rtp/codec/registry.js';
import { newRtpPacketView, unmarshalRtp, type RtpPacketView } from '../../rtp/packet.js';
import { RtpReceiverStats } from '../../rtp/receiver-stats.js';
import type { EndpointConfig, EndpointStats, EndpointUpdate, PayloadMapping, RemoteAddress } from '../channel/protocol.js';
import { EndpointRtcp, rtcpNowMs, type RtcpHost } from './endpoint-rtcp.js';
import { InboundAudio } from './inbound-audio.js';
import { MediaTimeout } from './media-timeout.js';
import { OutboundRtp } from './outbound-rtp.js';
import type { OwnStream } from './rtcp-session.js';

export const PTIME_MS = 20;

export type RtpHandler = (msg: Buffer, view: RtpPacketView, arrivalMs: number) => void;

export interface EndpointOptions {
  /** Frames quieter than this (RFC 6464 level) are not decoded. */
  silentBelowDbov: number;
  /** Smallest jitter-buffer delay (src/rtp/jitter-buffer.ts minDelayMs). */
  jitterMinDelayMs: number;
  /** RTCP minimum report interval, ms (RFC 3550 §6.2 default 5000). */
  rtcpMinIntervalMs?: number;
}

/** RFC 5761 §4: a second byte of 192-223 on a muxed port is RTCP (SR 200 ... XR 207). */
function isRtcp(msg: Buffer): boolean {
  const b1 = msg[1]!;
  return b1 >= 192 && b1 <= 223;
}

export class Endpoint implements RtcpHost {
  readonly id: string;
  readonly socket: Socket;
  readonly localPort: number;
  private readonly bindAddress: string;
  remote: RemoteAddress | undefined;
  private connected = false;
  private readonly latching: boolean;
  private latched = false;
  payloads: PayloadMapping[];
  /** Bumped whenever `payloads` change (a relay re-derives its payload-type routes). */
  payloadsVersion = 0;
  sendPayloadType: number;
  sendCodec: AudioCodec;
  telephoneEventPt: number | undefined;
  private teRate: number | undefined;
  readonly inbound: InboundAudio;
  readonly outbound = new OutboundRtp();
  private ownEncoder: AudioEncoder | undefined;
  muted = false;
  deafened = false;
  /** Takes every audio packet at once instead of the jitter buffer (relay). */
  onRtp: RtpHandler | undefined;
  onTelephoneEvent: RtpHandler | undefined;
  /** Called with performance.now() after each packet (the worker's tick loop checks its deadline). */
  onArrival: ((nowMs: number) => void) | undefined;
  readonly timeout: MediaTimeout;
  readonly rtcp: EndpointRtcp;
  receiverStats: RtpReceiverStats;
  private readonly view = newRtpPacketView();
  packetsReceived = 0;
  bytesReceived = 0;
  dropped = 0;
  /** RTP timestamp increment of one frame of the send codec. */
  private sendStep: number;

  private constructor(config: EndpointConfig, socket: Socket, opts: EndpointOptions) {
    this.id = config.endpointId;
    this.socket = socket;
    this.localPort = config.localPort;
    this.bindAddress = config.bindAddress ?? '0.0.0.0';
    this.remote = config.remote;
    this.latching = config.symmetricLatching ?? true;
    this.payloads = config.payloads;
    const first = config.payloads[0];
    if (!first) throw new Error(`endpoint ${config.endpointId}: no payload type`);
    this.sendPayloadType = first.payloadType;
    this.sendCodec = codecByName(first.codec);
    this.sendStep = this.sendCodec.timestampStep(PTIME_MS);
    this.telephoneEventPt = config.telephoneEventPt;
    this.teRate = config.telephoneEventClockRate;
    this.inbound = new InboundAudio(config.payloads, config.audioLevelExtensionId, opts.silentBelowDbov, opts.jitterMinDelayMs);
    this.timeout = new MediaTimeout(config.mediaTimeoutMs ?? 0, performance.now());
    this.receiverStats = new RtpReceiverStats(this.sendCodec.rtpClockRate);
    this.rtcp = new EndpointRtcp(this, this.latching, opts.rtcpMinIntervalMs);
    if (config.remote) this.rtcp.setRemote(config.remote);
    socket.on('message', this.onMessage);
  }

  /** Bind the socket (and the RTCP one when not muxed); rejects when the RTP port is taken. */
  static open(config: EndpointConfig, opts: EndpointOptions): Promise<Endpoint> {
    return new Promise<Endpoint>((resolve, reject) => {
      const socket = createSocket({ type: 'udp4', recvBufferSize: 256 * 1024 });
      const fail = (err: Error): void => {
        socket.close();
        reject(err);
      };
      socket.once('error', fail);
      socket.bind(config.localPort, config.bindAddress ?? '0.0.0.0', () => {
        socket.off('error', fail);
        socket.on('error', () => undefined); // ICMP port unreachable etc.: UDP carries on
        try {
          const ep = new Endpoint(config, socket, opts);
          if (config.remote && !ep.latching) ep.connectTo(config.remote);
          resolve(ep);
        } catch (err) {
          socket.close();
          reject(err as Error);
        }
      });
    }).then(async (ep) => {
      if (config.rtcpMux !== false) return ep;
      try {
        await ep.setRtcpMux(false);
      } catch (err) {
        ep.close(false);
        throw err;
      }
      return ep;
    });
  }

  /** A re-INVITE or answer changed the remote address, payload types, RTCP mux; or hold. */
  async update(change: EndpointUpdate): Promise<void> {
    const { remote, payloads } = change;
    if (payloads && payloads.length > 0) {
      this.payloads = payloads;
      this.payloadsVersion++;
      this.sendPayloadType = payloads[0]!.payloadType;
      const codec = codecByName(payloads[0]!.codec);
      if (codec.rtpClockRate !== this.sendCodec.rtpClockRate) this.receiverStats = new RtpReceiverStats(codec.rtpClockRate);
      this.sendCodec = codec;
        this.sendStep = this.sendCodec.timestampStep(PTIME_MS);
      this.ownEncoder = undefined;
      this.inbound.setPayloads(payloads);
    }
    if (change.telephoneEventPt !== undefined) this.telephoneEventPt = change.telephoneEventPt;
    if (change.telephoneEventClockRate !== undefined) this.teRate = change.telephoneEventClockRate;
    if (change.onHold !== undefined) this.timeout.setHold(change.onHold, performance.now());
    if (remote && (remote.address !== this.remote?.address || remote.port !== this.remote?.port)) {
      this.remote = remote;
      this.latched = false;
      if (this.connected) this.socket.disconnect();
      this.connected = false;
      if (!this.latching) this.connectTo(remote);
    }
    if (remote) this.rtcp.setRemote(remote);
    if (change.rtcpMux !== undefined) await this.setRtcpMux(change.rtcpMux);
  }

  /**
   * The telephone-event's clock rate (RFC 4733 §7.1.1 rtpmap): what its durations count in.
   * Default: the audio's, as RFC 4733 §2.1 expects of events sharing the audio's timestamps.
   */
  get telephoneEventClockRate(): number {
    return this.teRate ?? this.sendCodec.rtpClockRate;
  }

  /** This endpoint's own encoder for its send codec (minus-self mixes, prompts, transcoding). */
  get encoder(): AudioEncoder {
    return (this.ownEncoder ??= this.sendCodec.createEncoder());
  }

  /** Send one encoded frame of the send codec. */
  sendPayload(payload: Buffer): void {
    if (this.connected) this.outbound.send(this.socket, this.sendPayloadType, payload, this.sendStep);
    else if (this.remote) this.outbound.send(this.socket, this.sendPayloadType, payload, this.sendStep, this.remote.port, this.remote.address);
  }

  /** Send one frame of the send codec at a timestamp the caller mapped (relay transcoding). */
  sendPayloadAt(payload: Uint8Array, ts: number, marker: boolean): void {
    if (this.connected) this.outbound.sendAt(this.socket, this.sendPayloadType, payload, ts, marker, this.sendStep);
    else if (this.remote) this.outbound.sendAt(this.socket, this.sendPayloadType, payload, ts, marker, this.sendStep, this.remote.port, this.remote.address);
  }

  /** Send one RFC 4733 event payload with the event's timestamp (needs a negotiated telephone-event). */
  sendEvent(payload: Uint8Array, ts: number, marker: boolean): void {
    const pt = this.telephoneEventPt;
    if (pt === undefined) return;
    if (this.connected) this.outbound.sendEvent(this.socket, pt, payload, ts, marker);
    else if (this.remote) this.outbound.sendEvent(this.socket, pt, payload, ts, marker, this.remote.port, this.remote.address);
  }

  /** Send a whole packet already rewritten for this stream (relay); `step`: its duration in timestamp units. */
  forward(msg: Buffer, payloadType: number, seq: number, ts: number, marker: boolean, step: number): void {
    if (this.connected) this.outbound.forward(this.socket, msg, payloadType, seq, ts, marker, step);
    else if (this.remote) this.outbound.forward(this.socket, msg, payloadType, seq, ts, marker, step, this.remote.port, this.remote.address);
  }

  /** Skip a frame's worth of timestamp while not sending. */
  skipFrame(): void {
    this.outbound.skip(this.sendStep);
  }

  /** True when nothing should be sent yet (no remote known). */
  get canSend(): boolean {
    return this.connected || this.remote !== undefined;
  }

  // ------------------------------------------------------------------ RTCP host

  sendMuxed(packet: Uint8Array): void {
    if (this.connected) this.socket.send(packet);
    else if (this.remote) this.socket.send(packet, this.remote.port, this.remote.address);
  }

  /** Our stream as the sender info of an SR describes it (§6.4.1). */
  ownStream(_nowMs: number): OwnStream {
    const o = this.outbound;
    // The timestamp of the next packet: at most one frame ahead of "now" on our stream.
    return { ssrc: o.ssrc, packetsSent: o.packetsSent, payloadOctets: o.payloadBytesSent, rtpTimestamp: o.nextTimestamp, clockRate: this.sendCodec.rtpClockRate };
  }

  stats(): EndpointStats {
    const jb = this.inbound.jitterStats;
    const rx = this.receiverStats;
    const rtcp = this.rtcp;
    const peer = rtcp.session.peerView(rtcpNowMs());
    return {
      endpointId: this.id,
      packetsReceived: this.packetsReceived,
      packetsSent: this.outbound.packetsSent,
      bytesReceived: this.bytesReceived,
      bytesSent: this.outbound.bytesSent,
      packetsLost: Math.max(0, rx.cumulativeLost),
      concealed: this.inbound.concealed + jb.concealedLoss,
      dropped: this.dropped + rtcp.dropped + rtcp.invalid,
      rtcpReceived: rtcp.session.received,
      rtcpSent: rtcp.session.sent,
      ...(peer ? { peer } : {}),
      jitterMs: rx.jitterMs,
      silentSkipped: this.inbound.silentSkipped,
      jitterTargetMs: jb.targetDelayMs,
      jitterBufferedMs: jb.bufferedMs,
      jitterDropped: jb.dropped,
      jitterLate: jb.late,
    };
  }

  /** Close the sockets; `sendBye`: say RTCP BYE first (RFC 3550 §6.6). */
  close(sendBye = true): void {
    this.socket.off('message', this.onMessage);
    this.onRtp = undefined;
    this.onTelephoneEvent = undefined;
    try {
      this.rtcp.close(sendBye && this.canSend);
    } catch {
      // the socket is already gone
    }
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }

  private async setRtcpMux(mux: boolean): Promise<void> {
    await this.rtcp.setMux(mux, this.localPort, this.bindAddress);
  }

  private connectTo(remote: RemoteAddress): void {
    this.remote = remote;
    try {
      this.socket.connect(remote.port, remote.address, () => {
        this.connected = true;
      });
    } catch {
      // a connect still in flight: packets go by address meanwhile
    }
  }

  private readonly onMessage = (msg: Buffer, rinfo: RemoteInfo): void => {
    if (this.latching) {
      if (!this.latched) {
        this.latched = true;
        this.connectTo({ address: rinfo.address, port: rinfo.port, ...(this.remote?.rtcpPort !== undefined ? { rtcpPort: this.remote.rtcpPort } : {}) });
      } else if (!this.connected && (rinfo.port !== this.remote!.port || rinfo.address !== this.remote!.address)) {
        this.dropped++; // RFC 4961: latched to another source (kernel filters once connected)
        return;
      }
    }
    if (msg.length >= 8 && isRtcp(msg)) {
      this.rtcp.receive(msg); // RFC 5761 §4 demultiplexing
      return;
    }
    const v = this.view;
    if (!unmarshalRtp(msg, msg.length, v)) {
      this.dropped++;
      return;
    }
    const now = performance.now();
    this.timeout.media(now);
    this.packetsReceived++;
    this.bytesReceived += msg.length;
    this.receiverStats.update(v.sequence, v.timestamp, now);
    this.rtcp.session.remoteSsrc = v.ssrc;
    if (v.payloadType === this.telephoneEventPt) {
      this.onTelephoneEvent?.(msg, v, now);
      return;
    }
    if (this.onRtp) {
      this.onRtp(msg, v, now);
      return;
    }
    this.inbound.push(msg, v, now);
    this.onArrival?.(now);
  };
}
