import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSdp } from '../../../../src/rtp/sdp/index.js';
import { sdp, sdpVector } from './sdp-vectors.js';

const names = (codecs: { payloadType: number; name: string; clockRate: number; channels?: number }[]) =>
  codecs.map((c) => `${c.payloadType} ${c.name}/${c.clockRate}${c.channels ? `/${c.channels}` : ''}`);

test('baresip 1.0.0 offer: codecs in its order, opus fmtp kept, telephone-event apart (RFC 3264 §5.1, RFC 4733 §7)', () => {
  const d = parseSdp(sdpVector('baresip-offer'));
  assert.equal(d.origin, { username: '-', sessionId: '2608484232', sessionVersion: '2013128349', address: '127.0.0.1' });
  const a = d.audio!;
  assert.is(a.address, '127.0.0.1');
  assert.is(a.addressFamily, 'IP4');
  assert.is(a.port, 11002);
  assert.is(a.protocol, 'RTP/AVP');
  assert.equal(names(a.codecs), ['0 PCMU/8000', '8 PCMA/8000', '9 G722/8000', '96 opus/48000/2']);
  assert.is(a.codecs[3]!.fmtp, 'stereo=1;sprop-stereo=1');
  assert.equal(a.telephoneEvent, { payloadType: 101, name: 'telephone-event', clockRate: 8000, fmtp: '0-15' });
  assert.is(a.direction, 'sendrecv');
  assert.is(a.ptime, 20);
  assert.is(a.rtcpMux, false);
  assert.is(a.index, 0);
  assert.equal(d.media, [{ type: 'audio', port: 11002, protocol: 'RTP/AVP', formats: ['0', '8', '9', '96', '101'] }]);
});

test('linphone 5.1 offer over IPv6: static PTs 0, 8, 18 without rtpmap named from RFC 3551 §6', () => {
  const a = parseSdp(sdpVector('linphone-offer')).audio!;
  assert.is(a.address, 'fd00::2');
  assert.is(a.addressFamily, 'IP6');
  assert.equal(names(a.codecs), ['96 opus/48000/2', '97 speex/16000', '98 speex/8000', '0 PCMU/8000', '8 PCMA/8000', '18 G729/8000']);
  assert.is(a.codecs[5]!.fmtp, 'annexb=yes');
  assert.is(a.direction, 'sendrecv', 'no direction attribute means sendrecv (RFC 3264 §5.1)');
  assert.is(a.ptime, undefined);
});

test('several telephone-event rates: the 8000 Hz one is described, all are kept (RFC 4733 §7.1.1)', () => {
  const a = parseSdp(sdpVector('linphone-offer')).audio!;
  assert.is(a.telephoneEvent?.payloadType, 101);
  assert.equal(a.telephoneEvents?.map((e) => [e.payloadType, e.clockRate]), [[99, 48000], [100, 16000], [101, 8000]]);
});

test('SIPp uac_pcap offer: PCMA + telephone-event with a sparse event list (RFC 4733 §2.4.1)', () => {
  const a = parseSdp(sdpVector('sipp-uac-pcap-offer')).audio!;
  assert.equal(names(a.codecs), ['8 PCMA/8000']);
  assert.is(a.telephoneEvent?.fmtp, '0-11,16');
  assert.is(a.port, 6000);
});

test('Polycom-style offer: session-level a=sendrecv, G.722.1 named but dynamic (RFC 4566 §6)', () => {
  const a = parseSdp(sdpVector('polycom-style-offer')).audio!;
  assert.equal(names(a.codecs), ['9 G722/8000', '102 G7221/16000', '0 PCMU/8000', '8 PCMA/8000', '18 G729/8000']);
  assert.is(a.telephoneEvent?.payloadType, 127);
  assert.is(a.direction, 'sendrecv');
});

test('session-level direction applies when the m-line has none (RFC 4566 §6, RFC 3264 §5.1)', () => {
  assert.is(parseSdp(sdpVector('polycom-style-hold-sendonly-session')).audio!.direction, 'sendonly');
});

test('media-level direction overrides the session-level one (RFC 4566 §6)', () => {
  const body = sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'a=sendonly', 'm=audio 4000 RTP/AVP 0', 'a=recvonly');
  assert.is(parseSdp(body).audio!.direction, 'recvonly');
});

test('Cisco-style offer: media-level c=, static CN 19 is not a static type but rtpmap names it', () => {
  const a = parseSdp(sdpVector('cisco-style-offer')).audio!;
  assert.equal(names(a.codecs), ['0 PCMU/8000', '8 PCMA/8000', '18 G729/8000', '19 CN/8000']);
  assert.is(a.telephoneEvent?.fmtp, '0-16');
});

