import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { SipRequest } from '../../../../src/sip/message.js';
import { parseMessage } from '../../../../src/sip/parser.js';
import { createResponse } from '../../../../src/sip/response.js';
import type { Flow } from '../../../../src/sip/transport/flow.js';
import { stampReceived } from '../../../../src/sip/transport/via-received.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { LayerProbe } from '../../../support/layer-probe.js';
import { flow, layer, parseRequest, request } from '../../../support/sip-builders.js';
import { vectorBytes } from '../vectors.js';

const gw = flow('udp', '192.0.2.55', 5060);

/** What the transport shell hands over: parsed bytes, received/rport stamped (§18.2.1). */
function arrive(bytes: Buffer, f: Flow): SipRequest {
  const r = parseMessage(bytes);
  if (!r.ok || r.message.kind !== 'request') throw new Error('vector does not parse');
  stampReceived(r.message, f);
  return r.message;
}

function probe(): LayerProbe {
  const clock = new FakeClock();
  return new LayerProbe(layer(clock, '192.0.2.1'), clock);
}

/** inv2543 rewritten as other RFC 2543 requests of the same call (same Via, no branch). */
function inv2543Variant(method: string, changes: { uri?: string; to?: string; cseq?: string } = {}): Buffer {
  let text = vectorBytes('semantic', 'inv2543').toString('latin1');
  const [head] = text.split('\r\n\r\n');
  text = head!.replace(/^INVITE sip:UserB@example\.com/, `${method} ${changes.uri ?? 'sip:UserB@example.com'}`).replace(/\r\nContent-Type:[^\r]*/, '');
  text = text.replace('CSeq: 56 INVITE', `CSeq: ${changes.cseq ?? `56 ${method}`}`);
  if (changes.to !== undefined) text = text.replace(/\r\nTo: [^\r]*/, `\r\nTo: ${changes.to}`);
  return Buffer.from(`${text}\r\nContent-Length: 0\r\n\r\n`, 'latin1');
}

test('inv2543: an RFC 2543 INVITE (no branch) is matched on Request-URI, tags, Call-ID, CSeq and top Via (RFC 3261 §17.2.3, RFC 4475 §3.4.1)', () => {
  const p = probe();
  p.receive(arrive(vectorBytes('semantic', 'inv2543'), gw), gw);
  const { tx, request: req } = p.eventsOf('request')[0]!.event;
  assert.is(tx.branch, undefined);
  p.receive(arrive(vectorBytes('semantic', 'inv2543'), gw), gw);
  assert.equal(p.eventsOf('request').length, 1, 'the retransmission is absorbed');
  assert.equal(p.sent.map((s) => s.startLine), ['SIP/2.0 100 Trying', 'SIP/2.0 100 Trying']);
  // Request-URI equality is RFC 3261 §19.1.4's: the host is case-insensitive.
  p.receive(arrive(inv2543Variant('INVITE', { uri: 'sip:UserB@EXAMPLE.COM', cseq: '56 INVITE' }), gw), gw);
  assert.equal(p.eventsOf('request').length, 1);
  // Another CSeq is another transaction.
  p.receive(arrive(inv2543Variant('INVITE', { cseq: '57 INVITE' }), gw), gw);
  assert.equal(p.eventsOf('request').length, 2);
  // The non-2xx ACK matches when its To tag is the one the transaction sent (and the CSeq method differs).
  p.layer.respond(tx, createResponse(req, 486, undefined, { toTag: 'b2b' }));
  p.receive(arrive(inv2543Variant('ACK', { to: 'sip:+16505552222@ss1.example.net;user=phone;tag=other' }), gw), gw);
  assert.is(tx.state, 'Completed', 'an ACK with another To tag does not match');
  assert.equal(p.eventsOf('ack').length, 1);
  p.receive(arrive(inv2543Variant('ACK', { to: 'sip:+16505552222@ss1.example.net;user=phone;tag=b2b' }), gw), gw);
  assert.is(tx.state, 'Confirmed');
  assert.equal(p.eventsOf('ack').length, 1);
});

