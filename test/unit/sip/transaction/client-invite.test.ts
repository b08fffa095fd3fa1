import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseMessage } from '../../../../src/sip/parser.js';
import { createResponse } from '../../../../src/sip/response.js';
import type { SipRequest } from '../../../../src/sip/message.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { LayerProbe } from '../../../support/layer-probe.js';
import { flow, layer, request } from '../../../support/sip-builders.js';

const udp = flow('udp', '198.51.100.7');
const tcp = flow('tcp', '198.51.100.7');

function setup(protocol: 'udp' | 'tcp' = 'udp', spec: Parameters<typeof request>[1] = {}) {
  const clock = new FakeClock();
  const probe = new LayerProbe(layer(clock, '192.0.2.1'), clock);
  const req = request('INVITE', { contact: '<sip:alice@192.0.2.1>', ...spec });
  const tx = probe.layer.sendRequest(req, protocol === 'udp' ? udp : tcp);
  probe.drain();
  return { probe, tx, req, flow: protocol === 'udp' ? udp : tcp };
}

const answer = (req: SipRequest, status: number, tag = 'uas1') => createResponse(req, status, undefined, { toTag: tag });

function parsedSent(text: string): SipRequest {
  const r = parseMessage(Buffer.from(text, 'latin1'));
  if (!r.ok || r.message.kind !== 'request') throw new Error('not a request');
  return r.message;
}

test('Timer A doubles without a T2 cap for INVITE over UDP (RFC 3261 §17.1.1.2)', () => {
  const { probe, tx } = setup();
  assert.is(tx.state, 'Calling');
  probe.advanceTo(31_999);
  assert.equal(probe.sendTimes('INVITE'), [0, 500, 1500, 3500, 7500, 15500, 31500]);
  assert.is(tx.retransmissions, 6);
});

test('Timer B times the INVITE out at 64*T1 in Calling (RFC 3261 §17.1.1.2)', () => {
  const { probe, tx } = setup();
  probe.advanceTo(32_000);
  assert.equal(probe.eventsOf('timeout').map((e) => [e.t, e.event.timer]), [[32_000, 'B']]);
  assert.is(tx.state, 'Terminated');
  assert.is(probe.layer.size, 0);
});

test('a provisional response stops retransmissions and Timer B (Proceeding, RFC 3261 §17.1.1.2)', () => {
  const { probe, tx, req } = setup();
  probe.advanceTo(800);
  probe.receive(answer(req, 180), udp);
  assert.is(tx.state, 'Proceeding');
  probe.advanceTo(120_000);
  assert.equal(probe.sendTimes('INVITE'), [0, 500]);
  assert.equal(probe.eventsOf('timeout'), [], 'no Timer B in Proceeding: the TU decides (Timer C is a proxy matter)');
  assert.is(tx.state, 'Proceeding');
});

test('a 300-699 response is ACKed by the transaction with the branch, To tag and Route of §17.1.1.3', () => {
  const { probe, tx, req } = setup('udp', { route: ['<sip:p1.example;lr>', '<sip:p2.example;lr>'], uri: 'sip:bob@b.example;transport=udp' });
  probe.advanceTo(100);
  probe.receive(answer(req, 486), udp);
  assert.is(tx.state, 'Completed');
  const ack = parsedSent(probe.lastSent('ACK').text);
  assert.is(ack.uri, 'sip:bob@b.example;transport=udp', 'Request-URI of the INVITE');
  assert.equal(ack.headers.getAll('Via'), [req.headers.getAll('Via')[0]!], 'a single Via equal to the INVITE top Via');
  assert.is(ack.headers.get('To'), '<sip:bob@b.example>;tag=uas1', 'To of the response');
  assert.is(ack.headers.get('From'), req.headers.get('From'));
  assert.is(ack.headers.get('Call-ID'), req.headers.get('Call-ID'));
  assert.is(ack.headers.get('CSeq'), '1 ACK');
  assert.equal(ack.headers.getAll('Route'), ['<sip:p1.example;lr>', '<sip:p2.example;lr>']);
  assert.is(probe.lastSent('ACK').flow, udp, 'same destination as the INVITE');
  assert.equal(probe.eventsOf('response').map((e) => e.event.response.status), [486]);
});

test('retransmitted final responses re-send the ACK and are not passed up; Timer D = 32 s on UDP (RFC 3261 §17.1.1.2)', () => {
  const { probe, tx, req } = setup();
  probe.advanceTo(100);
  probe.receive(answer(req, 486), udp);
  probe.advanceTo(600);
  probe.receive(answer(req, 486), udp);
  probe.advanceTo(1600);
  probe.receive(answer(req, 486), udp);
  assert.equal(probe.sendTimes('ACK'), [100, 600, 1600]);
  assert.ok(probe.sent.filter((s) => s.startLine.startsWith('ACK')).every((s, _i, all) => s.data === all[0]!.data));
  assert.equal(probe.eventsOf('response').length, 1);
  probe.advanceTo(32_099);
  assert.is(tx.state, 'Completed');
  probe.advanceTo(32_100);
  assert.is(tx.state, 'Terminated');
  assert.equal(probe.eventsOf('terminated').map((e) => e.t), [32_100]);
});

