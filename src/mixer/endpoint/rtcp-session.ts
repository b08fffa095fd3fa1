/**
 * The RTCP half of one endpoint, sans-IO (RFC 3550 §6): the endpoint is a full RTP
 * participant on its leg - its own SSRC (the one the engine stamps on everything it sends
 * there), its own reports - so RTCP is terminated per leg, as an RTP mixer does (RFC 3550
 * §7.3: reports go only to the cloud they describe; RFC 7667 §3.9 back-to-back sessions).
 *
 *   in:  `receive(buf, len, nowMs, own)`  a compound packet from the peer (A.2 checks):
 *        its SR (LSR/DLSR for our next block), its report block about our stream (loss,
 *        jitter, and the round trip from LSR/DLSR, §6.4.1), its BYE.
 *   out: `due(nowMs)` then `buildReport(...)`  SR when we sent RTP in the last two
 *        intervals, else RR (§6.4); one block about the peer's stream when we heard it since
 *        the last report; SDES CNAME (every compound has one, §6.1).
 *
 * Relayed quality: the block about the peer's stream can be folded with what the *other*
 * leg's phone reports about the copy of that stream we forward to it (`far`), so a phone
 * learns the loss of its audio all the way to the other party's ear (an Opus sender adapts
 * its bitrate and FEC to that), not only on its first hop: fraction lost
 * 1 - (1 - f1)(1 - f2), cumulative lost summed, jitter summed (an upper bound). Sequence
 * numbers and LSR/DLSR stay this hop's own: the phone reads them against its own stream.
 *
 * Interval (§6.2, §6.3.1): two participants and a few hundred bytes per report never reach
 * the 5 % bandwidth share, so the deterministic interval is the 5 s minimum (half of it
 * before the first report), randomized over [0.5, 1.5] and divided by e - 3/2.
 * Times are one ms clock on the Unix epoch (NTP timestamps and the round trip use it too).
 */
import { ntpFromUnixMs, parseRtcp, roundTripMs, writeBye, writeReceiverReport, writeSdesCname, writeSenderReport, type ReportBlock } from '../../rtp/rtcp.js';
import type { RtpReceiverStats } from '../../rtp/receiver-stats.js';
import type { PeerReport } from '../channel/protocol.js';

/** RFC 3550 §6.2: the minimum interval between reports. */
export const RTCP_MIN_INTERVAL_MS = 5000;
/** RFC 3550 §6.3.1: the compensation for the timer reconsideration's bias, e - 3/2. */
const COMPENSATION = Math.E - 1.5;
/** A far report older than this (three maximum intervals) is not folded any more. */
const FAR_REPORT_MAX_AGE_MS = 3 * 1.5 * RTCP_MIN_INTERVAL_MS;

/** What our sender info says about the stream we send (§6.4.1). */
export interface OwnStream {
  ssrc: number;
  packetsSent: number;
  /** Payload octets sent (headers excluded, §6.4.1 "sender's octet count"). */
  payloadOctets: number;
  /** The RTP timestamp that corresponds to `nowMs` on our stream. */
  rtpTimestamp: number;
  /** RTP clock rate of our stream (the peer's jitter about it is in these units). */
  clockRate: number;
}

/** The peer's report about our stream, with the arrival time kept for its age. */
export interface ReceivedPeerReport extends Omit<PeerReport, 'ageMs'> {
  atMs: number;
}

export interface RtcpSessionOptions {
  cname: string;
  /** Uniform [0, 1) (tests pass a fixed one). */
  random?: () => number;
  minIntervalMs?: number;
}

/** §6.3.1 randomized interval: `min` (half of it for the first report) x [0.5, 1.5] / (e - 3/2). */
export function reportIntervalMs(minMs: number, initial: boolean, random: number): number {
  const td = initial ? minMs / 2 : minMs;
  return (td * (0.5 + random)) / COMPENSATION;
}

/** This hop's block folded with the far hop's report on the same audio (see the header). */
export function foldFarReport(own: ReportBlock, far: Omit<PeerReport, 'ageMs'>, clockRate: number): ReportBlock {
  const f = 1 - (1 - own.fractionLost / 256) * (1 - far.fractionLost);
  const lost = own.cumulativeLost + Math.max(0, far.cumulativeLost);
  return {
    ...own,
    fractionLost: Math.min(255, Math.floor(f * 256)),
    cumulativeLost: Math.min(0x7fffff, lost),
    jitter: own.jitter + Math.round((far.jitterMs * clockRate) / 1000),
  };
}

export class RtcpSession {
  /** The peer's SSRC as seen on its RTP (set by the endpoint). */
  remoteSsrc: number | undefined;
  peer: ReceivedPeerReport | undefined;
  /** The peer said goodbye (RTCP BYE, §6.6). */
  peerLeft = false;
  received = 0;
  sent = 0;
  private nextAtMs: number;
  private readonly random: () => number;
  private readonly minMs: number;
  private sentAtLastReport = 0;
  private sentAtReportBefore = 0;
  private heardAtLastReport = 0;

