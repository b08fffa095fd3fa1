import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSdp } from '../../../src/rtp/sdp/index.js';
import { header, twoPhones } from './support/scenarios.js';

const timerHeaders = (se: string): Array<[string, string]> => [['Session-Expires', se], ['Supported', 'timer']];

test('a caller asking for session timers gets Session-Expires with refresher=uac and Require: timer in the 200 (RFC 4028 §9)', async () => {
  const { w, alice, bob } = twoPhones();
  const call = alice.call('2000', alice.sdp(), { headers: timerHeaders('1800') });
  await w.run(100);
  bob.incoming[0]!.answer();
  await w.run(100);
  assert.is(call.final!.headers.get('session-expires'), '1800;refresher=uac');
  assert.is(call.final!.headers.get('require'), 'timer');
});

test('a longer interval is cut to calls.sessionExpires; one under Min-SE gets 422 with Min-SE 90 (RFC 4028 §4, §9)', async () => {
  const { w, alice, bob } = twoPhones({ sessionExpires: 600 });
  const long = alice.call('2000', alice.sdp(), { headers: timerHeaders('7200;refresher=uas') });
  const short = alice.call('2000', alice.sdp(), { headers: timerHeaders('60') });
  await w.run(100);
  bob.incoming[0]!.answer();
  await w.run(100);
  assert.is(long.final!.headers.get('session-expires'), '600;refresher=uas');
  assert.is(long.final!.headers.get('require'), undefined, 'no Require when we refresh');
  assert.is(short.final?.status, 422);
  assert.is(short.final!.headers.get('min-se'), '90');
});

test('no refresh from the phone that refreshes: BYE to both at SE - min(32, SE/3) (RFC 4028 §10)', async () => {
  const { w, alice, bob } = twoPhones();
  const call = alice.call('2000', alice.sdp(), { headers: timerHeaders('120;refresher=uac') });
  await w.run(100);
  bob.incoming[0]!.answer();
  await w.run(100);
  const sent = w.net.packets({ from: 'switch', to: 'phone-1001', status: 200 })[0]!.at;
  await w.run(87_000);
  assert.is(call.dialog!.ended, false);
  await w.run(2_000);
  const byes = w.net.packets({ from: 'switch', method: 'BYE', requests: true });
  assert.equal(byes.map((b) => b.to).sort(), ['phone-1001', 'phone-2001']);
  assert.is(byes[0]!.at - sent, 88_000, '120 s - 32 s');
  assert.match(header(byes.find((b) => b.to === 'phone-1001')!, 'Reason')!, /cause=408/);
  assert.is(w.history()[0]!.endReason, 'session expired');
});

test("the phone's refresh re-INVITEs keep the call up", async () => {
  const { w, alice, bob } = twoPhones();
  const call = alice.call('2000', alice.sdp(), { headers: timerHeaders('120;refresher=uac') });
  await w.run(100);
  bob.incoming[0]!.answer();
  await w.run(100);
  for (let i = 0; i < 4; i++) {
    await w.run(60_000);
    call.dialog!.send('INVITE', { body: alice.sdp(), headers: timerHeaders('120;refresher=uac') });
  }
  await w.run(1000);
  assert.is(w.manager.calls.size, 1);
  const finals = call.dialog!.responsesTo('INVITE').filter((r) => r.status >= 200);
  assert.is(finals.length, 4);
  assert.ok(finals.every((r) => r.status === 200 && r.headers.get('session-expires') === '120;refresher=uac'));
  assert.is(w.net.packets({ method: 'BYE', requests: true }).length, 0);
});

