import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createResponse } from '../../../../src/sip/response.js';
import { TransactionReleasedError, TransactionStateError } from '../../../../src/sip/transaction/transaction-layer.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { LayerProbe } from '../../../support/layer-probe.js';
import { flow, layer, request } from '../../../support/sip-builders.js';

const udp = flow('udp', '198.51.100.7', 5062);
const tcp = flow('tcp', '198.51.100.7', 40123);
const VIA = 'SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bKreg1';

/** A fresh copy of the same REGISTER each time: what a retransmission looks like. */
const register = (via = VIA) => request('REGISTER', { via: [via], callId: 'reg@198.51.100.7', uri: 'sip:pbx.example' });

function setup(f = udp, via = VIA) {
  const clock = new FakeClock();
  const probe = new LayerProbe(layer(clock, '192.0.2.1'), clock);
  probe.receive(register(via), f);
  const ev = probe.eventsOf('request')[0]!.event;
  return { probe, tx: ev.tx, req: ev.request };
}

test('a new request creates a server transaction in Trying and reaches the TU once (RFC 3261 §17.2.2)', () => {
  const { probe, tx, req } = setup();
  assert.is(tx.state, 'Trying');
  assert.is(tx.method, 'REGISTER');
  assert.is(tx.branch, 'z9hG4bKreg1');
  assert.is(tx.flow, udp);
  assert.equal(tx.responseFlow, udp);
  assert.is(tx.request, req);
  assert.is(probe.layer.size, 1);
  assert.equal(probe.sent, [], 'no automatic 100 Trying for non-INVITE');
});

test('retransmissions are discarded in Trying (RFC 3261 §17.2.2)', () => {
  const { probe } = setup();
  probe.receive(register(), udp);
  probe.receive(register(), udp);
  assert.equal(probe.sent, []);
  assert.equal(probe.eventsOf('request').length, 1);
  assert.is(probe.layer.stats.absorbedRequests, 2);
});

test('retransmissions in Proceeding re-send the last provisional response (RFC 3261 §17.2.2)', () => {
  const { probe, tx, req } = setup();
  probe.layer.respond(tx, createResponse(req, 100));
  probe.drain();
  assert.is(tx.state, 'Proceeding');
  probe.receive(register(), udp);
  assert.equal(probe.sent.map((s) => s.startLine), ['SIP/2.0 100 Trying', 'SIP/2.0 100 Trying']);
  assert.is(probe.sent[1]!.data, probe.sent[0]!.data, 'the same bytes, serialized once');
});

test('retransmissions in Completed re-send the final response; Timer J = 64*T1 over UDP (RFC 3261 §17.2.2)', () => {
  const { probe, tx, req } = setup();
  probe.advanceTo(50);
  probe.layer.respond(tx, createResponse(req, 200, undefined, { toTag: 'r1' }));
  probe.drain();
  assert.is(tx.state, 'Completed');
  probe.advanceTo(550);
  probe.receive(register(), udp);
  assert.equal(probe.sent.map((s) => [s.t, s.startLine]), [[50, 'SIP/2.0 200 OK'], [550, 'SIP/2.0 200 OK']]);
  probe.advanceTo(32_049);
  assert.is(tx.state, 'Completed');
  probe.advanceTo(32_050);
  assert.is(tx.state, 'Terminated');
  assert.equal(probe.eventsOf('terminated').map((e) => e.t), [32_050]);
  assert.is(probe.layer.size, 0);
  // After Timer J a copy is a new request again.
  probe.receive(register(), udp);
  assert.equal(probe.eventsOf('request').length, 2);
});

test('the final response is not retransmitted by a timer: only request retransmissions trigger it (RFC 3261 §17.2.2)', () => {
  const { probe, tx, req } = setup();
  probe.layer.respond(tx, createResponse(req, 404));
  probe.advanceTo(40_000);
  assert.equal(probe.sent.length, 1);
});

test('Timer J is zero over TCP: the transaction ends with the final response (RFC 3261 §17.2.2)', () => {
  const { probe, tx, req } = setup(tcp, 'SIP/2.0/TCP 198.51.100.7:5062;branch=z9hG4bKreg1');
  probe.layer.respond(tx, createResponse(req, 200));
  probe.drain();
  assert.is(tx.state, 'Terminated');
  assert.equal(probe.events.map((e) => e.event.type), ['request', 'terminated']);
  assert.equal(probe.sent[0]!.flow, tcp, 'over the connection the request came on (§18.2.2)');
});

