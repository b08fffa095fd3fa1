import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { establish } from '../calls/support/scenarios.js';
import { frags, referStatus, refer } from '../calls/support/transfer-world.js';
import { conferenceWorld, joinWith, members } from './support/conference-world.js';

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

test.run();
