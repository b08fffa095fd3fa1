import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalSdp, isHold, negotiateAnswer, parseSdp } from '../../../../src/rtp/sdp/index.js';
import { sdp, sdpVector } from './sdp-vectors.js';

const ALL = ['PCMU', 'PCMA', 'G722', 'opus'] as const;

/** Offer -> (isHold, our answer's direction as it reads back, o= version of our answer), through one LocalSdp. */
function exchange(local: LocalSdp, name: string) {
  const offer = parseSdp(sdpVector(name));
  const body = local.build(30000, negotiateAnswer(offer.audio, ALL), offer);
  return { hold: isHold(offer.audio!), answered: parseSdp(body).audio!.direction, version: local.version, offerVersion: offer.origin.sessionVersion };
}

test('baresip: offer, hold (a=sendonly), resume (RFC 3264 §8.4): recvonly while held, version up by one each change', () => {
  const local = new LocalSdp({ address: '203.0.113.1' });
  const steps = ['baresip-offer', 'baresip-hold-sendonly', 'baresip-resume'].map((n) => exchange(local, n));
  assert.equal(steps.map((s) => s.hold), [false, true, false]);
  assert.equal(steps.map((s) => s.answered), ['sendrecv', 'recvonly', 'sendrecv']);
  assert.equal(steps.map((s) => s.version), [1, 2, 3]);
  assert.equal(steps.map((s) => s.offerVersion), ['2013128349', '2013128350', '2013128351'], 'baresip bumps its own version too');
});

test('linphone: pause and resume re-offers over IPv6 (RFC 3264 §8.4)', () => {
  const local = new LocalSdp({ address: '2001:db8::1' });
  const steps = ['linphone-offer', 'linphone-hold-sendonly', 'linphone-resume'].map((n) => exchange(local, n));
  assert.equal(steps.map((s) => [s.hold, s.answered]), [[false, 'sendrecv'], [true, 'recvonly'], [false, 'sendrecv']]);
});

test('SIPp: a=inactive re-offer is hold and is answered inactive (RFC 3264 §6.1)', () => {
  const local = new LocalSdp({ address: '203.0.113.1' });
  const steps = ['sipp-uac-pcap-offer', 'sipp-hold-inactive', 'sipp-uac-pcap-offer'].map((n) => exchange(local, n));
  assert.equal(steps.map((s) => [s.hold, s.answered]), [[false, 'sendrecv'], [true, 'inactive'], [false, 'sendrecv']]);
  assert.equal(steps.map((s) => s.version), [1, 2, 3]);
});

test('Cisco-style c=0.0.0.0 hold (RFC 2543) is hold; we answer recvonly and never send to 0.0.0.0 (RFC 3264 §8.4)', () => {
  const local = new LocalSdp({ address: '203.0.113.1' });
  const steps = ['cisco-style-offer', 'cisco-style-hold-c0', 'cisco-style-offer'].map((n) => exchange(local, n));
  assert.equal(steps.map((s) => [s.hold, s.answered]), [[false, 'sendrecv'], [true, 'recvonly'], [false, 'sendrecv']]);
});

test('Polycom-style session-level a=sendonly is hold (RFC 4566 §6)', () => {
  const local = new LocalSdp({ address: '203.0.113.1' });
  const steps = ['polycom-style-offer', 'polycom-style-hold-sendonly-session'].map((n) => exchange(local, n));
  assert.equal(steps.map((s) => [s.hold, s.answered]), [[false, 'sendrecv'], [true, 'recvonly']]);
});

test('recvonly from the peer is not hold: it still wants our media (RFC 3264 §6.1)', () => {
  const body = sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 4000 RTP/AVP 0', 'a=recvonly');
  const a = parseSdp(body).audio!;
  assert.is(isHold(a), false);
  assert.is(negotiateAnswer(a, ALL).direction, 'sendonly');
});

test('isHold on plain values: sendonly, inactive, 0.0.0.0 and :: are hold; sendrecv and recvonly are not', () => {
  assert.is(isHold({ direction: 'sendonly', address: '192.0.2.1' }), true);
  assert.is(isHold({ direction: 'inactive', address: '192.0.2.1' }), true);
  assert.is(isHold({ direction: 'sendrecv', address: '0.0.0.0' }), true);
  assert.is(isHold({ direction: 'sendrecv', address: '::' }), true);
  assert.is(isHold({ direction: 'sendrecv', address: '192.0.2.1' }), false);
  assert.is(isHold({ direction: 'recvonly', address: '192.0.2.1' }), false);
});

test('the same hold re-offer sent twice gets the same answer body and version (RFC 3264 §8)', () => {
  const local = new LocalSdp({ address: '203.0.113.1' });
  exchange(local, 'baresip-offer');
  exchange(local, 'baresip-hold-sendonly');
  const first = local.lastBody;
  const again = exchange(local, 'baresip-hold-sendonly');
  assert.is(again.version, 2);
  assert.is(local.lastBody, first);
});

test.run();
