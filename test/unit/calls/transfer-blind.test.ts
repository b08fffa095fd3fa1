import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSdp } from '../../../src/rtp/sdp/index.js';
import { createResponse } from '../../../src/sip/response.js';
import { establish, header } from './support/scenarios.js';
import { assertedIdentities, frags, notifies, onlyCall, refer, referStatus, transferWorld } from './support/transfer-world.js';

/** Alice calls Bob, Bob answers; `w.run` leaves them talking. */
async function talking(opts: Parameters<typeof transferWorld>[0] = {}) {
  const t = transferWorld(opts);
  const e = await establish(t.w, t.alice, t.bob, '2000');
  const call = onlyCall(t.w);
  return { ...t, ...e, call, aId: `${call.id}:a`, bId: `${call.id}:b` };
}

test('blind transfer by the callee: 202, NOTIFY 100 Trying, the target rings presenting the transferee with Referred-By, NOTIFY 180, then 200 and the transferee talks to the target (RFC 3515, RFC 5589 §6.1)', async () => {
  const { w, carol, a, b, call, aId, bId } = await talking();
  refer(b, '<sip:3000@pbx.test>');
  await w.run(100);
  assert.is(referStatus(b), 202);
  const ring = carol.incoming[0]!;
  assert.ok(ring, 'Carol rings');
  assert.match(ring.invite.headers.get('from')!, /^"Alice" <sip:1000@pbx\.test>;tag=/);
  assert.is(ring.invite.headers.get('p-asserted-identity'), '"Alice" <sip:1000@pbx.test>');
  assert.is(ring.invite.headers.get('referred-by'), '"Bob" <sip:2000@pbx.test>', 'RFC 3892: who transferred');
  const cId = `${call.id}:b1`;
  assert.is(parseSdp(ring.offer).audio!.port, w.media.get(cId).port, "the offer is a new endpoint for the referrer's side, next to Alice's");
  assert.is(w.media.get(cId).worker, w.media.get(aId).worker);
  assert.is(w.media.get(bId).relayedWith, aId, 'Bob keeps his endpoint while Carol rings');
  assert.is(w.media.get(aId).music, '/moh/default.wav', 'Alice hears the music on hold while Carol rings');
  assert.equal(frags(b), ['SIP/2.0 100 Trying', 'SIP/2.0 180 Ringing']);
  const [first] = notifies(b);
  assert.match(first!.event, /^refer;id=\d+$/);
  assert.match(first!.state, /^active;expires=\d+$/);
  assert.is(first!.contentType, 'message/sipfrag;version=2.0');
  assert.is((await w.manager.live.list())[0]!.state, 'transferring');

  const c = ring.answer(carol.sdp());
  await w.run(100);
  assert.equal(frags(b).at(-1), 'SIP/2.0 200 OK');
  assert.is(notifies(b).at(-1)!.state, 'terminated;reason=noresource', 'RFC 3515 §2.4.7');
  assert.equal(w.media.get(cId).remote, { address: carol.node.address, port: parseSdp(carol.sdp()).audio!.port }, "the new endpoint sends to Carol's phone");
  assert.is(w.media.get(aId).relayedWith, cId, "Alice's side is relayed with Carol's");
  assert.is(w.media.endpoints.has(bId), false, "Bob's endpoint is closed: whatever he still sends cannot latch onto Carol's (RFC 4961)");
  assert.is(w.media.get(aId).music, undefined, 'the music stops');
  assert.equal(assertedIdentities(a), [['UPDATE', '"Carol" <sip:3000@pbx.test>']], "Alice's phone is told it talks to Carol");
  assert.equal(assertedIdentities(c), [], 'Carol knew from the INVITE');
  assert.is(b.ended, false, 'Bob gets a moment to hang up himself (RFC 5589 §6.1)');
  await w.run(2_100);
  assert.ok(b.ended, 'then the switch ends his dialog');
  const [view] = await w.manager.live.list();
  assert.equal([view!.state, view!.caller.number, view!.callee.answeredBy, view!.legs.map((l) => l.device)], ['answered', '1000', '3001', ['1001', '3001']]);
  assert.is(call.state, 'answered');
});

