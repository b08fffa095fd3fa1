import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createResponse } from '../../../../src/sip/response.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { LayerProbe } from '../../../support/layer-probe.js';
import { flow, layer, request } from '../../../support/sip-builders.js';

const tcp = flow('tcp', '198.51.100.7', 40000);

function probe(): LayerProbe {
  const clock = new FakeClock();
  return new LayerProbe(layer(clock, '192.0.2.1'), clock);
}

test('a transport error ends a client transaction and is reported to the TU (RFC 3261 §17.1.4)', () => {
  for (const method of ['OPTIONS', 'INVITE']) {
    const p = probe();
    const tx = p.layer.sendRequest(request(method), tcp);
    p.drain();
    assert.is(p.sent[0]!.tx, tx.key, 'the transmit names its transaction');
    p.layer.transportError(p.sent[0]!.tx!);
    p.drain();
    assert.is(tx.state, 'Terminated');
    assert.equal(p.events.map((e) => e.event.type), ['transport-error', 'terminated']);
    assert.is(p.layer.pollTimeout(), undefined, 'its timers are gone');
  }
});

test('a transport error leaves a server transaction in its state; the TU is told (RFC 6026 §8.8)', () => {
  const p = probe();
  p.receive(request('INVITE', { via: ['SIP/2.0/TCP 198.51.100.7;branch=z9hG4bKt1'] }), tcp);
  const { tx, request: req } = p.eventsOf('request')[0]!.event;
  p.layer.transportError(p.sent[0]!.tx!); // the 100 Trying could not be sent
  p.drain();
  assert.is(tx.state, 'Proceeding');
  assert.equal(p.eventsOf('transport-error').map((e) => e.event.tx), [tx]);
  p.layer.respond(tx, createResponse(req, 486, undefined, { toTag: 'x' }));
  p.layer.transportError(tx.key);
  p.drain();
  assert.is(tx.state, 'Completed');
  p.advanceTo(32_000);
  assert.is(tx.state, 'Terminated', 'Timer H ends it');
});

test('transport errors for unknown or finished transactions are ignored', () => {
  const p = probe();
  p.layer.transportError('c INVITE z9hG4bKnothing');
  const tx = p.layer.sendRequest(request('OPTIONS'), tcp);
  p.receive(createResponse(tx.request, 200), tcp);
  assert.is(tx.state, 'Terminated');
  p.layer.transportError(tx.key);
  p.drain();
  assert.equal(p.eventsOf('transport-error'), []);
});

test('a late failure report after the 2xx (Accepted) changes nothing (RFC 6026 §7.2)', () => {
  const p = probe();
  const tx = p.layer.sendRequest(request('INVITE'), tcp);
  p.receive(createResponse(tx.request, 200, undefined, { toTag: 'x' }), tcp);
  p.layer.transportError(tx.key);
  p.drain();
  assert.is(tx.state, 'Accepted');
  assert.equal(p.eventsOf('transport-error'), []);
});

test.run();