test('when we refresh: UPDATE without SDP at half the interval to a phone that allows UPDATE, re-INVITE with the same SDP otherwise (RFC 4028 §7.4)', async () => {
  const { w, alice, bob } = twoPhones();
  bob.allow = 'INVITE, ACK, CANCEL, BYE, OPTIONS';
  const call = alice.call('2000', alice.sdp(), { headers: timerHeaders('120;refresher=uas') });
  await w.run(100);
  bob.incoming[0]!.answer(bob.sdp(), [['Session-Expires', '100;refresher=uac'], ['Require', 'timer']]);
  await w.run(100);
  await w.run(60_000);
  const update = call.dialog!.requestsOf('UPDATE');
  assert.is(update.length, 1, 'UPDATE to the caller at 60 s');
  assert.is(update[0]!.body.length, 0);
  assert.is(update[0]!.headers.get('session-expires'), '120;refresher=uac');
  const reinvite = bob.incoming[0]!.dialog!.requestsOf('INVITE');
  assert.is(reinvite.length, 1, 're-INVITE to the callee at 50 s');
  assert.is(parseSdp(reinvite[0]!.body).origin.sessionVersion, parseSdp(bob.incoming[0]!.offer).origin.sessionVersion, 'unchanged SDP, unchanged version');
  assert.is(bob.incoming[0]!.dialog!.acks.length, 2, 'the 2xx of the refresh is ACKed');
  await w.run(290_000);
  assert.is(w.manager.calls.size, 1, 'refreshed every half interval: still up');
  assert.is(call.dialog!.requestsOf('UPDATE').length, 5, 'at 60, 120, 180, 240 and 300 s');
});

test('glare: our refresh re-INVITE crosses the callee\'s re-INVITE: theirs gets 491, ours is retried 2.1-4 s later as we own the Call-ID (RFC 3261 §14.1, §14.2)', async () => {
  const { w, alice, bob } = twoPhones();
  bob.allow = 'INVITE, ACK, CANCEL, BYE, OPTIONS';
  alice.call('2000');
  await w.run(100);
  const b = bob.incoming[0]!.answer(bob.sdp(), [['Session-Expires', '120;refresher=uac']]);
  await w.run(10);
  const answeredAt = w.clock.now(); // the 200 reached the switch now: refresh due at +60 s
  await w.run(60_000 - 5 - (w.clock.now() - answeredAt));
  let ours = 0;
  b.onOffer = () => (++ours === 1 ? { status: 491 } : { status: 200, body: bob.sdp() });
  b.send('INVITE', { body: bob.sdp({ direction: 'sendonly', version: 2 }) });
  await w.run(100);
  assert.equal(b.responsesTo('INVITE').map((r) => r.status).filter((s) => s >= 200), [491], "the phone's re-INVITE got 491");
  const reinvites = w.net.packets({ from: 'switch', to: 'phone-2001', method: 'INVITE', requests: true }).filter((p) => p.at > answeredAt);
  assert.is(reinvites.length, 1, 'no retry yet');
  await w.run(4_000);
  const all = w.net.packets({ from: 'switch', to: 'phone-2001', method: 'INVITE', requests: true }).filter((p) => p.at > answeredAt);
  const first491 = w.net.packets({ from: 'phone-2001', status: 491 }).find((p) => p.method === 'INVITE')!;
  const retry = all.at(-1)!;
  assert.is(all.length, 2);
  assert.is(b.acks.length, 2, 'the retried re-INVITE succeeded and was ACKed');
  assert.ok(retry.at - (first491.at + 10) >= 2100 && retry.at - (first491.at + 10) <= 4000, `retried after ${retry.at - first491.at - 10} ms`);
  assert.is((retry.at - first491.at - 10) % 10, 0, 'in units of 10 ms');
});

test('glare on the caller\'s leg: we do not own its Call-ID, so the retry comes within 0-2 s (RFC 3261 §14.1)', async () => {
  const { w, alice, bob } = twoPhones();
  alice.allow = 'INVITE, ACK, CANCEL, BYE, OPTIONS';
  const call = alice.call('2000', alice.sdp(), { headers: timerHeaders('120;refresher=uas') });
  await w.run(100);
  bob.incoming[0]!.answer();
  await w.run(100);
  let n = 0;
  call.dialog!.onOffer = () => (++n === 1 ? { status: 491 } : { status: 200, body: alice.sdp() });
  await w.run(59_000);
  assert.is(w.net.packets({ from: 'switch', to: 'phone-1001', method: 'INVITE', requests: true }).length, 0);
  await w.run(3_100);
  const both = w.net.packets({ from: 'switch', to: 'phone-1001', method: 'INVITE', requests: true });
  assert.is(both.length, 2);
  const got491 = w.net.packets({ from: 'phone-1001', status: 491 })[0]!.at + 10;
  const gap = both[1]!.at - got491;
  assert.ok(gap >= 0 && gap <= 2000 && gap % 10 === 0, `retried after ${gap} ms`);
  assert.is(w.manager.calls.size, 1);
});

test.run();
