import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createResponse } from '../../../../src/sip/response.js';
import { TransactionStateError } from '../../../../src/sip/transaction/transaction-layer.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { LayerProbe } from '../../../support/layer-probe.js';
import { flow, layer, request } from '../../../support/sip-builders.js';

const udp = flow('udp', '198.51.100.7', 5062);
const tcp = flow('tcp', '198.51.100.7', 40123);
const VIA = 'SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bKinv1';
const TCP_VIA = 'SIP/2.0/TCP 198.51.100.7:5062;branch=z9hG4bKinv1';

const invite = (via = VIA) =>
  request('INVITE', { via: [via], callId: 'inv@198.51.100.7', contact: '<sip:alice@198.51.100.7:5062>', headers: [['Timestamp', '54']] });
/** The ACK of a non-2xx: same branch (RFC 3261 §17.1.1.3). */
const ackSameBranch = (via = VIA, toTag = 'uas1') => request('ACK', { via: [via], callId: 'inv@198.51.100.7', to: `<sip:bob@b.example>;tag=${toTag}` });

function setup(opts: { f?: typeof udp; via?: string; sendTrying?: boolean } = {}) {
  const clock = new FakeClock();
  const probe = new LayerProbe(layer(clock, '192.0.2.1', opts.sendTrying === false ? { sendTrying: false } : {}), clock);
  probe.receive(invite(opts.via), opts.f ?? udp);
  const ev = probe.eventsOf('request')[0]!.event;
  return { probe, tx: ev.tx, req: ev.request };
}

test('the layer sends 100 Trying at once for a new INVITE, copying Timestamp and adding no To tag (RFC 3261 §17.2.1, §8.2.6.1)', () => {
  const { probe, tx } = setup();
  assert.is(tx.state, 'Proceeding');
  assert.equal(probe.sent.map((s) => [s.t, s.startLine]), [[0, 'SIP/2.0 100 Trying']]);
  assert.match(probe.sent[0]!.text, /\r\nTimestamp: 54\r\n/);
  assert.match(probe.sent[0]!.text, /\r\nTo: <sip:bob@b\.example>\r\n/);
  assert.is(tx.lastResponse?.status, 100);
});

test('sendTrying: false leaves the 100 Trying to the TU (RFC 3261 §17.2.1)', () => {
  const { probe, tx, req } = setup({ sendTrying: false });
  assert.equal(probe.sent, []);
  probe.receive(invite(), udp);
  assert.equal(probe.sent, [], 'nothing to re-send yet');
  probe.layer.respond(tx, createResponse(req, 180, undefined, { toTag: 'uas1' }));
  probe.receive(invite(), udp);
  assert.equal(probe.sent.map((s) => s.startLine), ['SIP/2.0 180 Ringing', 'SIP/2.0 180 Ringing']);
});

test('INVITE retransmissions in Proceeding re-send the most recent provisional response (RFC 3261 §17.2.1)', () => {
  const { probe, tx, req } = setup();
  probe.receive(invite(), udp);
  probe.layer.respond(tx, createResponse(req, 180, undefined, { toTag: 'uas1' }));
  probe.receive(invite(), udp);
  assert.equal(probe.sent.map((s) => s.startLine), ['SIP/2.0 100 Trying', 'SIP/2.0 100 Trying', 'SIP/2.0 180 Ringing', 'SIP/2.0 180 Ringing']);
  assert.equal(probe.eventsOf('request').length, 1);
});

test('Timer G doubles up to T2 for the final response over UDP, and Timer H gives up at 64*T1 (RFC 3261 §17.2.1)', () => {
  const { probe, tx, req } = setup();
  probe.advanceTo(1000);
  probe.layer.respond(tx, createResponse(req, 486, undefined, { toTag: 'uas1' }));
  assert.is(tx.state, 'Completed');
  probe.advanceTo(1000 + 31_999);
  assert.equal(
    probe.sendTimes('SIP/2.0 486').map((t) => t - 1000),
    [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500],
  );
  assert.equal(probe.eventsOf('timeout'), []);
  probe.advanceTo(33_000);
  assert.equal(probe.eventsOf('timeout').map((e) => [e.t, e.event.timer, e.event.tx]), [[33_000, 'H', tx]]);
  assert.is(tx.state, 'Terminated');
});

