import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { SipRequest } from '../../../../src/sip/message.js';
import { parseMessage } from '../../../../src/sip/parser.js';
import { createResponse } from '../../../../src/sip/response.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { LayerProbe } from '../../../support/layer-probe.js';
import { flow, layer, request } from '../../../support/sip-builders.js';

const udp = flow('udp', '198.51.100.7');

function setup() {
  const clock = new FakeClock();
  const p = new LayerProbe(layer(clock, '192.0.2.1'), clock);
  const inv = request('INVITE', { route: ['<sip:edge.example;lr>'], cseq: 314, to: '<sip:bob@b.example>' });
  const tx = p.layer.sendRequest(inv, udp);
  p.drain();
  return { p, tx, inv };
}

const sentRequest = (text: string): SipRequest => {
  const r = parseMessage(Buffer.from(text, 'latin1'));
  if (!r.ok || r.message.kind !== 'request') throw new Error('bad');
  return r.message;
};

test('the CANCEL copies Request-URI, Call-ID, To, From, CSeq number, top Via and Route of the INVITE (RFC 3261 §9.1)', () => {
  const { p, tx, inv } = setup();
  p.receive(createResponse(inv, 180, undefined, { toTag: 'uas1' }), udp);
  const c = p.layer.cancel(tx, 'SIP;cause=200;text="Call completed elsewhere"');
  p.drain();
  assert.is(c.state, 'Trying');
  assert.is(c.cancels, tx);
  assert.is(tx.cancelTransaction, c);
  const sent = sentRequest(p.lastSent('CANCEL').text);
  assert.is(sent.uri, inv.uri);
  for (const h of ['Call-ID', 'From', 'To']) assert.is(sent.headers.get(h), inv.headers.get(h), h);
  assert.is(sent.headers.get('To'), '<sip:bob@b.example>', 'the To of the request, not of the 180');
  assert.is(sent.headers.get('CSeq'), '314 CANCEL');
  assert.equal(sent.headers.getAll('Via'), [inv.headers.getAll('Via')[0]!]);
  assert.equal(sent.headers.getAll('Route'), ['<sip:edge.example;lr>']);
  assert.is(sent.headers.get('Reason'), 'SIP;cause=200;text="Call completed elsewhere"');
  assert.is(p.lastSent('CANCEL').flow, udp);
  assert.is(p.layer.cancel(tx), c, 'asking again returns the same CANCEL');
});

test('a CANCEL asked for before any provisional response waits for one (RFC 3261 §9.1)', () => {
  const { p, tx, inv } = setup();
  const c = p.layer.cancel(tx);
  p.advanceTo(1000);
  assert.is(c.state, 'Pending');
  assert.equal(p.sendTimes('CANCEL'), []);
  assert.equal(p.sendTimes('INVITE'), [0, 500], 'the INVITE keeps retransmitting');
  p.receive(createResponse(inv, 100), udp);
  assert.is(c.state, 'Trying');
  assert.equal(p.sendTimes('CANCEL'), [1000]);
  p.advanceTo(1500);
  assert.equal(p.sendTimes('CANCEL'), [1000, 1500], 'the CANCEL runs its own Timer E');
});

test('a pending CANCEL is never sent once the INVITE has a final response (RFC 3261 §9.1)', () => {
  const { p, tx, inv } = setup();
  const c = p.layer.cancel(tx);
  p.receive(createResponse(inv, 486, undefined, { toTag: 'x' }), udp);
  assert.is(c.state, 'Terminated');
  assert.equal(p.sendTimes('CANCEL'), []);
  assert.ok(p.eventsOf('terminated').some((e) => e.event.tx === c));
});

test('a pending CANCEL is abandoned when the INVITE times out (Timer B, RFC 3261 §17.1.1.2)', () => {
  const { p, tx } = setup();
  const c = p.layer.cancel(tx);
  p.advanceTo(32_000);
  assert.is(tx.state, 'Terminated');
  assert.is(c.state, 'Terminated');
  assert.equal(p.sendTimes('CANCEL'), []);
  assert.is(p.layer.size, 0);
});

test('cancel after the final response sends nothing and returns a terminated CANCEL (RFC 3261 §9.1 "SHOULD NOT be sent")', () => {
  const { p, tx, inv } = setup();
  p.receive(createResponse(inv, 200, undefined, { toTag: 'x' }), udp);
  const c = p.layer.cancel(tx);
  p.drain();
  assert.is(c.state, 'Terminated');
  assert.equal(p.sendTimes('CANCEL'), []);
});

test('cancel refuses non-INVITE transactions (RFC 3261 §9.1)', () => {
  const clock = new FakeClock();
  const l = layer(clock, '192.0.2.1');
  const tx = l.sendRequest(request('OPTIONS'), udp);
  assert.throws(() => l.cancel(tx), /only an INVITE/);
});

test('UAS side: the CANCEL is its own transaction and findInviteForCancel returns the INVITE, before and after its final response (RFC 3261 §9.2)', () => {
  const clock = new FakeClock();
  const p = new LayerProbe(layer(clock, '192.0.2.1'), clock);
  const VIA = 'SIP/2.0/UDP 198.51.100.7;branch=z9hG4bKc1';
  const inv = request('INVITE', { via: [VIA], callId: 'c1' });
  p.receive(inv, udp);
  const itx = p.eventsOf('request')[0]!.event.tx;
  const cancel = request('CANCEL', { via: [VIA], callId: 'c1' });
  p.receive(cancel, udp);
  const cev = p.eventsOf('request')[1]!.event;
  assert.is(cev.tx.method, 'CANCEL');
  assert.is(p.layer.findInviteForCancel(cev.request), itx);
  // The TU answers the CANCEL 200 and the INVITE 487.
  p.layer.respond(cev.tx, createResponse(cev.request, 200, undefined, { toTag: 'u' }));
  p.layer.respond(itx, createResponse(inv, 487, undefined, { toTag: 'u' }));
  p.drain();
  assert.equal(p.sent.map((s) => s.startLine), ['SIP/2.0 100 Trying', 'SIP/2.0 200 OK', 'SIP/2.0 487 Request Terminated']);
  assert.match(p.sent[1]!.text, /CSeq: 1 CANCEL/);
  // A late CANCEL retransmission gets the 200 again and still finds the (Completed) INVITE.
  p.receive(request('CANCEL', { via: [VIA], callId: 'c1' }), udp);
  assert.is(p.sent.at(-1)!.startLine, 'SIP/2.0 200 OK');
  assert.is(p.layer.findInviteForCancel(cancel)?.state, 'Completed');
  // Another branch finds nothing: the TU answers 481.
  assert.is(p.layer.findInviteForCancel(request('CANCEL', { via: ['SIP/2.0/UDP 198.51.100.7;branch=z9hG4bKzz'] })), undefined);
});

test.run();
