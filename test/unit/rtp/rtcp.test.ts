import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  parseRtcp,
  writeSenderReport,
  writeReceiverReport,
  writeSdesCname,
  writeBye,
  ntpFromUnixMs,
  ntpMiddle32,
  roundTripMs,
  RtpReceiverStats,
  type ReportBlock,
} from '../../../src/rtp/rtcp.js';

const block = (over: Partial<ReportBlock> = {}): ReportBlock => ({
  ssrc: 0x11223344,
  fractionLost: 25,
  cumulativeLost: 1234,
  extendedHighestSeq: 0x0001fff0,
  jitter: 77,
  lastSr: 0xabcd1234,
  delaySinceLastSr: 65536,
  ...over,
});

test('compound SR + SDES CNAME + BYE builds and parses back field for field (RFC 3550 §6.1, §6.4.1, §6.5, §6.6)', () => {
  const buf = new Uint8Array(512);
  let n = writeSenderReport(
    { ssrc: 0xdeadbeef, ntpSeconds: 3900000000, ntpFraction: 0x80000000, rtpTimestamp: 123456, packetCount: 500, octetCount: 80000, reports: [block(), block({ ssrc: 5, cumulativeLost: -3 })] },
    buf,
  );
  assert.is(n, 28 + 48);
  n += writeSdesCname(0xdeadbeef, 'mixer@example.org', buf, n);
  n += writeBye([0xdeadbeef], 'room closed', buf, n);
  assert.is(n % 4, 0);
  const parsed = parseRtcp(buf, n)!;
  assert.equal(parsed, [
    {
      type: 'SR',
      ssrc: 0xdeadbeef,
      ntpSeconds: 3900000000,
      ntpFraction: 0x80000000,
      rtpTimestamp: 123456,
      packetCount: 500,
      octetCount: 80000,
      reports: [block(), block({ ssrc: 5, cumulativeLost: -3 })],
    },
    { type: 'SDES', chunks: [{ ssrc: 0xdeadbeef, items: [{ type: 1, text: 'mixer@example.org' }] }] },
    { type: 'BYE', ssrcs: [0xdeadbeef], reason: 'room closed' },
  ]);
});

test('RR wire layout: header count/PT/length, signed 24-bit cumulative loss (§6.4.2)', () => {
  const bytes = new Uint8Array([
    0x81, 201, 0x00, 0x07, // V=2, RC=1, PT=RR, length 7 words
    0x00, 0x00, 0x00, 0x2a, // reporter SSRC 42
    0x00, 0x00, 0x00, 0x07, // SSRC_1 = 7
    0x40, 0xff, 0xff, 0xff, // fraction 64/256, cumulative -1
    0x00, 0x01, 0x00, 0x05, // extended highest seq: 1 cycle + 5
    0x00, 0x00, 0x00, 0x10, // jitter 16
    0x00, 0x00, 0x00, 0x00, // LSR
    0x00, 0x00, 0x00, 0x00, // DLSR
  ]);
  const [rr] = parseRtcp(bytes)!;
  assert.equal(rr, {
    type: 'RR',
    ssrc: 42,
    reports: [{ ssrc: 7, fractionLost: 64, cumulativeLost: -1, extendedHighestSeq: 65541, jitter: 16, lastSr: 0, delaySinceLastSr: 0 }],
  });
  const out = new Uint8Array(32);
  assert.is(writeReceiverReport({ ssrc: 42, reports: (rr as { reports: ReportBlock[] }).reports }, out), 32);
  assert.equal(Array.from(out), Array.from(bytes));
});

test('Appendix A.2 validity checks reject malformed compound packets', () => {
  const buf = new Uint8Array(64);
  const n = writeReceiverReport({ ssrc: 1, reports: [] }, buf);
  const m = n + writeSdesCname(1, 'a', buf, n);
  assert.ok(parseRtcp(buf, m));
  const badVersion = buf.slice(0, m);
  badVersion[0] = 0x40;
  assert.is(parseRtcp(badVersion), undefined, 'version 1');
  assert.is(parseRtcp(buf.subarray(n, m)), undefined, 'SDES first');
  assert.ok(parseRtcp(buf.subarray(n, m), m - n, { reducedSize: true }), 'fine as reduced-size RTCP (RFC 5506)');
  assert.is(parseRtcp(buf, m - 4), undefined, 'lengths do not add up');
  const padFirst = buf.slice(0, m);
  padFirst[0] |= 0x20;
  assert.is(parseRtcp(padFirst), undefined, 'padding only allowed in the last packet');
});

test('padding on the last packet is removed; unknown types are passed over (§6.4.1, §6.7)', () => {
  const buf = new Uint8Array(64);
  let n = writeReceiverReport({ ssrc: 9, reports: [] }, buf);
  // a transport-layer feedback packet (PT 205, FMT 1 = generic NACK), 12 bytes, then 4 bytes of padding
  buf.set([0xa1, 205, 0x00, 0x03, 0, 0, 0, 9, 0, 0, 0, 7, 0, 0, 0, 4], n);
  n += 16;
  const parsed = parseRtcp(buf, n)!;
  assert.equal(parsed[1], { type: 'other', packetType: 205, count: 1, offset: 8, length: 12 });
});

