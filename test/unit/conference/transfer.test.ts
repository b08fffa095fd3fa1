import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { establish } from '../calls/support/scenarios.js';
import { frags, referStatus, refer, referToWithReplaces, replacesOf } from '../calls/support/transfer-world.js';
import { conferenceWorld, dial, finish, joinWith, members, press } from './support/conference-world.js';

test("a blind transfer by a private room's owner to the room brings the transferee in without PIN (REFER, RFC 3515; issue 5)", async () => {
  const t = conferenceWorld();
  const owner = await joinWith(t, t.alice2, '8003', null); // Alice in her room, from her second phone
  const e = await establish(t.w, t.alice, t.bob, '2000');
  refer(e.a, '<sip:8003@pbx.test>');
  await t.w.run(200);
  assert.is(referStatus(e.a), 202);
  assert.equal(frags(e.a), ['SIP/2.0 100 Trying', 'SIP/2.0 200 OK']);
  // Bob's dialog stays; the switch re-INVITEs it onto the room's endpoint.
  const reinvite = e.b.requestsOf('INVITE').at(-1);
  assert.ok(reinvite, 'Bob re-INVITEd');
  const bobCall = [...t.svc.calls.values()].find((c) => c.identity.number === '2000')!;
  assert.match(reinvite!.body.toString(), new RegExp(`m=audio ${t.media.get(bobCall.endpointId).port} `));
  assert.is(bobCall.state, 'in-room');
  assert.not.ok(t.media.promptsTo(bobCall.endpointId).includes('en/conf-enter-pin'));
  assert.equal(members(t, '8003'), [owner.ep, bobCall.endpointId]);
  assert.is(bobCall.participant!.role, 'participant');
  assert.is(t.w.manager.calls.size, 0, 'the transferred call is over');
  assert.is(e.b.requestsOf('BYE').length, 0, 'no BYE to the transferee');
  await t.w.run(2500);
  assert.is(e.a.requestsOf('BYE').length, 1, 'the referrer is hung up after the grace period');
  const rows = t.w.history();
  assert.ok(rows.some((r) => r.endReason === 'transferred to 8003 by 1000'));
  assert.ok(rows.some((r) => r.id === bobCall.id && r.dialled === '8003' && r.callerNumber === '2000'));
});

test('a blind transfer to a private room by someone else than its owner: the transferee is asked for the PIN', async () => {
  const t = conferenceWorld();
  const e = await establish(t.w, t.carol, t.bob, '2000');
  refer(e.a, '<sip:8003@pbx.test>');
  await t.w.run(200);
  const bobCall = [...t.svc.calls.values()].find((c) => c.identity.number === '2000')!;
  assert.is(bobCall.state, 'entry');
  assert.equal(t.media.promptsTo(bobCall.endpointId), ['en/conf-enter-pin']);
});

test('the transferee hanging up in the room after a transfer cleans up like any participant', async () => {
  const t = conferenceWorld();
  const e = await establish(t.w, t.alice, t.bob, '2000');
  refer(e.a, '<sip:8004@pbx.test>');
  await t.w.run(200);
  const bobCall = [...t.svc.calls.values()].find((c) => c.identity.number === '2000')!;
  assert.is(bobCall.state, 'in-room');
  e.b.bye();
  await t.w.run(100);
  assert.is(t.svc.calls.size, 0);
  assert.is(t.svc.rooms.size, 0);
  assert.not.ok(t.media.endpoints.has(bobCall.endpointId));
});

test('a transferee refusing the re-INVITE is hung up; nothing stays in the room', async () => {
  const t = conferenceWorld();
  const e = await establish(t.w, t.alice, t.bob, '2000');
  e.b.onOffer = () => ({ status: 488 });
  refer(e.a, '<sip:8004@pbx.test>');
  await t.w.run(200);
  assert.is(t.svc.calls.size, 0);
  assert.is(e.b.requestsOf('BYE').length, 1);
  assert.is(t.svc.rooms.size, 0);
});

test("the owner's second call to her room while she is in it (a consultation call) is asked for the PIN and joins as participant", async () => {
  const t = conferenceWorld();
  await joinWith(t, t.alice2, '8003', null);
  const consult = await dial(t, t.alice, '8003');
  assert.equal(t.media.promptsTo(consult.ep), ['en/conf-enter-pin']);
  await finish(t, consult);
  await press(t, consult, '4321#');
  assert.is(consult.call.participant!.role, 'participant');
});

test('an attended transfer into the room (REFER with Replaces naming the consultation call to the room, RFC 3891 §7.1): the transferee takes its place without PIN, the consultation leg gets BYE', async () => {
  const t = conferenceWorld();
  const owner = await joinWith(t, t.alice2, '8003', null);
  const e = await establish(t.w, t.alice, t.bob, '2000');
  const consult = await joinWith(t, t.alice, '8003', '4321');
  refer(e.a, referToWithReplaces('8003', replacesOf(consult.out.dialog!)));
  await t.w.run(200);
  assert.equal(frags(e.a), ['SIP/2.0 100 Trying', 'SIP/2.0 200 OK']);
  assert.is(consult.out.dialog!.requestsOf('BYE').length, 1, 'the replaced dialog ends (RFC 3891 §3)');
  const bobCall = [...t.svc.calls.values()].find((c) => c.identity.number === '2000')!;
  assert.is(bobCall.state, 'in-room');
  assert.is(bobCall.participant!.role, 'participant');
  assert.equal(t.media.promptsTo(bobCall.endpointId), [], 'no PIN prompt for the transferee');
  assert.equal(members(t, '8003'), [owner.ep, bobCall.endpointId]);
  assert.is(e.b.requestsOf('BYE').length, 0);
  assert.is(t.w.manager.calls.size, 0);
});

test("a Replaces naming another user's room call is refused: NOTIFY 403 (RFC 3891 §6), nobody moves", async () => {
  const t = conferenceWorld();
  const carolInRoom = await joinWith(t, t.carol, '8002', null);
  const e = await establish(t.w, t.alice, t.bob, '2000');
  refer(e.a, referToWithReplaces('8002', replacesOf(carolInRoom.out.dialog!)));
  await t.w.run(200);
  assert.equal(frags(e.a), ['SIP/2.0 100 Trying', 'SIP/2.0 403 Forbidden']);
  assert.is(t.w.manager.calls.size, 1);
  assert.equal(members(t, '8002'), [carolInRoom.ep]);
});

test.run();