test('blind transfer by the caller: the callee is transferred; the new history row has the transferee as caller on side b', async () => {
  const { w, carol, a, b, call } = await talking();
  refer(a, '<sip:3000@pbx.test>');
  await w.run(100);
  const ring = carol.incoming[0]!;
  assert.is(ring.invite.headers.get('p-asserted-identity'), '"Bob" <sip:2000@pbx.test>');
  const c = ring.answer();
  await w.run(100);
  assert.equal(assertedIdentities(b), [['UPDATE', '"Carol" <sip:3000@pbx.test>']]);
  a.bye(); // Alice hangs up the transferred dialog herself, as phones do after NOTIFY 200
  await w.run(100);
  assert.is(call.state, 'answered', "the referrer's BYE does not end the transferred call");
  assert.is(call.callerSide, 'b');
  c.bye();
  await w.run(100);
  assert.ok(b.ended);
  const rows = w.history();
  const original = rows.find((r) => r.id === call.id)!;
  const made = rows.find((r) => r.id !== call.id)!;
  assert.equal([original.disposition, original.endReason], ['answered', 'transferred to 3000 by 1000']);
  assert.equal([made.callerNumber, made.callerDevice, made.dialled, made.calleeUser, made.answeredBy, made.disposition, made.endReason], ['2000', '2001', '3000', '3000', '3001', 'answered', 'callee hung up']);
  assert.equal(made.parties.map((p) => [p.userExt, p.role, p.missed]).sort(), [['2000', 'caller', false], ['3000', 'callee', false]]);
});

test('blind transfer to a user with two devices rings both; the one that answers wins, the other gets CANCEL with "Call completed elsewhere"', async () => {
  const { w, carol, carol2, b } = await talking({ carolDevices: 2 });
  refer(b, '<sip:3000@pbx.test>');
  await w.run(100);
  assert.equal([carol.incoming.length, carol2!.incoming.length], [1, 1]);
  carol2!.incoming[0]!.answer();
  await w.run(100);
  const cancel = w.net.packets({ from: 'switch', to: 'phone-3001', method: 'CANCEL', requests: true });
  assert.is(cancel.length, 1);
  assert.is(header(cancel[0]!, 'Reason'), 'SIP;cause=200;text="Call completed elsewhere"');
  assert.equal(frags(b).at(-1), 'SIP/2.0 200 OK');
  assert.is((await w.manager.live.list())[0]!.callee.answeredBy, '3002');
});

test('the target is busy: NOTIFY 486, the transferee goes back to the referrer (still held, music until he resumes); the attempt is a busy row, not missed', async () => {
  const { w, bob, carol, a, b, call, aId } = await talking();
  b.send('INVITE', { body: bob.sdp({ direction: 'sendonly', version: 2 }) });
  await w.run(100);
  refer(b, '<sip:3000@pbx.test>');
  await w.run(100);
  carol.incoming[0]!.refuse(486);
  await w.run(100);
  assert.equal(frags(b), ['SIP/2.0 100 Trying', 'SIP/2.0 180 Ringing', 'SIP/2.0 486 Busy Here']);
  assert.is(notifies(b).at(-1)!.state, 'terminated;reason=noresource');
  assert.is(call.transferring, false);
  assert.is(w.media.get(aId).music, '/moh/default.wav', 'Alice is still held by Bob');
  b.send('INVITE', { body: bob.sdp({ version: 3 }) });
  await w.run(100);
  assert.is(w.media.get(aId).music, undefined, "Bob's resume is the call's again");
  b.bye();
  await w.run(100);
  assert.ok(a.ended, "and Bob's BYE ends Alice's call as before the REFER");
  const made = w.history().find((r) => r.id !== call.id)!;
  assert.equal([made.disposition, made.endReason, made.parties.find((p) => p.userExt === '3000')!.missed], ['busy', '486 Busy Here', false]);
});

test('the target does not answer within calls.ringTimeout: CANCEL, NOTIFY 480, a missed call for the target user', async () => {
  const { w, carol, b, call } = await talking({ ringTimeoutMs: 20_000 });
  refer(b, '<sip:3000@pbx.test>');
  await w.run(19_900);
  assert.is(carol.incoming[0]!.cancel, undefined);
  await w.run(200);
  assert.ok(carol.incoming[0]!.cancel, 'Carol stops ringing');
  assert.is(carol.incoming[0]!.cancel!.headers.get('reason'), undefined);
  assert.equal(frags(b).at(-1), 'SIP/2.0 480 Temporarily Unavailable');
  assert.is(call.state, 'answered', 'Alice and Bob are still in their call');
  const made = w.history().find((r) => r.id !== call.id)!;
  assert.equal([made.disposition, made.parties.find((p) => p.userExt === '3000')!.missed], ['no-answer', true]);
});

