import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CodecName } from '../../../../src/rtp/codec/codec.js';
import { mirrorDirection, negotiateAnswer, parseSdp, toPayloadMappings } from '../../../../src/rtp/sdp/index.js';
import { sdp, sdpErrorOf, sdpVector } from './sdp-vectors.js';

const ALL: CodecName[] = ['PCMU', 'PCMA', 'G722', 'opus'];
const answerTo = (name: string, supported: readonly CodecName[] = ALL) => negotiateAnswer(parseSdp(sdpVector(name)).audio, supported);
const pts = (codecs: { payloadType: number }[]) => codecs.map((c) => c.payloadType);

test('baresip offer: shared codecs in the offerer order with its PTs, telephone-event 101 0-15 (RFC 3264 §6.1)', () => {
  const a = answerTo('baresip-offer');
  assert.equal(a.codecs, [
    { payloadType: 0, name: 'PCMU', clockRate: 8000 },
    { payloadType: 8, name: 'PCMA', clockRate: 8000 },
    { payloadType: 9, name: 'G722', clockRate: 8000 },
    { payloadType: 96, name: 'opus', clockRate: 48000, channels: 2 },
  ]);
  assert.equal(a.telephoneEvent, { payloadType: 101, name: 'telephone-event', clockRate: 8000, fmtp: '0-15' });
  assert.is(a.direction, 'sendrecv');
});

test('the offerer order wins over our preference list (calls design: codecs in the OFFERER order)', () => {
  assert.equal(pts(answerTo('yealink-style-offer', ['opus', 'PCMA', 'PCMU']).codecs), [0, 8]);
  assert.equal(pts(answerTo('yealink-style-offer', ['PCMA', 'G722']).codecs), [9, 8]);
});

test('linphone offer: opus 96, PCMU, PCMA; speex and G.729 dropped; telephone-event at opus clock 48000 (RFC 4733 §2.1)', () => {
  const a = answerTo('linphone-offer');
  assert.equal(pts(a.codecs), [96, 0, 8]);
  assert.equal(a.telephoneEvent, { payloadType: 99, name: 'telephone-event', clockRate: 48000, fmtp: '0-15' });
});

test('linphone offer without opus support: PCMU first, telephone-event 8000 Hz with the default events 0-15 (RFC 4733 §2.4.1)', () => {
  const a = answerTo('linphone-offer', ['PCMU', 'PCMA']);
  assert.equal(pts(a.codecs), [0, 8]);
  assert.equal(a.telephoneEvent, { payloadType: 101, name: 'telephone-event', clockRate: 8000, fmtp: '0-15' });
});

test('SIPp offer: PCMA only, the event list narrowed to what we support (RFC 4733 §7.1.1)', () => {
  const a = answerTo('sipp-uac-pcap-offer');
  assert.equal(pts(a.codecs), [8]);
  assert.is(a.telephoneEvent?.fmtp, '0-11,16');
});

test('Polycom-style offer: G722 9 first, G.722.1 and G.729 dropped, telephone-event 127 (RFC 3264 §6.1)', () => {
  const a = answerTo('polycom-style-offer');
  assert.equal(pts(a.codecs), [9, 0, 8]);
  assert.is(a.telephoneEvent?.payloadType, 127);
});

test('Cisco-style offer: events 0-16 kept (16 = flash, RFC 4734 §3.2), CN dropped', () => {
  const a = answerTo('cisco-style-offer');
  assert.equal(pts(a.codecs), [0, 8]);
  assert.is(a.telephoneEvent?.fmtp, '0-16');
});

test('events beyond flash are left out of the answer, and no shared event drops telephone-event (RFC 4733 §7.1.1)', () => {
  const body = (events: string) => sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 4000 RTP/AVP 0 101', 'a=rtpmap:101 telephone-event/8000', `a=fmtp:101 ${events}`);
  assert.is(negotiateAnswer(parseSdp(body('0-15,32-41,70')).audio, ALL).telephoneEvent?.fmtp, '0-15');
  assert.is(negotiateAnswer(parseSdp(body('32-41')).audio, ALL).telephoneEvent, undefined);
  assert.is(negotiateAnswer(parseSdp(body('not-a-list')).audio, ALL).telephoneEvent, undefined);
});

