import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSdp } from '../../../src/rtp/sdp/index.js';
import { establish, twoPhones } from './support/scenarios.js';

async function held(direction: 'sendonly' | 'inactive' = 'sendonly') {
  const t = twoPhones({ musicOnHold: '/srv/moh/tune.wav' });
  const e = await establish(t.w, t.alice, t.bob, '2000');
  const [aId, bId] = [...t.w.media.endpoints.keys()];
  e.a.send('INVITE', { body: t.alice.sdp({ direction, version: 2 }) });
  await t.w.run(100);
  return { ...t, ...e, aId: aId!, bId: bId! };
}

test('hold by re-INVITE with a=sendonly: answered recvonly, the held party hears the music on hold (RFC 3264 §8.4)', async () => {
  const { w, a, bId, aId } = await held('sendonly');
  const ok = a.responsesTo('INVITE').at(-1)!;
  assert.is(ok.status, 200);
  assert.is(parseSdp(ok.body).audio!.direction, 'recvonly');
  assert.is(w.media.get(bId).music, '/srv/moh/tune.wav', "the callee's endpoint plays calls.musicOnHold");
  assert.is(w.media.get(aId).music, undefined);
  assert.equal(w.media.ops('moh'), [`moh.start ${bId}`]);
  const [view] = await w.manager.live.list();
  assert.is(view!.state, 'held');
});

test('hold with a=inactive is answered inactive and plays music too', async () => {
  const { w, a, bId } = await held('inactive');
  assert.is(parseSdp(a.responsesTo('INVITE').at(-1)!.body).audio!.direction, 'inactive');
  assert.ok(w.media.get(bId).music);
});

test('hold the RFC 2543 way (c=0.0.0.0) is understood as hold (RFC 3264 §8.4)', async () => {
  const { w, alice, bob } = twoPhones();
  const { a } = await establish(w, alice, bob, '2000');
  a.send('INVITE', { body: alice.sdp({ version: 2 }).replace(/c=IN IP4 [\d.]+/, 'c=IN IP4 0.0.0.0') });
  await w.run(100);
  assert.equal(w.media.ops('moh.start').length, 1);
});

test('resume with a=sendrecv stops the music and the call is answered again', async () => {
  const { w, alice, a, bId } = await held();
  a.send('INVITE', { body: alice.sdp({ direction: 'sendrecv', version: 3 }) });
  await w.run(100);
  assert.is(parseSdp(a.responsesTo('INVITE').at(-1)!.body).audio!.direction, 'sendrecv');
  assert.is(w.media.get(bId).music, undefined);
  assert.equal(w.media.ops('moh'), [`moh.start ${bId}`, `moh.stop ${bId}`]);
  const [view] = await w.manager.live.list();
  assert.is(view!.state, 'answered');
});

test('the callee holds the caller: the caller hears the music; a second identical hold re-INVITE starts nothing new', async () => {
  const { w, alice, bob } = twoPhones();
  const { b } = await establish(w, alice, bob, '2000');
  const [aId] = [...w.media.endpoints.keys()];
  b.send('INVITE', { body: bob.sdp({ direction: 'sendonly', version: 2 }) });
  await w.run(100);
  b.send('INVITE', { body: bob.sdp({ direction: 'sendonly', version: 2 }) });
  await w.run(100);
  assert.equal(w.media.ops('moh'), [`moh.start ${aId}`]);
  assert.equal(b.responsesTo('INVITE').map((r) => r.status).filter((s) => s >= 200), [200, 200]);
});

test('hold by UPDATE (RFC 3311) works like a re-INVITE', async () => {
  const { w, alice, bob } = twoPhones();
  const { a } = await establish(w, alice, bob, '2000');
  a.send('UPDATE', { body: alice.sdp({ direction: 'sendonly', version: 2 }) });
  await w.run(100);
  const ok = a.responsesTo('UPDATE').at(-1)!;
  assert.is(parseSdp(ok.body).audio!.direction, 'recvonly');
  assert.is(w.media.ops('moh.start').length, 1);
});

test('media timeouts are ignored while the call is on hold, and end it otherwise', async () => {
  const { w, a, b, aId } = await held();
  w.media.raise({ event: 'media.timeout', endpointId: aId, silentMs: 60_000, worker: 0 });
  await w.run(100);
  assert.is(w.manager.calls.size, 1, 'a held call stays');
  a.send('INVITE', { body: a.phone.sdp({ version: 3 }) });
  await w.run(100);
  w.media.raise({ event: 'media.timeout', endpointId: aId, silentMs: 60_000, worker: 0 });
  await w.run(100);
  assert.is(w.manager.calls.size, 0);
  assert.ok(a.ended && b.ended, 'both phones got BYE');
  const [row] = w.history();
  assert.equal([row!.disposition, row!.endReason], ['answered', 'media timeout']);
});

test.run();
