import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { foldFarReport, reportIntervalMs, RtcpSession, type OwnStream } from '../../../src/mixer/endpoint/rtcp-session.js';
import { ntpFromUnixMs, ntpMiddle32, parseRtcp, writeBye, writeReceiverReport, writeSenderReport, type ReceiverReport, type SenderReport, type SourceDescription } from '../../../src/rtp/rtcp.js';
import { RtpReceiverStats } from '../../../src/rtp/receiver-stats.js';

const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);
const OUR_SSRC = 0x11111111;
const PEER_SSRC = 0x22222222;

function own(packetsSent: number): OwnStream {
  return { ssrc: OUR_SSRC, packetsSent, payloadOctets: packetsSent * 160, rtpTimestamp: 123456, clockRate: 8000 };
}

function session(random = 0.5): { s: RtcpSession; rx: RtpReceiverStats } {
  const rx = new RtpReceiverStats(8000);
  const s = new RtcpSession(() => rx, { cname: 'cname-1', random: () => random }, T0);
  s.remoteSsrc = PEER_SSRC;
  return { s, rx };
}

/** Peer packets seq 1..last, 20 ms apart, except `missing`. */
function hear(rx: RtpReceiverStats, last: number, missing: number[] = []): void {
  for (let seq = 1; seq <= last; seq++) if (!missing.includes(seq)) rx.update(seq, seq * 160, T0 + seq * 20);
}

function report(s: RtcpSession, now: number, sent: number, far?: Parameters<RtcpSession['buildReport']>[3]) {
  const buf = new Uint8Array(256);
  const n = s.buildReport(now, own(sent), buf, far);
  const parsed = parseRtcp(buf, n);
  assert.ok(parsed, 'our compound packet passes the RFC 3550 A.2 checks');
  return parsed!;
}

test('the first report comes after half the 5 s minimum, randomized and compensated (RFC 3550 §6.2, §6.3.1)', () => {
  assert.is(Math.round(reportIntervalMs(5000, true, 0.5)), Math.round(2500 / (Math.E - 1.5)));
  assert.is(Math.round(reportIntervalMs(5000, false, 0)), Math.round(2500 / (Math.E - 1.5)));
  assert.is(Math.round(reportIntervalMs(5000, false, 1)), Math.round(7500 / (Math.E - 1.5)));
  const { s } = session(0.5);
  assert.not.ok(s.due(T0 + 2000));
  assert.ok(s.due(T0 + 2060));
  report(s, T0 + 2060, 0);
  assert.not.ok(s.due(T0 + 2060 + 4000), 'then every ~5 s / 1.218');
  assert.ok(s.due(T0 + 2060 + 4110));
});

test('an SR while we send RTP, with SDES CNAME; an RR once we have sent nothing for two intervals (RFC 3550 §6.4, §6.1)', () => {
  const { s } = session();
  const first = report(s, T0 + 3000, 100);
  assert.is(first[0]!.type, 'SR');
  const sr = first[0] as SenderReport;
  assert.equal([sr.ssrc, sr.packetCount, sr.octetCount, sr.rtpTimestamp], [OUR_SSRC, 100, 16000, 123456]);
  const ntp = ntpFromUnixMs(T0 + 3000);
  assert.equal([sr.ntpSeconds, sr.ntpFraction], [ntp.seconds, ntp.fraction]);
  const sdes = first[1] as SourceDescription;
  assert.equal(sdes.chunks[0], { ssrc: OUR_SSRC, items: [{ type: 1, text: 'cname-1' }] });
  assert.is(report(s, T0 + 8000, 100)[0]!.type, 'SR', 'sent during the interval before last');
  assert.is(report(s, T0 + 13000, 100)[0]!.type, 'RR');
});

test('one report block about the peer: its loss (cumulative and fraction, A.3) and jitter, only when heard since the last report', () => {
  const { s, rx } = session();
  hear(rx, 100, [50]);
  const rr = report(s, T0 + 3000, 0)[0] as ReceiverReport;
  assert.is(rr.reports.length, 1);
  const b = rr.reports[0]!;
  assert.is(b.ssrc, PEER_SSRC);
  assert.is(b.cumulativeLost, 1);
  assert.is(b.fractionLost, Math.floor(256 / 99), '1 of 99 expected (the first packet is probation, A.1)');
  assert.is(b.extendedHighestSeq, 100);
  assert.is(b.jitter, 0, 'packets exactly 20 ms apart');
  assert.is((report(s, T0 + 8000, 0)[0] as ReceiverReport).reports.length, 0, 'nothing heard since');
});

test('LSR/DLSR echo the peer\'s last SR (RFC 3550 §6.4.1)', () => {
  const { s, rx } = session();
  hear(rx, 10);
  const buf = new Uint8Array(64);
  const ntp = ntpFromUnixMs(T0 + 1000);
  const n = writeSenderReport({ ssrc: PEER_SSRC, ntpSeconds: ntp.seconds, ntpFraction: ntp.fraction, rtpTimestamp: 1, packetCount: 10, octetCount: 1600, reports: [] }, buf);
  assert.ok(s.receive(buf, n, T0 + 1000, own(0)));
  const b = (report(s, T0 + 1500, 0)[0] as ReceiverReport).reports[0]!;
  assert.is(b.lastSr, ntpMiddle32(ntp.seconds, ntp.fraction));
  assert.is(b.delaySinceLastSr, 32768, '0.5 s in 1/65536 s');
});