  constructor(
    private readonly receiver: () => RtpReceiverStats,
    private readonly opts: RtcpSessionOptions,
    nowMs: number,
  ) {
    this.random = opts.random ?? Math.random;
    this.minMs = opts.minIntervalMs ?? RTCP_MIN_INTERVAL_MS;
    this.nextAtMs = nowMs + reportIntervalMs(this.minMs, true, this.random());
  }

  /** A report is due (§6.3.6: the transmission timer expired). */
  due(nowMs: number): boolean {
    return nowMs >= this.nextAtMs;
  }

  /**
   * Write our compound report into `buf` (SR or RR, then SDES CNAME) and schedule the next.
   * `far`: the other leg's report about the copy of this peer's audio we forward there.
   */
  buildReport(nowMs: number, own: OwnStream, buf: Uint8Array, far?: ReceivedPeerReport): number {
    const blocks = this.blocks(nowMs, far);
    // §6.4: an SR when we sent data since the report before last.
    const weSent = own.packetsSent > this.sentAtReportBefore;
    this.sentAtReportBefore = this.sentAtLastReport;
    this.sentAtLastReport = own.packetsSent;
    let n: number;
    if (weSent) {
      const ntp = ntpFromUnixMs(nowMs);
      n = writeSenderReport(
        { ssrc: own.ssrc, ntpSeconds: ntp.seconds, ntpFraction: ntp.fraction, rtpTimestamp: own.rtpTimestamp >>> 0, packetCount: own.packetsSent >>> 0, octetCount: own.payloadOctets >>> 0, reports: blocks },
        buf,
      );
    } else {
      n = writeReceiverReport({ ssrc: own.ssrc, reports: blocks }, buf);
    }
    n += writeSdesCname(own.ssrc, this.opts.cname, buf, n);
    this.schedule(nowMs);
    this.sent++;
    return n;
  }

  /** RR + SDES + BYE (§6.6: a BYE goes in a compound packet that starts with a report). */
  buildBye(own: OwnStream, buf: Uint8Array): number {
    let n = writeReceiverReport({ ssrc: own.ssrc, reports: [] }, buf);
    n += writeSdesCname(own.ssrc, this.opts.cname, buf, n);
    n += writeBye([own.ssrc], undefined, buf, n);
    this.sent++;
    return n;
  }

  /**
   * One compound packet from the peer (reduced-size accepted, RFC 5506 §3). False when it
   * fails the RFC 3550 A.2 checks (the caller counts it as dropped).
   */
  receive(buf: Uint8Array, len: number, nowMs: number, own: Pick<OwnStream, 'ssrc' | 'clockRate'>): boolean {
    const packets = parseRtcp(buf, len, { reducedSize: true });
    if (!packets) return false;
    this.received++;
    for (const p of packets) {
      if (p.type === 'SR' || p.type === 'RR') {
        if (p.type === 'SR' && (this.remoteSsrc === undefined || p.ssrc === this.remoteSsrc)) this.receiver().onSenderReport(p.ntpSeconds, p.ntpFraction, nowMs);
        for (const b of p.reports) if (b.ssrc === own.ssrc) this.peer = this.peerReport(b, nowMs, own.clockRate);
      } else if (p.type === 'BYE' && this.remoteSsrc !== undefined && p.ssrcs.includes(this.remoteSsrc)) {
        this.peerLeft = true;
      }
    }
    return true;
  }

  /** The peer's latest report as the stats show it. */
  peerView(nowMs: number): PeerReport | undefined {
    const p = this.peer;
    return p && { fractionLost: p.fractionLost, cumulativeLost: p.cumulativeLost, jitterMs: p.jitterMs, rttMs: p.rttMs, ageMs: Math.max(0, Math.round(nowMs - p.atMs)) };
  }

  /** The peer's report when recent enough to be folded into the other leg's reports. */
  freshPeer(nowMs: number): ReceivedPeerReport | undefined {
    return this.peer && nowMs - this.peer.atMs <= FAR_REPORT_MAX_AGE_MS ? this.peer : undefined;
  }

  private blocks(nowMs: number, far: ReceivedPeerReport | undefined): ReportBlock[] {
    const rx = this.receiver();
    const heard = rx.packetsReceived;
    const heardSince = heard > this.heardAtLastReport;
    this.heardAtLastReport = heard;
    // §6.4: a block for each source heard since the last report.
    if (!heardSince || this.remoteSsrc === undefined) return [];
    const own = rx.reportBlock(this.remoteSsrc, nowMs);
    const fold = far && nowMs - far.atMs <= FAR_REPORT_MAX_AGE_MS ? far : undefined;
    return [fold ? foldFarReport(own, fold, rx.clockRate) : own];
  }

  private peerReport(b: ReportBlock, nowMs: number, clockRate: number): ReceivedPeerReport {
    const rtt = roundTripMs(b, nowMs);
    return {
      fractionLost: b.fractionLost / 256,
      cumulativeLost: b.cumulativeLost,
      jitterMs: (b.jitter / clockRate) * 1000,
      rttMs: rtt === undefined || rtt > 60_000 ? null : Math.round(rtt * 10) / 10,
      atMs: nowMs,
    };
  }

  private schedule(nowMs: number): void {
    this.nextAtMs = nowMs + reportIntervalMs(this.minMs, false, this.random());
  }
}