test('responses go to received:rport when the request asked for rport (RFC 3581 §4, RFC 3261 §18.2.2)', () => {
  const clock = new FakeClock();
  const probe = new LayerProbe(layer(clock, '192.0.2.1'), clock);
  const req = request('OPTIONS', { via: ['SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bKnat;received=203.0.113.9;rport=40000'] });
  probe.receive(req, flow('udp', '203.0.113.9', 40000));
  const tx = probe.eventsOf('request')[0]!.event.tx;
  probe.layer.respond(tx, createResponse(req, 200));
  probe.drain();
  assert.is(probe.sent[0]!.flow.remoteAddress, '203.0.113.9');
  assert.is(probe.sent[0]!.flow.remotePort, 40000);
});

test('a second final response, or a provisional after the final, throws (illegal edge)', () => {
  const { probe, tx, req } = setup();
  probe.layer.respond(tx, createResponse(req, 200));
  assert.throws(() => probe.layer.respond(tx, createResponse(req, 500)), (e: unknown) => e instanceof TransactionStateError && /Completed/.test((e as Error).message));
  assert.throws(() => probe.layer.respond(tx, createResponse(req, 100)), (e: unknown) => e instanceof TransactionStateError);
  probe.advanceTo(32_000);
  assert.throws(() => probe.layer.respond(tx, createResponse(req, 200)), /Terminated/);
});

test('the same branch from another sent-by, or for another method, is another transaction (RFC 3261 §17.2.3)', () => {
  const { probe } = setup();
  probe.receive(register('SIP/2.0/UDP 198.51.100.8:5062;branch=z9hG4bKreg1'), udp);
  const opts = request('OPTIONS', { via: [VIA], callId: 'reg@198.51.100.7' });
  probe.receive(opts, udp);
  probe.receive(register('SIP/2.0/UDP 198.51.100.7;branch=z9hG4bKreg1'), udp);
  assert.equal(probe.eventsOf('request').length, 4, 'different host, different method, no port vs :5062');
  assert.is(probe.layer.size, 4);
});

test('no provisional response other than 100 to a non-INVITE request (RFC 4320 §4.1)', () => {
  const { probe, tx, req } = setup();
  assert.throws(() => probe.layer.respond(tx, createResponse(req, 180)), /RFC 4320/);
  assert.is(tx.state, 'Trying');
});

test('sent-by hosts compare case-insensitively (RFC 3261 §17.2.3)', () => {
  const { probe } = setup(udp, 'SIP/2.0/UDP PC33.Example.com:5062;branch=z9hG4bKreg1');
  probe.receive(register('SIP/2.0/UDP pc33.example.COM:5062;branch=z9hG4bKreg1'), udp);
  assert.equal(probe.eventsOf('request').length, 1);
  assert.is(probe.layer.stats.absorbedRequests, 1);
});

test('once Completed over UDP it keeps only the final response bytes, and still re-sends them (RFC 3261 §17.2.2)', () => {
  const { probe, tx, req } = setup();
  assert.is(tx.released, false);
  probe.layer.respond(tx, createResponse(req, 200, undefined, { toTag: 'r1' }));
  probe.drain();
  assert.is(tx.released, true);
  assert.throws(() => tx.request, (e: unknown) => e instanceof TransactionReleasedError && /REGISTER/.test((e as Error).message));
  assert.is(tx.lastResponse?.status, 200, 'parsed again from the bytes sent');
  assert.is(tx.lastResponse?.headers.get('call-id'), 'reg@198.51.100.7');
  assert.is(tx.branch, 'z9hG4bKreg1');
  probe.receive(register(), udp);
  assert.is(probe.sent.length, 2);
  assert.ok(probe.sent[1]!.data.equals(probe.sent[0]!.data), 'the retransmission is the same bytes');
  probe.advanceTo(32_000);
  assert.is(tx.state, 'Terminated');
});

test('over TCP, and for requests matched the RFC 2543 way, the request is kept with the transaction (RFC 3261 §17.2.3)', () => {
  const overTcp = setup(tcp, 'SIP/2.0/TCP 198.51.100.7:5062;branch=z9hG4bKreg1');
  overTcp.probe.layer.respond(overTcp.tx, createResponse(overTcp.req, 200));
  assert.is(overTcp.tx.released, false);
  assert.is(overTcp.tx.request, overTcp.req);
  const old = setup(udp, 'SIP/2.0/UDP 198.51.100.7:5062;branch=1234');
  old.probe.layer.respond(old.tx, createResponse(old.req, 200, undefined, { toTag: 'r1' }));
  assert.is(old.tx.released, false);
  assert.is(old.tx.request, old.req);
  old.probe.receive(register('SIP/2.0/UDP 198.51.100.7:5062;branch=1234'), udp);
  assert.is(old.probe.sent.length, 2, 'a retransmission matched by its fields got the response again');
});

test.run();