test('the referrer hangs up right after 202 (as many phones do): the transfer goes on, the target answers, the call is transferee <-> target', async () => {
  const { w, carol, a, b, call } = await talking();
  refer(b, '<sip:3000@pbx.test>');
  await w.run(50);
  b.bye();
  await w.run(100);
  assert.is(a.ended, false, "the referrer's BYE does not end the transferee's call");
  assert.is(b.responsesTo('BYE').at(-1)!.status, 200);
  carol.incoming[0]!.answer();
  await w.run(3_000);
  assert.is(call.state, 'answered');
  assert.equal(w.net.packets({ from: 'switch', to: 'phone-2001', method: 'BYE', requests: true }).length, 0, 'no second BYE to the referrer');
  assert.equal(assertedIdentities(a), [['UPDATE', '"Carol" <sip:3000@pbx.test>']]);
});

test('the referrer hung up and the target is busy: the transferee is hung up, the original row says why', async () => {
  const { w, carol, a, b, call } = await talking();
  refer(b, '<sip:3000@pbx.test>');
  await w.run(50);
  b.bye();
  await w.run(100);
  carol.incoming[0]!.refuse(486);
  await w.run(100);
  assert.ok(a.ended);
  assert.is(w.manager.calls.size, 0);
  const original = w.history().find((r) => r.id === call.id)!;
  assert.is(original.endReason, 'transfer failed: 486 Busy Here');
});

test('the transferee hangs up while the target rings: the target gets CANCEL (a missed call), the referrer BYE and a NOTIFY is not sent on an ended dialog', async () => {
  const { w, carol, a, b, call } = await talking();
  refer(b, '<sip:3000@pbx.test>');
  await w.run(100);
  a.bye();
  await w.run(100);
  assert.ok(carol.incoming[0]!.cancel, 'Carol stops ringing');
  assert.ok(b.ended, 'Bob is hung up');
  assert.equal(frags(b), ['SIP/2.0 100 Trying', 'SIP/2.0 180 Ringing']);
  const made = w.history().find((r) => r.id !== call.id)!;
  assert.equal([made.disposition, made.parties.find((p) => p.userExt === '3000')!.missed], ['cancelled', true]);
});

test('refusals before anything happens: no Refer-To or two of them 400 (RFC 3515 §2.4.1), a mailto: URI 416, a method other than INVITE 501', async () => {
  const { w, b, call } = await talking();
  const statuses: Array<number | undefined> = [];
  for (const [referTo, extra] of [
    [null, []],
    ['<sip:3000@pbx.test>', [['Refer-To', '<sip:3001@pbx.test>']]],
    ['<mailto:carol@example.com>', []],
    ['<sip:3000@pbx.test;method=BYE>', []],
  ] as Array<[string | null, Array<[string, string]>]>) {
    refer(b, referTo, extra);
    await w.run(100);
    statuses.push(b.responsesTo('REFER').filter((r) => r.status >= 200).at(-1)?.status);
  }
  assert.equal(statuses, [400, 400, 416, 501]);
  assert.equal(frags(b), [], 'no subscription was created');
  assert.is(call.transferring, false);
});

test('an unknown number: 202, then NOTIFY 404 terminated; the call goes on untouched and a failed row records the attempt', async () => {
  const { w, b, call, aId } = await talking();
  refer(b, '<sip:9999@pbx.test>');
  await w.run(100);
  assert.is(referStatus(b), 202);
  assert.equal(frags(b), ['SIP/2.0 100 Trying', 'SIP/2.0 404 Not Found']);
  assert.is(notifies(b)[1]!.state, 'terminated;reason=noresource');
  assert.is(w.media.get(aId).music, undefined);
  assert.is(call.state, 'answered');
  const made = w.history().find((r) => r.id !== call.id)!;
  assert.equal([made.dialled, made.disposition, made.endReason], ['9999', 'failed', '404 unknown number']);
});

test('loops: a transfer to the referrer itself or to the transferee is NOTIFY 482 Loop Detected; nobody rings', async () => {
  const { w, b, alice, bob } = await talking();
  refer(b, '<sip:2001@pbx.test>');
  await w.run(100);
  refer(b, '<tel:1000;phone-context=pbx.test>');
  await w.run(100);
  assert.equal(frags(b).filter((f) => !f.includes('100')), ['SIP/2.0 482 Loop Detected', 'SIP/2.0 482 Loop Detected']);
  assert.equal([alice.incoming.length, bob.incoming.length], [0, 1]);
});