test('SDES with several chunks and items, BYE without reason (§6.5, §6.6)', () => {
  const bytes = new Uint8Array([
    0x80, 201, 0, 1, 0, 0, 0, 1, // empty RR first
    0x82, 202, 0x00, 0x06, // SDES, 2 chunks, 7 words
    0, 0, 0, 1, 1, 3, 0x61, 0x62, 0x63, 2, 2, 0x68, 0x69, 0, 0, 0, // ssrc 1: CNAME "abc", NAME "hi", null + pad
    0, 0, 0, 2, 1, 1, 0x78, 0, // ssrc 2: CNAME "x", null
    0x81, 203, 0, 1, 0, 0, 0, 2, // BYE ssrc 2
  ]);
  const parsed = parseRtcp(bytes)!;
  assert.equal(parsed[1], {
    type: 'SDES',
    chunks: [
      { ssrc: 1, items: [{ type: 1, text: 'abc' }, { type: 2, text: 'hi' }] },
      { ssrc: 2, items: [{ type: 1, text: 'x' }] },
    ],
  });
  assert.equal(parsed[2], { type: 'BYE', ssrcs: [2] });
});

test('NTP time and round-trip time from LSR/DLSR (§4, §6.4.1)', () => {
  assert.equal(ntpFromUnixMs(0), { seconds: 2208988800, fraction: 0 });
  assert.equal(ntpFromUnixMs(1500), { seconds: 2208988801, fraction: 0x80000000 });
  const sentAt = 1_700_000_000_000;
  const t = ntpFromUnixMs(sentAt);
  const rr = block({ lastSr: ntpMiddle32(t.seconds, t.fraction), delaySinceLastSr: 65536 / 2 }); // held 500 ms
  const rtt = roundTripMs(rr, sentAt + 700)!;
  assert.ok(Math.abs(rtt - 200) < 0.1, `rtt ${rtt}`);
  assert.is(roundTripMs(block({ lastSr: 0 }), sentAt), undefined);
});

test('receiver stats: probation, then loss cumulative and as a fraction since the last report (A.1, A.3)', () => {
  const s = new RtpReceiverStats(8000);
  assert.not.ok(s.update(100, 0, 0), 'first packet is on probation (MIN_SEQUENTIAL = 2)');
  for (let seq = 101; seq <= 200; seq++) if (seq % 10 !== 5) s.update(seq, seq * 160, seq * 20);
  // counted from 101 (the packet that ended probation): 101..200 expected, 10 lost
  assert.is(s.packetsExpected, 100);
  assert.is(s.packetsReceived, 90);
  const b1 = s.reportBlock(7, 5000);
  assert.is(b1.cumulativeLost, 10);
  assert.is(b1.fractionLost, Math.floor((10 * 256) / 100));
  assert.is(b1.extendedHighestSeq, 200);
  for (let seq = 201; seq <= 300; seq++) s.update(seq, seq * 160, seq * 20);
  const b2 = s.reportBlock(7, 10000);
  assert.is(b2.fractionLost, 0, 'no loss in the second interval');
  assert.is(b2.cumulativeLost, 10);
});

test('receiver stats: wrap-around extends the sequence number, duplicates can make loss negative (A.1, A.3)', () => {
  const s = new RtpReceiverStats(8000);
  for (let k = 0; k < 40; k++) s.update((65520 + k) & 0xffff, k * 160, k * 20);
  assert.is(s.extendedHighestSeq, 65536 + 23);
  s.update(5, 0, 900);
  s.update(5, 0, 901);
  assert.is(s.cumulativeLost, -2);
});

test('receiver stats: a lone big jump is ignored, a confirmed one restarts the counts (A.1)', () => {
  const s = new RtpReceiverStats(8000);
  for (let seq = 1; seq <= 10; seq++) s.update(seq, seq * 160, seq * 20);
  assert.not.ok(s.update(30000, 0, 300));
  assert.ok(s.update(11, 11 * 160, 220));
  assert.not.ok(s.update(40000, 0, 400));
  assert.ok(s.update(40001, 160, 420));
  assert.is(s.extendedHighestSeq, 40001);
  assert.is(s.packetsExpected, 1);
});

test('receiver stats: jitter per §6.4.1 and DLSR in 1/65536 s after an SR', () => {
  const s = new RtpReceiverStats(8000);
  for (let k = 0; k < 400; k++) s.update(k, k * 160, k * 20 + (k % 2) * 10);
  assert.is(s.jitter, 80);
  s.onSenderReport(3900000000, 0x12345678, 10_000);
  const b = s.reportBlock(1, 11_500);
  assert.is(b.lastSr, ((3900000000 & 0xffff) << 16 | 0x1234) >>> 0);
  assert.is(b.delaySinceLastSr, 1.5 * 65536);
});

test.run();