test('our answer does not copy the offerer fmtp of audio codecs (it describes what we receive, RFC 7587 §7)', () => {
  const opus = answerTo('baresip-offer').codecs.find((c) => c.name === 'opus');
  assert.is(opus?.fmtp, undefined);
});

test('RTP/AVPF offer (WebRTC gateway style) is answered (RFC 4585 is RTP/AVP plus feedback)', () => {
  const a = answerTo('webrtc-gateway-style-avpf-offer');
  assert.equal(pts(a.codecs), [111, 0, 8]);
  assert.is(a.telephoneEvent?.payloadType, 126);
});

test('direction mirrored: sendonly -> recvonly, recvonly -> sendonly, inactive -> inactive (RFC 3264 §6.1)', () => {
  assert.is(mirrorDirection('sendonly'), 'recvonly');
  assert.is(mirrorDirection('recvonly'), 'sendonly');
  assert.is(mirrorDirection('inactive'), 'inactive');
  assert.is(mirrorDirection('sendrecv'), 'sendrecv');
  assert.is(answerTo('baresip-hold-sendonly').direction, 'recvonly');
  assert.is(answerTo('sipp-hold-inactive').direction, 'inactive');
});

test('488 with Warning 302 for SRTP offers we cannot do yet (RTP/SAVP: baresip, linphone) (RFC 3261 §20.43)', () => {
  for (const name of ['baresip-srtp-mandatory-offer', 'linphone-srtp-mandatory-offer']) {
    const err = sdpErrorOf(() => answerTo(name), 488);
    assert.is(err.warning?.code, 302, name);
  }
});

test('488 for the WebRTC offer (UDP/TLS/RTP/SAVPF: DTLS-SRTP and ICE not implemented)', () => {
  const err = sdpErrorOf(() => answerTo('webrtc-chrome-style-offer'), 488);
  assert.equal(err.warning, { code: 302, text: 'Incompatible transport protocol' });
  sdpErrorOf(() => answerTo('baresip-dtls-srtp-offer'), 488);
});

test('best-effort SRTP (RTP/AVP with a=crypto) is answered as plain RTP (RFC 4568 §6.1: crypto only applies to SAVP)', () => {
  assert.equal(pts(answerTo('baresip-srtp-best-effort-offer').codecs), [0, 8, 9, 96]);
});

test('488 with Warning 305 when no codec is shared (G.729 only) (RFC 3264 §6)', () => {
  const body = sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 4000 RTP/AVP 18 101', 'a=rtpmap:101 telephone-event/8000');
  const err = sdpErrorOf(() => negotiateAnswer(parseSdp(body).audio, ALL), 488);
  assert.is(err.warning?.code, 305);
  assert.match(err.message, /G729\/8000/);
});

test('488 when the codec we share is not in our supported list', () => {
  sdpErrorOf(() => answerTo('sipp-uac-pcap-offer', ['PCMU', 'opus']), 488);
  sdpErrorOf(() => answerTo('baresip-offer', []), 488);
});

test('488 with Warning 304 for a disabled audio stream (port 0) and for no audio at all (RFC 3264 §6)', () => {
  const disabled = sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 0 RTP/AVP 0');
  assert.is(sdpErrorOf(() => negotiateAnswer(parseSdp(disabled).audio, ALL), 488).warning?.code, 304);
  const fax = sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=image 4000 udptl t38');
  assert.is(sdpErrorOf(() => negotiateAnswer(parseSdp(fax).audio, ALL), 488).warning?.code, 304);
  const none = sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0');
  sdpErrorOf(() => negotiateAnswer(parseSdp(none).audio, ALL), 488);
});

test('G.722 is understood only at its RFC 3551 §4.5.2 clock rate 8000', () => {
  const body = sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 4000 RTP/AVP 9', 'a=rtpmap:9 G722/16000');
  sdpErrorOf(() => negotiateAnswer(parseSdp(body).audio, ALL), 488);
});

test('toPayloadMappings gives the engine each answered PT with its codec (calls design)', () => {
  const a = answerTo('linphone-offer');
  assert.equal(toPayloadMappings(a.codecs), [
    { payloadType: 96, codec: 'opus' },
    { payloadType: 0, codec: 'PCMU' },
    { payloadType: 8, codec: 'PCMA' },
  ]);
  assert.equal(toPayloadMappings(parseSdp(sdpVector('linphone-offer')).audio!.codecs).length, 3, 'speex and G.729 have no engine codec');
});

test.run();
