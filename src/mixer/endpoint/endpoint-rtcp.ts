/**
 * An endpoint's RTCP: the sans-IO RtcpSession plus where its packets travel - the RTP
 * socket when RTCP is multiplexed (RFC 5761, the default), else a socket of its own on
 * the RTP port + 1 (RFC 3550 §11) that latches like RTP (RFC 4961). The worker polls
 * `poll(nowMs)` a few times a second; a due report is built and sent (a fresh ~100-byte
 * Buffer every ~5 s: the send may be queued by Node, so no buffer is reused).
 */
import { randomBytes } from 'node:crypto';
import { RtcpSession, type OwnStream, type ReceivedPeerReport } from './rtcp-session.js';
import { RtcpSocket } from './rtcp-socket.js';
import type { RtpReceiverStats } from '../../rtp/receiver-stats.js';
import type { RemoteAddress } from '../channel/protocol.js';

/** The endpoint as its RTCP sees it. */
export interface RtcpHost {
  readonly id: string;
  /** Send on the RTP socket (muxed RTCP). */
  sendMuxed(packet: Uint8Array): void;
  ownStream(nowMs: number): OwnStream;
  readonly receiverStats: RtpReceiverStats;
}

const REPORT_BUFFER = 256;

/** Unix-epoch ms from the monotonic clock (NTP timestamps and round trips need one steady clock). */
export function rtcpNowMs(): number {
  return performance.timeOrigin + performance.now();
}

export class EndpointRtcp {
  readonly session: RtcpSession;
  private socket: RtcpSocket | undefined;
  private opening: Promise<void> | undefined;
  private remote: RemoteAddress | undefined;
  private closed = false;
  /** RFC 5761: RTCP shares the RTP port. */
  mux = true;
  /** Set by a relay: the other leg's fresh report about the copy of this peer's audio it gets. */
  far: ((nowMs: number) => ReceivedPeerReport | undefined) | undefined;
  /** Compound packets that failed the RFC 3550 A.2 checks. */
  invalid = 0;

  constructor(
    private readonly host: RtcpHost,
    private readonly latching: boolean,
    minIntervalMs?: number,
    nowMs = rtcpNowMs(),
  ) {
    // RFC 7022 §5: a per-session random CNAME of 96 bits, base64.
    const cname = randomBytes(12).toString('base64');
    this.session = new RtcpSession(() => host.receiverStats, minIntervalMs === undefined ? { cname } : { cname, minIntervalMs }, nowMs);
  }

  /** Packets from other sources on the RTCP port. */
  get dropped(): number {
    return this.socket?.dropped ?? 0;
  }

  /** Muxed, or on its own port pair (what the offer/answer settled, RFC 5761 §5.1.1). */
  async setMux(mux: boolean, localRtpPort: number, bindAddress: string): Promise<void> {
    this.mux = mux;
    if (mux) {
      this.socket?.close();
      this.socket = undefined;
      return;
    }
    if (this.socket || this.closed) return;
    this.opening ??= RtcpSocket.open(localRtpPort + 1, bindAddress, this.latching).then((s) => {
      if (this.closed || this.mux) return s.close();
      this.socket = s;
      s.onPacket = (msg) => this.receive(msg);
      if (this.remote) s.setRemote(rtcpTarget(this.remote));
    });
    try {
      await this.opening;
    } finally {
      this.opening = undefined;
    }
  }

  setRemote(remote: RemoteAddress): void {
    this.remote = remote;
    this.socket?.setRemote(rtcpTarget(remote));
  }

  /** A compound RTCP packet from the peer (either socket). */
  receive(msg: Uint8Array): void {
    const now = rtcpNowMs();
    const own = this.host.ownStream(now);
    if (!this.session.receive(msg, msg.length, now, own)) this.invalid++;
  }

  /** Send our report when one is due. */
  poll(nowMs: number): void {
    if (!this.session.due(nowMs)) return;
    const buf = Buffer.allocUnsafe(REPORT_BUFFER);
    const n = this.session.buildReport(nowMs, this.host.ownStream(nowMs), buf, this.far?.(nowMs));
    this.transmit(buf.subarray(0, n));
  }

  /** RTCP BYE (RFC 3550 §6.6) as the endpoint goes away, then the socket closes. */
  close(sendBye: boolean): void {
    if (this.closed) return;
    if (sendBye) {
      const buf = Buffer.allocUnsafe(REPORT_BUFFER);
      const n = this.session.buildBye(this.host.ownStream(rtcpNowMs()), buf);
      this.transmit(buf.subarray(0, n));
    }
    this.closed = true;
    this.far = undefined;
    this.socket?.close();
    this.socket = undefined;
  }

  private transmit(packet: Uint8Array): void {
    if (this.mux) this.host.sendMuxed(packet);
    else this.socket?.send(packet);
  }
}

/** RFC 3605 §2.1: the a=rtcp port, else RTP + 1 (RFC 3550 §11). */
function rtcpTarget(remote: RemoteAddress): { address: string; port: number } {
  return { address: remote.address, port: remote.rtcpPort ?? remote.port + 1 };
}