test('a second REFER while the first still rings its target: 491; the first goes on', async () => {
  const { w, b, carol } = await talking();
  refer(b, '<sip:3000@pbx.test>');
  await w.run(100);
  refer(b, '<sip:3000@pbx.test>');
  await w.run(100);
  assert.equal(b.responsesTo('REFER').filter((r) => r.status >= 200).map((r) => r.status), [202, 491]);
  assert.is(carol.incoming.length, 1);
});

test('Refer-Sub: false (RFC 4488 §4): 202 says so and no NOTIFY is sent; the transfer still happens', async () => {
  const { w, b, carol, call } = await talking();
  refer(b, '<sip:3000@pbx.test>', [['Refer-Sub', 'false']]);
  await w.run(100);
  assert.is(b.responsesTo('REFER').find((r) => r.status === 202)!.headers.get('refer-sub'), 'false');
  carol.incoming[0]!.answer();
  await w.run(100);
  assert.equal(notifies(b), []);
  assert.is(call.answeredBy, '3001');
});

test("a transferee whose Allow has no UPDATE is told the new identity by re-INVITE with its unchanged SDP (same o= version, RFC 3264 §8)", async () => {
  const t = transferWorld();
  t.alice.allow = 'INVITE, ACK, CANCEL, BYE, OPTIONS';
  const { a, b } = await establish(t.w, t.alice, t.bob, '2000');
  const ok = t.alice.outgoing[0]!.final!;
  refer(b, '<sip:3000@pbx.test>');
  await t.w.run(100);
  t.carol.incoming[0]!.answer();
  await t.w.run(100);
  const reinvite = a.requestsOf('INVITE').at(-1)!;
  assert.is(reinvite.headers.get('p-asserted-identity'), '"Carol" <sip:3000@pbx.test>');
  assert.is(parseSdp(reinvite.body).origin.sessionVersion, parseSdp(ok.body).origin.sessionVersion, 'no media change');
  assert.is(a.acks.length, 1, 'the re-INVITE was ACKed');
  assert.equal(a.requestsOf('UPDATE'), []);
});

test('a referrer answering NOTIFY with 481 gets no more NOTIFYs, and its dialog is not torn down for it (RFC 5057 §5.2)', async () => {
  const { w, bob, carol, b, call } = await talking();
  const tu = bob.node.tu!;
  bob.node.tu = (e, n) => {
    if (e.type === 'request' && e.request.method === 'NOTIFY') return bob.respond(e.tx, createResponse(e.request, 481));
    tu(e, n);
  };
  refer(b, '<sip:3000@pbx.test>');
  await w.run(100);
  carol.incoming[0]!.answer();
  await w.run(100);
  assert.is(w.net.packets({ from: 'switch', to: 'phone-2001', method: 'NOTIFY', requests: true }).length, 1, 'only the first NOTIFY');
  assert.is(call.answeredBy, '3001', 'the transfer completed');
});

test('the target answers while the music file still loads: the music stop waits for the start to be answered, so the worker cannot play it for good', async () => {
  const { w, carol, b, aId } = await talking();
  const started: Array<() => void> = [];
  const start = w.media.startMusicOnHold.bind(w.media);
  w.media.startMusicOnHold = (id: string, file: string) => new Promise((resolve) => started.push(() => resolve(start(id, file))));
  refer(b, '<sip:3000@pbx.test>');
  await w.run(100);
  carol.incoming[0]!.answer();
  await w.run(100);
  assert.equal(w.media.ops('moh'), [], 'the worker is still loading the file');
  started.shift()!();
  await w.run(10);
  assert.equal(w.media.ops('moh'), [`moh.start ${aId}`, `moh.stop ${aId}`], 'stop only after start was answered');
  assert.is(w.media.get(aId).music, undefined);
});

test('the target answers with SDP we cannot use: it gets BYE, NOTIFY 488, and the referrer is re-INVITEd onto the side\'s new endpoint', async () => {
  const { w, carol, b, call, aId } = await talking();
  refer(b, '<sip:3000@pbx.test>');
  await w.run(100);
  const c = carol.incoming[0]!.answer(carol.sdp({ codecs: ['G729'], te: false }));
  await w.run(100);
  assert.ok(c.ended, 'Carol is hung up');
  assert.equal(frags(b).at(-1), 'SIP/2.0 488 Not Acceptable Here');
  const back = b.requestsOf('INVITE').at(-1)!;
  assert.is(parseSdp(back.body).audio!.port, w.media.get(`${call.id}:b1`).port);
  assert.is(w.media.get(aId).relayedWith, `${call.id}:b1`);
  assert.is(call.legs.b?.device, '2001');
});

test.run();
