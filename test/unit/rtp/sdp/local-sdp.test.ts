import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse as transformParse } from 'sdp-transform';
import { LocalSdp, defaultOfferCodecs, negotiateAnswer, parseSdp } from '../../../../src/rtp/sdp/index.js';
import { sdpVector } from './sdp-vectors.js';

const ALL = ['PCMU', 'PCMA', 'G722', 'opus'] as const;
const offerMedia = () => ({ ...defaultOfferCodecs(ALL), direction: 'sendrecv' as const });
const lines = (body: string) => body.split('\r\n').filter((l) => l !== '');

test('offer body: every line in RFC 4566 §5 order, CRLF, rtpmap for static PTs, ptime 20, no rtcp-mux', () => {
  const body = new LocalSdp({ address: '127.0.0.1', sessionId: '4242' }).build(40000, offerMedia());
  assert.is(body, sdpVector('our-default-offer').toString('utf8'), 'the vector is the offer baresip and linphonec answered');
  assert.ok(body.endsWith('\r\n'));
  assert.not.ok(/\r(?!\n)|(?<!\r)\n/.test(body), 'only CRLF line ends (RFC 4566 §5)');
  assert.equal(lines(body).slice(0, 6), ['v=0', 'o=- 4242 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0 8 9 111 101']);
  assert.not.ok(body.includes('rtcp-mux'));
});

test('o= and c= say IP6 for an IPv6 media address (RFC 4566 §5.2, §5.7)', () => {
  const body = new LocalSdp({ address: '2001:db8::10', sessionId: '7' }).build(40000, offerMedia());
  assert.ok(body.includes('o=- 7 1 IN IP6 2001:db8::10\r\n'));
  assert.ok(body.includes('c=IN IP6 2001:db8::10\r\n'));
  assert.is(parseSdp(body).audio?.addressFamily, 'IP6');
});

test('the same body built again keeps the o= version (retransmission, unchanged re-INVITE: RFC 3264 §8)', () => {
  const local = new LocalSdp({ address: '192.0.2.5', sessionId: '100' });
  const first = local.build(40000, offerMedia());
  const again = local.build(40000, offerMedia());
  assert.is(again, first);
  assert.is(local.version, 1);
  assert.is(local.lastBody, first);
});

test('every change bumps the version by exactly one, the session id never changes (RFC 3264 §8)', () => {
  const local = new LocalSdp({ address: '192.0.2.5' });
  const versions: string[] = [];
  const ids: string[] = [];
  const record = (body: string) => {
    const o = parseSdp(body).origin;
    versions.push(o.sessionVersion);
    ids.push(o.sessionId);
  };
  record(local.build(40000, offerMedia()));
  record(local.build(40000, { ...offerMedia(), direction: 'sendonly' })); // hold
  record(local.build(40000, { ...offerMedia(), direction: 'sendonly' })); // same again
  record(local.build(40000, offerMedia())); // resume
  record(local.build(40002, offerMedia())); // new port
  assert.equal(versions, ['1', '2', '2', '3', '4']);
  assert.is(new Set(ids).size, 1);
  assert.match(ids[0]!, /^\d+$/);
});

test('two legs get different session ids', () => {
  const a = new LocalSdp({ address: '192.0.2.5' });
  const b = new LocalSdp({ address: '192.0.2.5' });
  assert.is.not(a.sessionId, b.sessionId);
});

test('answer to the baresip offer: its PTs, recvonly/sendrecv as negotiated, ptime 20, no rtcp-mux (RFC 3264 §6)', () => {
  const offer = parseSdp(sdpVector('baresip-offer'));
  const body = new LocalSdp({ address: '203.0.113.1', sessionId: '9' }).build(30000, negotiateAnswer(offer.audio, ALL), offer);
  assert.equal(lines(body).slice(5), [
    'm=audio 30000 RTP/AVP 0 8 9 96 101',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:9 G722/8000',
    'a=rtpmap:96 opus/48000/2',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-15',
    'a=ptime:20',
    'a=sendrecv',
  ]);
});

test('a=rtcp-mux is answered only when the offer had it (RFC 5761 §5.1.1)', () => {
  for (const [name, mux] of [['baresip-rtcp-mux-offer', true], ['baresip-offer', false], ['linphone-avpf-rtcp-mux-offer', true]] as const) {
    const offer = parseSdp(sdpVector(name));
    const body = new LocalSdp({ address: '203.0.113.1' }).build(30000, negotiateAnswer(offer.audio, ALL), offer);
    assert.is(body.includes('a=rtcp-mux\r\n'), mux, name);
    assert.is(parseSdp(body).audio?.rtcpMux, mux, name);
  }
});

test('an RTP/AVPF offer is answered with RTP/AVPF (RFC 3264 §6: same transport)', () => {
  const offer = parseSdp(sdpVector('linphone-avpf-rtcp-mux-offer'));
  const body = new LocalSdp({ address: '203.0.113.1' }).build(30000, negotiateAnswer(offer.audio, ALL), offer);
  assert.is(parseSdp(body).audio?.protocol, 'RTP/AVPF');
});