test('the peer\'s block about our stream gives loss, jitter in ms of our clock, and the round trip from LSR/DLSR (RFC 3550 §6.4.1)', () => {
  const { s } = session();
  const ourSr = report(s, T0 + 3000, 100)[0] as SenderReport;
  const buf = new Uint8Array(64);
  const lsr = ntpMiddle32(ourSr.ntpSeconds, ourSr.ntpFraction);
  const n = writeReceiverReport({ ssrc: PEER_SSRC, reports: [{ ssrc: OUR_SSRC, fractionLost: 64, cumulativeLost: 7, extendedHighestSeq: 100, jitter: 160, lastSr: lsr, delaySinceLastSr: 65536 }] }, buf);
  assert.ok(s.receive(buf, n, T0 + 4200, own(100)));
  const peer = s.peerView(T0 + 5000)!;
  assert.is(peer.fractionLost, 0.25);
  assert.is(peer.cumulativeLost, 7);
  assert.is(peer.jitterMs, 20, '160 units at 8 kHz');
  assert.ok(Math.abs(peer.rttMs! - 200) < 0.2, `rtt ${peer.rttMs} ms: 1.2 s since our SR minus 1 s held by the peer`);
  assert.is(peer.ageMs, 800);
  assert.is(s.received, 1);
});

test('a block about another SSRC is not taken for ours; no round trip before the peer echoed an SR', () => {
  const { s } = session();
  const buf = new Uint8Array(64);
  let n = writeReceiverReport({ ssrc: PEER_SSRC, reports: [{ ssrc: 0x999, fractionLost: 255, cumulativeLost: 1, extendedHighestSeq: 1, jitter: 0, lastSr: 0, delaySinceLastSr: 0 }] }, buf);
  s.receive(buf, n, T0, own(1));
  assert.is(s.peerView(T0), undefined);
  n = writeReceiverReport({ ssrc: PEER_SSRC, reports: [{ ssrc: OUR_SSRC, fractionLost: 0, cumulativeLost: 0, extendedHighestSeq: 1, jitter: 0, lastSr: 0, delaySinceLastSr: 0 }] }, buf);
  s.receive(buf, n, T0, own(1));
  assert.is(s.peerView(T0)!.rttMs, null);
});

test('relayed quality: the far leg\'s report on the same audio is folded into our block about the peer (loss 1-(1-f1)(1-f2), counts and jitter summed)', () => {
  const { s, rx } = session();
  hear(rx, 100, [50]);
  const far = { fractionLost: 0.5, cumulativeLost: 20, jitterMs: 5, rttMs: 30, atMs: T0 + 2000 };
  const b = (report(s, T0 + 3000, 0, far)[0] as ReceiverReport).reports[0]!;
  assert.is(b.fractionLost, Math.floor((1 - (1 - 2 / 256) * 0.5) * 256));
  assert.is(b.cumulativeLost, 21);
  assert.is(b.jitter, 40, '5 ms at 8 kHz');
  assert.is(b.extendedHighestSeq, 100, 'sequence numbers stay this hop\'s own');
  const folded = foldFarReport({ ssrc: 1, fractionLost: 0, cumulativeLost: 0, extendedHighestSeq: 1, jitter: 0, lastSr: 0, delaySinceLastSr: 0 }, { fractionLost: 1, cumulativeLost: 1, jitterMs: 0, rttMs: null }, 8000);
  assert.is(folded.fractionLost, 255, 'fraction lost saturates at 255/256');
});

test('a far report older than three maximum intervals is not folded', () => {
  const { s, rx } = session();
  hear(rx, 10);
  const far = { fractionLost: 0.5, cumulativeLost: 20, jitterMs: 5, rttMs: null, atMs: T0 };
  const b = (report(s, T0 + 30000, 0, far)[0] as ReceiverReport).reports[0]!;
  assert.is(b.fractionLost, 0);
  assert.is(b.cumulativeLost, 0);
});

test('BYE from the peer is noted (RFC 3550 §6.6); our BYE compound starts with an RR', () => {
  const { s } = session();
  const buf = new Uint8Array(64);
  let n = writeReceiverReport({ ssrc: PEER_SSRC, reports: [] }, buf);
  n += writeBye([PEER_SSRC], 'bye', buf, n);
  assert.ok(s.receive(buf, n, T0, own(0)));
  assert.ok(s.peerLeft);
  const out = new Uint8Array(256);
  const m = s.buildBye(own(5), out);
  const parsed = parseRtcp(out, m)!;
  assert.equal(parsed.map((p) => p.type), ['RR', 'SDES', 'BYE']);
});

test('garbage fails the RFC 3550 A.2 checks and is not counted as RTCP', () => {
  const { s } = session();
  const junk = new Uint8Array([0x80, 0xc8, 0x00, 0x09, 1, 2, 3, 4]);
  assert.not.ok(s.receive(junk, junk.length, T0, own(0)));
  assert.is(s.received, 0);
});

test.run();
