import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from '../../support/sip-builders.js';
import { establish, twoPhones } from './support/scenarios.js';

test('a 2xx that crosses our CANCEL is ACKed and ended with BYE (RFC 3261 §9.1, §15)', async () => {
  const { w, alice, bob } = twoPhones();
  const call = alice.call('2000');
  await w.run(100);
  call.cancelCall();
  await w.run(15); // the CANCEL reached the switch; the switch's CANCEL is on its way to Bob
  const d = bob.incoming[0]!.answer();
  await w.run(100);
  assert.is(call.final?.status, 487);
  assert.is(d.acks.length, 1, 'the 2xx is ACKed');
  assert.is(d.requestsOf('BYE').length, 1, 'then ended');
  assert.is(w.manager.calls.size, 0);
});

test('the caller may BYE its early dialog (RFC 3261 §15): 200, the INVITE gets 487, the forks a CANCEL', async () => {
  const { w, alice, bob } = twoPhones();
  const call = alice.call('2000');
  await w.run(100);
  const early = call.set.dialogs[0]!;
  alice.send(early.createRequest('BYE'), (res) => call.responses.push(res));
  await w.run(100);
  assert.ok(call.responses.some((r) => r.status === 200 && r.headers.get('cseq')!.endsWith('BYE')));
  assert.is(call.final?.status, 487);
  assert.ok(bob.incoming[0]!.cancel);
});

test('no ACK for our 2xx within 64*T1: BYE to both sides (RFC 3261 §13.3.1.4)', async () => {
  const { w, alice, bob } = twoPhones();
  alice.sendStateless = () => undefined; // the caller's ACKs are lost
  const call = alice.call('2000');
  await w.run(100);
  const b = bob.incoming[0]!.answer();
  await w.run(31_000);
  assert.is(b.requestsOf('BYE').length, 0);
  const resent = w.net.packets({ from: 'switch', to: 'phone-1001', status: 200 }).filter((p) => p.method === 'INVITE');
  assert.ok(resent.length >= 7, `2xx re-sent (T1, 2T1 ... T2): ${resent.length}`);
  await w.run(2_000);
  assert.is(b.requestsOf('BYE').length, 1);
  assert.is(w.net.packets({ from: 'switch', to: 'phone-1001', method: 'BYE', requests: true }).length, 1);
  assert.is(w.history()[0]!.endReason, 'no ACK');
  assert.ok(call.final);
});

test('a callee that answers without SDP (none in a 1xx either) is hung up and the caller gets 488', async () => {
  const { w, alice, bob } = twoPhones();
  const call = alice.call('2000');
  await w.run(100);
  const d = bob.incoming[0]!.answer(null);
  await w.run(100);
  assert.is(call.final?.status, 488);
  assert.is(d.requestsOf('BYE').length, 1);
  assert.is(w.history()[0]!.disposition, 'failed');
});

test('requests for no dialog of ours get 481; PRACK too (RFC 3262 §3); OPTIONS in a dialog 200 with Allow; REFER 501 without a transfer handler', async () => {
  const { w, alice, bob } = twoPhones();
  const { a } = await establish(w, alice, bob, '2000');
  a.send('PRACK', { headers: [['RAck', '1 1 INVITE']] });
  a.send('OPTIONS');
  a.send('REFER', { headers: [['Refer-To', '<sip:3000@pbx.test>']] });
  await w.run(100);
  const status = (m: string) => a.responsesTo(m).at(-1)!.status;
  assert.equal([status('PRACK'), status('OPTIONS'), status('REFER')], [481, 200, 501]);
  assert.is(a.responsesTo('OPTIONS')[0]!.headers.get('allow'), 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE');
  assert.is(w.manager.calls.size, 1, 'the call goes on');
  const answers: number[] = [];
  alice.send(request('BYE', { uri: 'sip:192.0.2.1', to: '<sip:2000@pbx.test>;tag=nope', cseq: 9 }), (res) => answers.push(res.status));
  alice.send(request('CANCEL', { uri: 'sip:2000@pbx.test' }), (res) => answers.push(res.status));
  await w.run(100);
  assert.equal(answers, [481, 481], 'no dialog (§12.2.2), no INVITE to cancel (§9.2)');
});

test('a media worker lost: the calls with endpoints on it are hung up', async () => {
  const { w, alice, bob } = twoPhones();
  const { a, b } = await establish(w, alice, bob, '2000');
  w.media.raise({ event: 'worker.lost', worker: 0, exitCode: 70, endpoints: [...w.media.endpoints.keys()], rooms: [] });
  await w.run(100);
  assert.ok(a.ended && b.ended);
  assert.is(w.history()[0]!.endReason, 'media worker lost');
});

test('media timeouts before the answer are ignored', async () => {
  const { w, alice, bob } = twoPhones();
  const call = alice.call('2000');
  await w.run(100);
  w.media.raise({ event: 'media.timeout', endpointId: [...w.media.endpoints.keys()][0]!, silentMs: 60_000, worker: 0 });
  await w.run(100);
  bob.incoming[0]!.answer();
  await w.run(100);
  assert.is(call.final?.status, 200);
});

test('a fork that times out (Timer B) counts as unreachable: 480 when it was the only one', async () => {
  const { w, alice, bob } = twoPhones({ ringTimeoutMs: 60_000 });
  bob.onInvite = () => undefined; // the INVITE gets nothing back, not even 100
  w.net.setLink(w.node, bob.node, { loss: 1 });
  const call = alice.call('2000');
  await w.run(33_000);
  assert.is(call.final?.status, 480);
  assert.is(w.history()[0]!.disposition, 'failed');
});

test('a session refresh answered 481 ends the call (RFC 4028 §10, RFC 3261 §12.2.1.2)', async () => {
  const { w, alice, bob } = twoPhones();
  alice.call('2000', alice.sdp(), { headers: [['Session-Expires', '120;refresher=uas'], ['Supported', 'timer']] });
  await w.run(100);
  const b = bob.incoming[0]!.answer();
  await w.run(100);
  const a = alice.outgoing[0]!.dialog!;
  a.onOffer = () => ({ status: 481 });
  await w.run(61_000);
  assert.ok(b.ended, 'the other side got BYE');
  assert.is(w.manager.calls.size, 0);
  assert.is(w.history()[0]!.endReason, 'dialog gone');
});

test('no RTP port left for the media: 503 to the caller, nothing rings, the attempt is recorded as failed', async () => {
  const { w, alice, bob } = twoPhones();
  w.media.failCreate = true;
  w.errorsExpected = true;
  const call = alice.call('2000');
  await w.run(100);
  assert.equal([call.final?.status, call.final?.reason], [503, 'Media Unavailable']);
  assert.is(bob.incoming.length, 0);
  assert.equal([w.history()[0]!.disposition, w.history()[0]!.endReason], ['failed', '503 media unavailable']);
  assert.match(w.errors[0]!, /no media endpoint/);
});

test.run();
