import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CallWorld } from './support/call-world.js';
import { establish, twoPhones } from './support/scenarios.js';

const missedOf = (row: { parties: Array<{ userExt: string; role: string; missed: boolean }> }) =>
  Object.fromEntries(row.parties.map((p) => [`${p.role} ${p.userExt}`, p.missed]));

test('an answered call: caller, dialled number, answering device, start/answer/end times, disposition answered', async () => {
  const { w, alice, bob } = twoPhones();
  const t0 = w.clock.now();
  const { a } = await establish(w, alice, bob, '2000');
  await w.run(5000);
  a.bye();
  await w.run(100);
  const [row] = w.history();
  assert.equal(
    { ...row!, id: undefined, parties: undefined, startedAt: row!.startedAt - t0, answeredAt: row!.answeredAt! - t0, endedAt: row!.endedAt! - t0 },
    { id: undefined, parties: undefined, callerNumber: '1000', callerName: 'Alice', callerDevice: '1001', dialled: '2000', calleeUser: '2000', answeredBy: '2001', startedAt: 30, answeredAt: 110, endedAt: 5210, disposition: 'answered', endReason: 'caller hung up' },
  );
  assert.equal(missedOf(row!), { 'caller 1000': false, 'callee 2000': false });
});

test('the row is there while the call is live (disposition null) and carries the id `calls` shows', async () => {
  const { w, alice, bob } = twoPhones();
  await establish(w, alice, bob, '2000');
  const [row] = w.history();
  const [live] = await w.manager.live.list();
  assert.is(row!.id, live!.id);
  assert.equal([row!.disposition, row!.endedAt, row!.answeredBy], [null, null, '2001']);
});

test('dispositions and missed flags: busy (not missed), no answer (missed), caller cancelled (missed), completed elsewhere (not missed)', async () => {
  const w = new CallWorld({ ringTimeoutMs: 10_000 });
  w.addUser('1000', 'Alice');
  for (const u of ['2000', '3000', '4000', '5000']) w.addUser(u, `User ${u}`);
  const alice = w.addPhone('1000', '1001');
  const busy = w.addPhone('2000', '2001');
  w.addPhone('3000', '3001');
  w.addPhone('4000', '4001');
  const e1 = w.addPhone('5000', '5001');
  w.addPhone('5000', '5002');
  busy.onInvite = (c) => c.refuse(486);
  alice.call('2000');
  alice.call('3000');
  const cancelled = alice.call('4000');
  alice.call('5000');
  await w.run(100);
  cancelled.cancelCall();
  e1.incoming[0]!.answer();
  await w.run(11_000);
  const rows = Object.fromEntries(w.history().map((r) => [r.dialled, r]));
  assert.equal([rows['2000']!.disposition, rows['2000']!.endReason], ['busy', '486 Busy Here']);
  assert.equal([rows['3000']!.disposition, rows['3000']!.endReason], ['no-answer', 'no answer']);
  assert.equal([rows['4000']!.disposition, rows['4000']!.endReason], ['cancelled', 'caller cancelled']);
  assert.equal([rows['5000']!.disposition, rows['5000']!.answeredBy], [null, '5001'], 'still live');
  assert.equal(missedOf(rows['2000']!), { 'caller 1000': false, 'callee 2000': false });
  assert.equal(missedOf(rows['3000']!), { 'caller 1000': false, 'callee 3000': true });
  assert.equal(missedOf(rows['4000']!), { 'caller 1000': false, 'callee 4000': true });
  assert.equal(missedOf(rows['5000']!), { 'caller 1000': false, 'callee 5000': false });
  assert.equal(w.store.calls.list({ missedOnly: true }).map((r) => r.dialled).sort(), ['3000', '4000']);
  assert.equal(w.store.calls.list({ userExt: '3000', missedOnly: true }).length, 1);
});

test('refused attempts are recorded as failed: unknown number (no callee), nobody registered, 488', async () => {
  const { w, alice } = twoPhones();
  w.addUser('3000', 'Carol');
  alice.call('9999');
  alice.call('3000');
  alice.call('2000', alice.sdp({ codecs: ['G729'], te: false }));
  await w.run(200);
  const rows = w.history();
  const by = Object.fromEntries(rows.map((r) => [r.dialled + (r.endReason?.startsWith('488') ? '/488' : ''), r]));
  assert.equal([by['9999']!.disposition, by['9999']!.calleeUser, by['9999']!.endReason], ['failed', null, '404 unknown number']);
  assert.equal([by['3000']!.disposition, by['3000']!.endReason], ['failed', '480 no registered device']);
  assert.equal(missedOf(by['3000']!), { 'caller 1000': false, 'callee 3000': false });
  assert.is(by['2000/488']!.disposition, 'failed');
  assert.is(rows.length, 3, 'the 407 challenges are not calls');
});

test('live calls: ringing devices while ringing; legs with codec, remote and packet counters once answered', async () => {
  const { w, alice, bob } = twoPhones();
  const bob2 = w.addPhone('2000', '2002');
  alice.call('2000', alice.sdp({ codecs: ['PCMA'] }));
  await w.run(100);
  let [view] = await w.manager.live.list();
  assert.equal([view!.state, view!.callee.ringing.sort(), view!.legs[1]!.codec], ['ringing', ['2001', '2002'], null]);
  assert.equal(view!.caller, { number: '1000', name: 'Alice', device: '1001' });
  bob2.incoming[0]!.answer(bob2.sdp({ codecs: ['PCMA'] }));
  await w.run(100);
  [view] = await w.manager.live.list();
  assert.is(view!.state, 'answered');
  assert.equal(view!.callee, { user: '2000', ringing: [], answeredBy: '2002' });
  assert.equal(view!.legs.map((l) => [l.role, l.device, l.codec, l.packetsIn, l.packetsOut, l.lost, l.jitterMs]), [
    ['a', '1001', 'PCMA', 500, 498, 2, 1.3],
    ['b', '2002', 'PCMA', 500, 498, 2, 1.3],
  ]);
  assert.match(view!.legs[0]!.remote, /^192\.0\.2\.10:\d+$/);
  assert.is(view!.relay, 'passthrough');
  assert.ok(view!.answeredAt! >= view!.startedAt);
  assert.ok(bob.incoming[0]!.cancel, 'the other device stopped ringing');
});

test('calls.hangup ends an answered call (BYE both) and a ringing one (CANCEL forks, 480 to the caller); unknown ids are an error', async () => {
  const { w, alice, bob } = twoPhones();
  const { a, b } = await establish(w, alice, bob, '2000');
  const methods = w.manager.live.controlMethods();
  const [view] = (await methods['calls.list']!({})) as Array<{ id: string }>;
  assert.equal(await methods['calls.hangup']!({ call: view!.id }), { id: view!.id });
  await w.run(100);
  assert.ok(a.ended && b.ended);
  assert.equal([w.history()[0]!.disposition, w.history()[0]!.endReason], ['answered', 'operator']);
  const ringing = alice.call('2000');
  await w.run(100);
  const [v2] = await w.manager.live.list();
  w.manager.live.hangup(v2!.id);
  await w.run(100);
  assert.is(ringing.final?.status, 480);
  assert.ok(bob.incoming.at(-1)!.cancel);
  assert.throws(() => w.manager.live.hangup('nope'), /no live call nope/);
  assert.throws(() => methods['calls.hangup']!({}), /needs \{ call/);
});

test.run();
