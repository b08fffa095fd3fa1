import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createResponse } from '../../../../src/sip/response.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { LayerProbe } from '../../../support/layer-probe.js';
import { flow, layer, request } from '../../../support/sip-builders.js';
import type { SipRequest } from '../../../../src/sip/message.js';

const udp = flow('udp', '198.51.100.7');
const tcp = flow('tcp', '198.51.100.7');

function setup(protocol: 'udp' | 'tcp' = 'udp') {
  const clock = new FakeClock();
  const probe = new LayerProbe(layer(clock, '192.0.2.1'), clock);
  const req = request('OPTIONS');
  const tx = probe.layer.sendRequest(req, protocol === 'udp' ? udp : tcp);
  probe.drain();
  return { probe, tx, req };
}

/** The response a UAS would send, as it arrives back (same Via as our request). */
function answer(req: SipRequest, status: number) {
  return createResponse(req, status, undefined, { toTag: 'uas1' });
}

test('adds a top Via with transport, sent-by, an RFC 3261 branch and rport (RFC 3261 §8.1.1.7, §18.1.1, RFC 3581)', () => {
  const { probe, tx } = setup();
  const via = probe.sent[0]!.text.match(/\r\nVia: ([^\r]*)/)![1]!;
  assert.match(via, /^SIP\/2\.0\/UDP 192\.0\.2\.1:5060;branch=z9hG4bK[-\w]+;rport$/);
  assert.ok(via.includes(tx.branch));
  assert.is(tx.state, 'Trying');
  assert.is(tx.method, 'OPTIONS');
  assert.is(tx.isInvite, false);
});

test('Timer E doubles up to T2 for non-INVITE over UDP (RFC 3261 §17.1.2.2)', () => {
  const { probe } = setup();
  probe.advanceTo(31_999);
  assert.equal(probe.sendTimes('OPTIONS'), [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
  // Every retransmission is the very same buffer (serialized once).
  assert.ok(probe.sent.every((s) => s.data === probe.sent[0]!.data));
});

test('Timer F times the transaction out at 64*T1 (RFC 3261 §17.1.2.2)', () => {
  const { probe, tx } = setup();
  probe.advanceTo(31_999);
  assert.equal(probe.eventsOf('timeout'), []);
  probe.advanceTo(32_000);
  assert.equal(probe.eventsOf('timeout').map((e) => [e.t, e.event.timer, e.event.tx]), [[32_000, 'F', tx]]);
  assert.is(tx.state, 'Terminated');
  assert.equal(probe.eventsOf('terminated').map((e) => e.t), [32_000]);
  assert.is(probe.layer.size, 0);
  assert.is(probe.layer.pollTimeout(), undefined);
});

test('Timer E is reset to T2 once a provisional response arrives (RFC 3261 §17.1.2.2)', () => {
  const { probe, tx, req } = setup();
  probe.advanceTo(600);
  probe.receive(answer(req, 100), udp);
  assert.is(tx.state, 'Proceeding');
  probe.advanceTo(14_000);
  // E was armed for 1500 before the 1xx; from then on it runs every T2.
  assert.equal(probe.sendTimes('OPTIONS'), [0, 500, 1500, 5500, 9500, 13500]);
  assert.equal(probe.eventsOf('response').map((e) => e.event.response.status), [100]);
});

test('a final response goes to the TU once and Timer K = T4 ends the transaction (RFC 3261 §17.1.2.2)', () => {
  const { probe, tx, req } = setup();
  probe.advanceTo(700);
  const ok = answer(req, 200);
  probe.receive(ok, udp);
  assert.is(tx.state, 'Completed');
  assert.is(tx.lastResponse, ok);
  probe.advanceTo(2000);
  probe.receive(answer(req, 200), udp); // retransmission: absorbed
  probe.advanceTo(5699);
  assert.is(tx.state, 'Completed');
  probe.advanceTo(5700);
  assert.is(tx.state, 'Terminated');
  assert.equal(probe.eventsOf('response').map((e) => [e.t, e.event.response.status]), [[700, 200]]);
  assert.equal(probe.sendTimes('OPTIONS'), [0, 500], 'no retransmission after the final response');
  assert.equal(probe.eventsOf('terminated').map((e) => e.t), [5700]);
});

test('over TCP the request is never retransmitted, Timer F still applies, Timer K is zero (RFC 3261 §17.1.2.2)', () => {
  const { probe, tx, req } = setup('tcp');
  probe.advanceTo(31_999);
  assert.equal(probe.sendTimes('OPTIONS'), [0]);
  assert.match(probe.sent[0]!.text, /Via: SIP\/2\.0\/TCP /);
  probe.receive(answer(req, 404), tcp);
  assert.is(tx.state, 'Terminated', 'K = 0 on reliable transports');
  assert.equal(probe.events.map((e) => e.event.type), ['response', 'terminated']);

  const again = setup('tcp');
  again.probe.advanceTo(32_000);
  assert.equal(again.probe.eventsOf('timeout').map((e) => e.t), [32_000]);
  assert.equal(again.probe.sendTimes('OPTIONS'), [0]);
});

test('T1 and T2 options scale every timer (RFC 3261 §17.1.2.2 with T1=100, T2=400)', () => {
  const clock = new FakeClock();
  const probe = new LayerProbe(layer(clock, '192.0.2.1', { t1: 100, t2: 400 }), clock);
  probe.layer.sendRequest(request('OPTIONS'), udp);
  probe.advanceTo(6400);
  assert.equal(probe.sendTimes('OPTIONS'), [0, 100, 300, 700, 1100, 1500, 1900, 2300, 2700, 3100, 3500, 3900, 4300, 4700, 5100, 5500, 5900, 6300]);
  assert.equal(probe.eventsOf('timeout').map((e) => e.t), [6400]);
});

test('responses for another method with the same branch do not match (RFC 3261 §17.1.3)', () => {
  const { probe, tx, req } = setup();
  const res = answer(req, 200);
  res.headers.set('CSeq', '1 BYE');
  probe.receive(res, udp);
  assert.is(tx.state, 'Trying');
  assert.equal(probe.eventsOf('stray-response').length, 1);
  assert.is(probe.layer.stats.strayResponses, 1);
});

test.run();