test('inv2543: a CANCEL without branch finds its INVITE and gets its own transaction (RFC 3261 §9.2, §17.2.3)', () => {
  const p = probe();
  p.receive(arrive(vectorBytes('semantic', 'inv2543'), gw), gw);
  const invite = p.eventsOf('request')[0]!.event.tx;
  const cancel = arrive(inv2543Variant('CANCEL'), gw);
  assert.is(p.layer.findInviteForCancel(cancel), invite);
  p.receive(cancel, gw);
  const cancelTx = p.eventsOf('request')[1]!.event.tx;
  assert.is(cancelTx.method, 'CANCEL');
  assert.is.not(cancelTx, invite);
  p.receive(arrive(inv2543Variant('CANCEL'), gw), gw);
  assert.equal(p.eventsOf('request').length, 2, 'the CANCEL retransmission matches the CANCEL transaction');
  // Another Via (another hop or source) is not the same INVITE.
  assert.is(p.layer.findInviteForCancel(arrive(inv2543Variant('CANCEL'), flow('udp', '192.0.2.56'))), undefined);
});

test('badbranch: a bare magic cookie is no RFC 3261 branch, so requests fall back to RFC 2543 matching (RFC 4475 §3.2.1)', () => {
  const p = probe();
  p.receive(arrive(vectorBytes('semantic', 'badbranch'), gw), gw);
  p.receive(arrive(vectorBytes('semantic', 'badbranch'), gw), gw);
  assert.equal(p.eventsOf('request').length, 1, 'a retransmission is still recognised');
  // A different request that happens to carry the same bare branch is NOT merged into it.
  const other = vectorBytes('semantic', 'badbranch').toString('latin1').replace('Call-ID: badbranch.', 'Call-ID: other.');
  p.receive(arrive(Buffer.from(other, 'latin1'), gw), gw);
  assert.equal(p.eventsOf('request').length, 2);
  const tx = p.eventsOf('request')[0]!.event.tx;
  p.layer.respond(tx, createResponse(p.eventsOf('request')[0]!.event.request, 200, undefined, { toTag: 'x' }));
  p.receive(arrive(vectorBytes('semantic', 'badbranch'), gw), gw);
  assert.equal(p.sent.map((s) => s.startLine), ['SIP/2.0 200 OK', 'SIP/2.0 200 OK'], 'Completed re-sends the final response');
  p.advanceTo(32_000);
  assert.is(p.layer.size, 1, 'Timer J removed it from the RFC 2543 index too');
});

test('an RFC 2543 request missing From still reaches the TU, unmatched, for a 400 (RFC 3261 §8.2)', () => {
  const p = probe();
  const text = 'OPTIONS sip:x@example.com SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.55\nTo: <sip:x@example.com>\nCall-ID: nofrom\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n';
  p.receive(parseRequest(text), gw);
  p.receive(parseRequest(text), gw);
  assert.equal(p.eventsOf('request').length, 2);
  assert.is(p.layer.stats.malformed, 0);
});

test('a response matches the client transaction by branch and CSeq method: INVITE and its CANCEL share a branch (RFC 3261 §17.1.3)', () => {
  const p = probe();
  const inv = request('INVITE');
  const itx = p.layer.sendRequest(inv, gw);
  p.receive(createResponse(inv, 180, undefined, { toTag: 't' }), gw);
  const ctx = p.layer.cancel(itx);
  p.drain();
  assert.is(ctx.branch, itx.branch);
  p.receive(createResponse(ctx.request, 200, undefined, { toTag: 't' }), gw);
  p.receive(createResponse(inv, 487, undefined, { toTag: 't' }), gw);
  assert.equal(
    p.eventsOf('response').map((e) => [e.event.tx.method, e.event.response.status]),
    [['INVITE', 180], ['CANCEL', 200], ['INVITE', 487]],
  );
});

test('a response with an unknown branch, or without Via branch, is a stray response (RFC 6026 §8.9)', () => {
  const p = probe();
  const res = createResponse(request('OPTIONS', { via: ['SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKnobody'] }), 200);
  p.receive(res, gw);
  const noBranch = createResponse(request('OPTIONS', { via: ['SIP/2.0/UDP 192.0.2.1'] }), 200);
  p.receive(noBranch, gw);
  assert.equal(p.eventsOf('stray-response').map((e) => e.event.response), [res, noBranch]);
  assert.is(p.layer.stats.strayResponses, 2);
});

test('messages whose Via or CSeq cannot be read are dropped and counted, never thrown', () => {
  const p = probe();
  const req = request('OPTIONS', { via: ['SIP/2.0/UDP 192.0.2.55;branch=z9hG4bK1'] });
  req.headers.set('Via', 'garbage');
  p.receive(req, gw);
  const res = createResponse(request('OPTIONS', { via: ['SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1'] }), 200);
  res.headers.remove('CSeq');
  p.receive(res, gw);
  assert.is(p.layer.stats.malformed, 2);
  assert.equal(p.events, []);
});

test.run();