test('the ACK moves Completed to Confirmed, stops G and H, and Timer I = T4 ends it (RFC 3261 §17.2.1)', () => {
  const { probe, tx, req } = setup();
  probe.layer.respond(tx, createResponse(req, 486, undefined, { toTag: 'uas1' }));
  probe.advanceTo(700);
  probe.receive(ackSameBranch(), udp);
  assert.is(tx.state, 'Confirmed');
  probe.receive(ackSameBranch(), udp);
  probe.receive(invite(), udp);
  probe.advanceTo(5699);
  assert.is(tx.state, 'Confirmed');
  assert.equal(probe.sendTimes('SIP/2.0 486'), [0, 500], 'G stopped by the ACK; nothing re-sent in Confirmed');
  probe.advanceTo(5700);
  assert.is(tx.state, 'Terminated');
  assert.equal(probe.eventsOf('ack'), [], 'the ACK of a non-2xx belongs to the transaction');
  assert.equal(probe.eventsOf('timeout'), []);
});

test('INVITE retransmissions in Completed re-send the final response (RFC 3261 §17.2.1)', () => {
  const { probe, tx, req } = setup();
  probe.layer.respond(tx, createResponse(req, 603, undefined, { toTag: 'uas1' }));
  probe.advanceTo(200);
  probe.receive(invite(), udp);
  assert.equal(probe.sendTimes('SIP/2.0 603'), [0, 200]);
});

test('over TCP no response retransmissions, Timer H still applies, Timer I is zero (RFC 3261 §17.2.1)', () => {
  const { probe, tx, req } = setup({ f: tcp, via: TCP_VIA });
  probe.layer.respond(tx, createResponse(req, 486, undefined, { toTag: 'uas1' }));
  probe.advanceTo(31_999);
  assert.equal(probe.sendTimes('SIP/2.0 486'), [0]);
  probe.receive(ackSameBranch(TCP_VIA), tcp);
  assert.is(tx.state, 'Terminated');

  const again = setup({ f: tcp, via: TCP_VIA });
  again.probe.layer.respond(again.tx, createResponse(again.req, 486, undefined, { toTag: 'uas1' }));
  again.probe.advanceTo(32_000);
  assert.equal(again.probe.eventsOf('timeout').map((e) => [e.t, e.event.timer]), [[32_000, 'H']]);
});

test('a 2xx moves the transaction to Accepted, which absorbs INVITE retransmissions (RFC 6026 §7.1)', () => {
  const { probe, tx, req } = setup();
  const ok = createResponse(req, 200, undefined, { toTag: 'uas1' });
  probe.advanceTo(100);
  probe.layer.respond(tx, ok);
  assert.is(tx.state, 'Accepted');
  probe.advanceTo(600);
  probe.receive(invite(), udp);
  probe.receive(invite(), udp);
  assert.equal(probe.sendTimes('SIP/2.0 200'), [100], 'the transaction never re-sends a 2xx by itself');
  assert.equal(probe.eventsOf('request').length, 1, 'retransmissions are not passed to the TU');
  probe.layer.respond(tx, ok);
  probe.drain();
  assert.equal(probe.sendTimes('SIP/2.0 200'), [100, 600], "the TU's retransmissions go out (RFC 6026 §7.1)");
  assert.throws(() => probe.layer.respond(tx, createResponse(req, 486)), (e: unknown) => e instanceof TransactionStateError);
});

test('an ACK matching the transaction in Accepted is passed to the TU (RFC 6026 §7.1)', () => {
  const { probe, tx, req } = setup();
  probe.layer.respond(tx, createResponse(req, 200, undefined, { toTag: 'uas1' }));
  probe.receive(ackSameBranch(), udp);
  assert.equal(probe.eventsOf('ack').length, 1);
  assert.is(tx.state, 'Accepted');
});

test('Timer L = 64*T1 ends Accepted on every transport (RFC 6026 §7.1)', () => {
  for (const [f, via] of [[udp, VIA], [tcp, TCP_VIA]] as const) {
    const { probe, tx, req } = setup({ f, via });
    probe.layer.respond(tx, createResponse(req, 200, undefined, { toTag: 'uas1' }));
    probe.advanceTo(31_999);
    assert.is(tx.state, 'Accepted');
    probe.advanceTo(32_000);
    assert.is(tx.state, 'Terminated');
    assert.equal(probe.eventsOf('timeout'), [], 'L is a normal end, not a failure');
  }
});

test('an ACK with a new branch (the ACK for a 2xx) matches no transaction and goes to the TU (RFC 3261 §17.2.3)', () => {
  const { probe, tx, req } = setup();
  probe.layer.respond(tx, createResponse(req, 200, undefined, { toTag: 'uas1' }));
  probe.receive(ackSameBranch('SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bKack2'), udp);
  const acks = probe.eventsOf('ack');
  assert.is(acks.length, 1);
  assert.is(acks[0]!.event.flow, udp);
  assert.is(probe.layer.size, 1, 'an ACK never creates a transaction');
});

test.run();