test('c=0.0.0.0 (RFC 2543 hold) kept as written, direction loses its receive half (RFC 3264 §8.4)', () => {
  const a = parseSdp(sdpVector('cisco-style-hold-c0')).audio!;
  assert.is(a.address, '0.0.0.0');
  assert.is(a.direction, 'sendonly');
  const recvonly = sdp('v=0', 'o=- 1 2 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 0.0.0.0', 't=0 0', 'm=audio 4000 RTP/AVP 0', 'a=recvonly');
  assert.is(parseSdp(recvonly).audio!.direction, 'inactive');
});

test('WebRTC-style offer: UDP/TLS/RTP/SAVPF, audio level extmap id, rtcp-mux and a=rtcp port (RFC 8285, RFC 5761, RFC 3605)', () => {
  const a = parseSdp(sdpVector('webrtc-chrome-style-offer')).audio!;
  assert.is(a.protocol, 'UDP/TLS/RTP/SAVPF');
  assert.is(a.audioLevelExtId, 1);
  assert.is(a.rtcpMux, true);
  assert.is(a.rtcpPort, 9);
  assert.equal(names(a.codecs), ['111 opus/48000/2', '63 red/48000/2', '9 G722/8000', '0 PCMU/8000', '8 PCMA/8000', '13 CN/8000']);
  assert.is(a.telephoneEvent?.payloadType, 126);
});

test('audio + video offer: audio described, both m-lines listed in order (RFC 3264 §6)', () => {
  const d = parseSdp(sdpVector('linphone-audio-video-offer'));
  assert.is(d.audio?.index, 0);
  assert.equal(d.media.map((m) => [m.type, m.port, m.protocol, m.formats.join(' ')]), [
    ['audio', 12022, 'RTP/AVP', '96 97 98 0 8 18 99 100 101'],
    ['video', 12276, 'RTP/AVP', '96'],
  ]);
});

test('an RTP/SAVP stream followed by an RTP/AVP one: the usable RTP/AVP stream is described', () => {
  const d = parseSdp(sdpVector('sbc-style-srtp-then-rtp-offer'));
  assert.is(d.audio?.index, 1);
  assert.is(d.audio?.protocol, 'RTP/AVP');
  assert.is(d.audio?.port, 30002);
  assert.is(d.audio?.rtcpPort, 30003);
});

test('only SRTP audio: that stream is still described so negotiation can say 488', () => {
  const a = parseSdp(sdpVector('baresip-srtp-mandatory-offer')).audio!;
  assert.is(a.protocol, 'RTP/SAVP');
  assert.is(a.index, 0);
});

test('encoding names match case-insensitively, an rtpmap overrides the static meaning (RFC 4855 §3, RFC 4566 §6)', () => {
  const body = sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 4000 RTP/AVP 96 0 101', 'a=rtpmap:96 OPUS/48000/2', 'a=rtpmap:0 pcmu/8000', 'a=rtpmap:101 Telephone-Event/8000');
  const a = parseSdp(body).audio!;
  assert.equal(names(a.codecs), ['96 OPUS/48000/2', '0 pcmu/8000']);
  assert.is(a.telephoneEvent?.payloadType, 101);
});

test('a dynamic payload type without rtpmap, or with a broken one, cannot be named and is left out (RFC 3551 §3)', () => {
  const body = sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 4000 RTP/AVP 96 97 8', 'a=rtpmap:97 opus');
  assert.equal(names(parseSdp(body).audio!.codecs), ['8 PCMA/8000']);
});

test('no audio m-line: audio undefined, media still listed', () => {
  const body = sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=image 4000 udptl t38');
  const d = parseSdp(body);
  assert.is(d.audio, undefined);
  assert.equal(d.media, [{ type: 'image', port: 4000, protocol: 'udptl', formats: ['t38'] }]);
});

test('zero m-lines is valid SDP (RFC 4566 §5, RFC 3264 §5)', () => {
  const d = parseSdp(sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0'));
  assert.is(d.audio, undefined);
  assert.equal(d.media, []);
});

test('LF-only line ends, a Buffer body, port/count and a multicast c= with TTL are read (RFC 4566 §5, §5.7, §5.14)', () => {
  const body = Buffer.from('v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nt=0 0\nm=audio 5004/2 RTP/AVP 0\nc=IN IP4 233.252.0.1/127\n');
  const a = parseSdp(body).audio!;
  assert.is(a.port, 5004);
  assert.is(a.address, '233.252.0.1');
});

test('o= session id and version larger than 2^53 stay exact strings (RFC 4566 §5.2)', () => {
  const d = parseSdp(sdpVector('webrtc-chrome-style-offer'));
  assert.is(d.origin.sessionId, '4611731400430051336');
  assert.is(d.origin.sessionVersion, '2');
});

test('a disabled (port 0) m-line without c= is accepted (RFC 3264 §6)', () => {
  const body = sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 't=0 0', 'm=audio 4000 RTP/AVP 0', 'c=IN IP4 192.0.2.1', 'm=video 0 RTP/AVP 96');
  assert.equal(parseSdp(body).media.map((m) => m.port), [4000, 0]);
});

test.run();