test('Timer D is zero over TCP: Completed ends at once (RFC 3261 §17.1.1.2)', () => {
  const { probe } = setup('tcp');
  probe.advanceTo(40_000);
  assert.equal(probe.sendTimes('INVITE'), [0], 'no Timer A over TCP');
  assert.equal(probe.eventsOf('timeout').map((e) => e.t), [32_000], 'Timer B applies on every transport');
  const { probe: p2, tx: tx2, req: req2 } = setup('tcp');
  p2.receive(answer(req2, 603), tcp);
  assert.is(tx2.state, 'Terminated');
  assert.equal(p2.sendTimes('ACK'), [0]);
});

test('a 2xx moves the transaction to Accepted without an ACK; Timer M = 64*T1 (RFC 6026 §7.2)', () => {
  const { probe, tx, req } = setup();
  probe.advanceTo(200);
  probe.receive(answer(req, 180), udp);
  probe.advanceTo(3000);
  probe.receive(answer(req, 200), udp);
  assert.is(tx.state, 'Accepted');
  assert.equal(probe.sendTimes('ACK'), [], 'the ACK for a 2xx is the TU\'s (§13.2.2.4)');
  probe.advanceTo(3500);
  probe.receive(answer(req, 200), udp); // the UAS retransmits its 2xx
  probe.receive(answer(req, 200, 'fork2'), udp); // another fork answers too
  assert.equal(
    probe.eventsOf('response').map((e) => [e.t, e.event.response.status, e.event.response.headers.get('To')]),
    [
      [200, 180, '<sip:bob@b.example>;tag=uas1'],
      [3000, 200, '<sip:bob@b.example>;tag=uas1'],
      [3500, 200, '<sip:bob@b.example>;tag=uas1'],
      [3500, 200, '<sip:bob@b.example>;tag=fork2'],
    ],
  );
  probe.receive(answer(req, 180), udp);
  probe.receive(answer(req, 500), udp);
  assert.equal(probe.eventsOf('response').length, 4, '1xx and non-2xx are absorbed in Accepted');
  probe.advanceTo(34_999);
  assert.is(tx.state, 'Accepted');
  probe.advanceTo(35_000);
  assert.is(tx.state, 'Terminated');
  // After the transaction, a late 2xx retransmission is a stray (RFC 6026 §8.9).
  probe.receive(answer(req, 200), udp);
  assert.equal(probe.eventsOf('stray-response').map((e) => e.event.response.status), [200]);
});

test('Timer M also applies over TCP: 2xx from other forks still reach the TU (RFC 6026 §7.2)', () => {
  const { probe, tx, req } = setup('tcp');
  probe.receive(answer(req, 200), tcp);
  assert.is(tx.state, 'Accepted');
  probe.advanceTo(31_999);
  probe.receive(answer(req, 200, 'fork2'), tcp);
  assert.equal(probe.eventsOf('response').length, 2);
  probe.advanceTo(32_000);
  assert.is(tx.state, 'Terminated');
});

test('a 2xx after a non-2xx final response is reported as stray and changes nothing', () => {
  const { probe, tx, req } = setup();
  probe.receive(answer(req, 486), udp);
  probe.receive(answer(req, 200, 'fork2'), udp);
  assert.is(tx.state, 'Completed');
  assert.equal(probe.eventsOf('stray-response').map((e) => e.event.response.status), [200]);
  assert.equal(probe.eventsOf('response').map((e) => e.event.response.status), [486]);
});

test('ACK and CSeq-mismatched requests are refused by sendRequest (RFC 3261 §17.1.1.3, §8.1.1.5)', () => {
  const clock = new FakeClock();
  const l = layer(clock, '192.0.2.1');
  assert.throws(() => l.sendRequest(request('ACK'), udp), /sendStateless/);
  const bad = request('INVITE');
  bad.headers.set('CSeq', '1 OPTIONS');
  assert.throws(() => l.sendRequest(bad, udp), /CSeq method/);
  const noCookie = request('INVITE', { via: ['SIP/2.0/UDP 192.0.2.1;branch=1234'] });
  assert.throws(() => l.sendRequest(noCookie, udp), /RFC 3261 branch/);
  assert.is(l.size, 0);
});

test('a request that already has a Via keeps it, and its branch identifies the transaction', () => {
  const clock = new FakeClock();
  const probe = new LayerProbe(layer(clock, '192.0.2.1'), clock);
  const req = request('INVITE', { via: ['SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bKmine'] });
  const tx = probe.layer.sendRequest(req, udp);
  assert.is(tx.branch, 'z9hG4bKmine');
  assert.equal(req.headers.getAll('Via'), ['SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bKmine']);
  assert.throws(() => probe.layer.sendRequest(req, udp), /already exists/);
});

test.run();