test('audio + video offer: answer keeps both m-lines in order, video rejected with port 0 (RFC 3264 §6)', () => {
  const offer = parseSdp(sdpVector('linphone-audio-video-offer'));
  const body = new LocalSdp({ address: '203.0.113.1' }).build(30000, negotiateAnswer(offer.audio, ALL), offer);
  const answer = parseSdp(body);
  assert.equal(answer.media.map((m) => [m.type, m.port, m.protocol]), [['audio', 30000, 'RTP/AVP'], ['video', 0, 'RTP/AVP']]);
  assert.equal(answer.media[1]!.formats, ['96'], 'at least one format stays listed (RFC 3264 §6)');
  assert.ok(body.includes('m=video 0 RTP/AVP 96\r\n'));
});

test('SRTP stream then RTP stream: the SRTP one is rejected in place, the RTP one answered (RFC 3264 §6)', () => {
  const offer = parseSdp(sdpVector('sbc-style-srtp-then-rtp-offer'));
  const body = new LocalSdp({ address: '203.0.113.1' }).build(30000, negotiateAnswer(offer.audio, ALL), offer);
  const answer = parseSdp(body);
  assert.equal(answer.media.map((m) => [m.port, m.protocol]), [[0, 'RTP/SAVP'], [30000, 'RTP/AVP']]);
  assert.not.ok(body.includes('a=crypto'));
  assert.is(answer.audio?.index, 1);
});

test('a later offer keeps the rejected m-lines of the previous body (RFC 3264 §8: m-lines never decrease)', () => {
  const local = new LocalSdp({ address: '203.0.113.1' });
  const offer = parseSdp(sdpVector('linphone-audio-video-offer'));
  local.build(30000, negotiateAnswer(offer.audio, ALL), offer);
  const reoffer = parseSdp(local.build(30000, { ...offerMedia(), direction: 'sendonly' }));
  assert.equal(reoffer.media.map((m) => [m.type, m.port]), [['audio', 30000], ['video', 0]]);
  assert.is(reoffer.audio?.direction, 'sendonly');
});

test('the audio level extension is declared when asked (RFC 6464 §4, RFC 8285 §5)', () => {
  const body = new LocalSdp({ address: '203.0.113.1' }).build(30000, { ...offerMedia(), audioLevelExtId: 1 });
  assert.ok(body.includes('a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n'));
  assert.is(parseSdp(body).audio?.audioLevelExtId, 1);
});

test('our offer reads back through sdp-transform field by field', () => {
  const body = new LocalSdp({ address: '198.51.100.9', sessionId: '55', username: 'softswitch' }).build(40010, { ...offerMedia(), ptime: 30 });
  const raw = transformParse(body);
  assert.equal(raw.origin, { username: 'softswitch', sessionId: 55, sessionVersion: 1, netType: 'IN', ipVer: 4, address: '198.51.100.9' });
  assert.is(raw.name, '-');
  assert.equal(raw.timing, { start: 0, stop: 0 });
  const m = raw.media[0]!;
  assert.equal([m.type, m.port, m.protocol, m.payloads], ['audio', 40010, 'RTP/AVP', '0 8 9 111 101']);
  assert.equal(m.rtp.find((r) => r.payload === 111), { payload: 111, codec: 'opus', rate: 48000, encoding: 2 });
  assert.is(m.ptime, 30);
  assert.is(m.direction, 'sendrecv');
});

test('baresip 1.0.0 and linphonec 5.1 answered our default offer: their answers parse and negotiate back', () => {
  const bs = parseSdp(sdpVector('baresip-answer-to-our-offer')).audio!;
  assert.equal(bs.codecs.map((c) => c.payloadType), [0, 8, 9, 111]);
  assert.is(bs.telephoneEvent?.fmtp, '0-15');
  const lp = parseSdp(sdpVector('linphone-answer-to-our-offer')).audio!;
  assert.equal(lp.codecs.map((c) => `${c.payloadType} ${c.name}`), ['0 PCMU', '8 PCMA', '111 opus']);
  assert.equal(lp.telephoneEvent, { payloadType: 101, name: 'telephone-event', clockRate: 8000 });
});

test('bad arguments throw: port out of range, no formats, empty or spaced address, non-digit session id', () => {
  const local = new LocalSdp({ address: '192.0.2.1' });
  assert.throws(() => local.build(70000, offerMedia()), RangeError);
  assert.throws(() => local.build(4000, { codecs: [], direction: 'sendrecv' }), TypeError);
  assert.throws(() => new LocalSdp({ address: '' }), TypeError);
  assert.throws(() => new LocalSdp({ address: '192.0.2.1 x' }), TypeError);
  assert.throws(() => new LocalSdp({ address: '192.0.2.1', sessionId: 'abc' }), TypeError);
  assert.throws(() => local.build(4000, offerMedia(), parseSdp(sdpVector('sipp-uac-pcap-offer').toString().replace('m=audio', 'm=image'))), TypeError);
});

test.run();
