import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { establish, twoPhones } from './support/scenarios.js';

async function call(opts: { callerTe: boolean; calleeTe: boolean }) {
  const t = twoPhones();
  const e = await establish(t.w, t.alice, t.bob, '2000', { offer: t.alice.sdp({ te: opts.callerTe }), answer: t.bob.sdp({ te: opts.calleeTe }) });
  const [aId, bId] = [...t.w.media.endpoints.keys()];
  return { ...t, ...e, aId: aId!, bId: bId! };
}

test('RFC 4733 digits between two legs that both negotiated telephone-event are left to the relay (no INFO, no re-send)', async () => {
  const { w, a, b, aId, bId } = await call({ callerTe: true, calleeTe: true });
  w.media.raise({ event: 'dtmf', endpointId: aId, digit: '5', durationMs: 120, worker: 0 });
  w.media.raise({ event: 'dtmf', endpointId: bId, digit: '#', durationMs: 120, worker: 0 });
  await w.run(100);
  assert.equal(w.media.ops('dtmf'), []);
  assert.equal([a.requestsOf('INFO').length, b.requestsOf('INFO').length], [0, 0]);
});

test('an RFC 4733 digit from the caller reaches a callee without telephone-event as INFO application/dtmf-relay', async () => {
  const { w, b, aId } = await call({ callerTe: true, calleeTe: false });
  w.media.raise({ event: 'dtmf', endpointId: aId, digit: '5', durationMs: 120, worker: 0 });
  await w.run(100);
  const [info] = b.requestsOf('INFO');
  assert.is(info!.headers.get('content-type'), 'application/dtmf-relay');
  assert.is(info!.body.toString(), 'Signal=5\r\nDuration=120\r\n');
});

test('an RFC 4733 digit from the callee reaches a caller without telephone-event as INFO', async () => {
  const { w, a, bId } = await call({ callerTe: false, calleeTe: true });
  w.media.raise({ event: 'dtmf', endpointId: bId, digit: '*', durationMs: 200, worker: 0 });
  await w.run(100);
  assert.is(a.requestsOf('INFO')[0]!.body.toString(), 'Signal=*\r\nDuration=200\r\n');
});

test('INFO application/dtmf-relay from the caller is sent to a callee with telephone-event as RFC 4733 events by the media worker', async () => {
  const { w, a, b, bId } = await call({ callerTe: false, calleeTe: true });
  a.send('INFO', { body: 'Signal=7\r\nDuration=250\r\n', contentType: 'application/dtmf-relay' });
  await w.run(100);
  assert.is(a.responsesTo('INFO')[0]!.status, 200);
  assert.equal(w.media.ops('dtmf'), [`dtmf ${bId} 7`]);
  assert.equal(w.media.get(bId).digitsSent, ['7']);
  assert.is(b.requestsOf('INFO').length, 0);
});

test('INFO application/dtmf from the callee reaches a caller without telephone-event as INFO, and one with it as RFC 4733', async () => {
  const plain = await call({ callerTe: false, calleeTe: false });
  plain.b.send('INFO', { body: '#', contentType: 'application/dtmf' });
  await plain.w.run(100);
  assert.is(plain.a.requestsOf('INFO')[0]!.body.toString(), 'Signal=#\r\nDuration=160\r\n');
  const te = await call({ callerTe: true, calleeTe: false });
  te.b.send('INFO', { body: '11', contentType: 'application/dtmf' });
  await te.w.run(100);
  assert.equal(te.w.media.ops('dtmf'), [`dtmf ${te.aId} #`], 'event code 11 is #');
});

test('INFO with a body we do not understand gets 415; an empty INFO 200 (RFC 6086 §4.2.2)', async () => {
  const { w, a, b } = await call({ callerTe: true, calleeTe: true });
  a.send('INFO', { body: '<xml/>', contentType: 'application/media_control+xml' });
  a.send('INFO');
  await w.run(100);
  assert.equal(a.responsesTo('INFO').map((r) => r.status).sort(), [200, 415]);
  assert.is(b.requestsOf('INFO').length, 0);
});

test.run();
