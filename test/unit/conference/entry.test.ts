import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { conferenceWorld, dial, finish, joinWith, members, press } from './support/conference-world.js';

test('a call to a room number is answered by the switch itself: 200 with one codec and telephone-event, no phone rings (RFC 3264 §6.1, RFC 4733 §7.1)', async () => {
  const t = conferenceWorld();
  const c = await dial(t, t.alice, '8000');
  assert.is(c.out.final?.status, 200);
  const sdp = c.out.final!.body.toString();
  assert.match(sdp, /m=audio \d+ RTP\/AVP 0 101\r\n/);
  assert.match(sdp, /a=rtpmap:101 telephone-event\/8000/);
  assert.ok(c.out.dialog, 'the caller has a dialog with the switch');
  assert.is(t.bob.incoming.length + t.carol.incoming.length, 0);
  assert.ok(t.media.endpoints.has(c.ep));
  assert.equal(t.media.get(c.ep).remote?.port, 40002);
});

test('a public room with a user PIN asks for it, in the system language (issue 5)', async () => {
  const t = conferenceWorld();
  const c = await dial(t, t.alice, '8000');
  assert.equal(t.media.promptsTo(c.ep), ['en/conf-enter-pin']);
  assert.is(c.call.state, 'entry');
  assert.is(t.svc.rooms.size, 0, 'no room before the PIN');
});

test('the user PIN sent as RFC 4733 events joins as participant; alone, the caller hears "you are the only participant" (RFC 4733 §3.2, issue 5)', async () => {
  const t = conferenceWorld();
  const c = await dial(t, t.alice, '8000');
  await finish(t, c);
  await press(t, c, '1234#');
  assert.is(c.call.state, 'in-room');
  assert.equal(members(t, '8000'), [c.ep]);
  assert.ok(t.media.ops('room.add').some((l) => l.endsWith('greeting=en/conf-only-participant')));
  const view = t.svc.rooms.get('8000')!.view();
  assert.equal(view.participants.map((p) => [p.id, p.number, p.device, p.admin, p.muted]), [['p1', '1000', '1001', false, false]]);
});

test('a key during the PIN prompt stops it (barge-in) and counts as the first digit', async () => {
  const t = conferenceWorld();
  const c = await dial(t, t.alice, '8000');
  await press(t, c, '1234#');
  assert.is(c.call.state, 'in-room');
  assert.ok(t.media.ops('play.stop').length >= 1);
});

test('the PIN sent as SIP INFO application/dtmf-relay works too (RFC 6086 §2)', async () => {
  const t = conferenceWorld();
  const c = await dial(t, t.alice, '8000', { te: false });
  assert.not.match(c.out.final!.body.toString(), /telephone-event/);
  await finish(t, c);
  await press(t, c, '1234#', 'info');
  assert.is(c.call.state, 'in-room');
  assert.ok(c.out.dialog!.responsesTo('INFO').every((r) => r.status === 200));
});

test('the second caller joins without "only participant", and both are in the engine room', async () => {
  const t = conferenceWorld();
  const a = await joinWith(t, t.alice, '8000', '1234');
  const b = await joinWith(t, t.bob, '8000', '1234');
  assert.equal(members(t, '8000'), [a.ep, b.ep]);
  assert.ok(t.media.ops('room.add').at(-1)!.endsWith(b.ep), 'no greeting for the second');
});

test('the admin PIN joins as administrator, after "you have joined as administrator" (issue 5)', async () => {
  const t = conferenceWorld();
  const c = await dial(t, t.alice, '8000');
  await finish(t, c);
  await press(t, c, '9999#');
  assert.equal(t.media.promptsTo(c.ep), ['en/conf-enter-pin', 'en/conf-joined-admin']);
  assert.is(c.call.state, 'entry');
  await finish(t, c);
  assert.is(c.call.state, 'in-room');
  assert.is(c.call.participant!.role, 'admin');
});

test('three wrong PINs: "wrong PIN" twice, then the goodbye prompt, then BYE; nobody joined (issue 5)', async () => {
  const t = conferenceWorld();
  const c = await dial(t, t.alice, '8000');
  for (let i = 0; i < 3; i++) {
    await finish(t, c);
    await press(t, c, '1111#');
  }
  // Each retry is "wrong PIN" + the PIN prompt again (the second barged into by the keys).
  assert.equal(t.media.promptsTo(c.ep), ['en/conf-enter-pin', 'en/conf-wrong-pin', 'en/conf-enter-pin', 'en/conf-wrong-pin', 'en/conf-enter-pin', 'en/conf-wrong-pin-goodbye']);
  assert.is(c.out.dialog!.requestsOf('BYE').length, 0, 'no BYE before the goodbye ended');
  await press(t, c, '#');
  assert.is(c.call.state, 'entry', 'keys during the goodbye are ignored');
  await finish(t, c);
  assert.is(c.out.dialog!.requestsOf('BYE').length, 1);
  assert.is(t.svc.rooms.size, 0);
  assert.not.ok(t.media.endpoints.has(c.ep), 'endpoint destroyed');
  assert.is(t.svc.calls.size, 0);
});

test('no input before the first-digit timeout counts as an attempt: the PIN prompt again (issue 5: retries)', async () => {
  const t = conferenceWorld();
  const c = await dial(t, t.alice, '8000');
  await finish(t, c);
  await t.w.run(10_000);
  assert.equal(t.media.promptsTo(c.ep), ['en/conf-enter-pin', 'en/conf-enter-pin']);
});

test('a public room with only an admin PIN: # alone joins as participant, the admin PIN as admin (issue 5)', async () => {
  const t = conferenceWorld();
  const a = await dial(t, t.alice, '8001');
  assert.equal(t.media.promptsTo(a.ep), ['en/conf-enter-pin']);
  await finish(t, a);
  await press(t, a, '#');
  assert.is(a.call.state, 'in-room');
  assert.is(a.call.participant!.role, 'participant');
  const b = await joinWith(t, t.bob, '8001', '9999');
  assert.is(b.call.participant!.role, 'admin');
});

test('a wrong PIN in an admin-only room is still wrong', async () => {
  const t = conferenceWorld();
  const a = await dial(t, t.alice, '8001');
  await finish(t, a);
  await press(t, a, '1234#');
  assert.equal(t.media.promptsTo(a.ep).at(-1), 'en/conf-wrong-pin');
  assert.is(a.call.state, 'entry');
});

test('a public room without any PIN is joined at once', async () => {
  const t = conferenceWorld();
  const c = await dial(t, t.alice, '8002');
  assert.is(c.call.state, 'in-room');
  assert.equal(members(t, '8002'), [c.ep]);
});

test('a private room: its owner joins from any of their devices as admin, without PIN (issue 5)', async () => {
  const t = conferenceWorld();
  const a = await dial(t, t.alice2, '8003');
  assert.is(a.call.state, 'in-room');
  assert.is(a.call.participant!.role, 'admin');
  assert.not.ok(t.media.promptsTo(a.ep).includes('en/conf-enter-pin'));
});

test('a private room: another user dialling it is asked for the PIN, and joins as participant with it (issue 5)', async () => {
  const t = conferenceWorld();
  const b = await dial(t, t.bob, '8003');
  assert.equal(t.media.promptsTo(b.ep), ['en/conf-enter-pin']);
  await finish(t, b);
  await press(t, b, '4321#');
  assert.is(b.call.participant!.role, 'participant');
});

test('a private room without PIN: another user joins directly', async () => {
  const t = conferenceWorld();
  const b = await dial(t, t.bob, '8004');
  assert.is(b.call.state, 'in-room');
  assert.is(b.call.participant!.role, 'participant');
});

test('a locked room refuses a new caller with "the conference is locked", then BYE (issue 5)', async () => {
  const t = conferenceWorld();
  await joinWith(t, t.alice, '8000', '1234');
  t.svc.rooms.get('8000')!.locked = true;
  const b = await dial(t, t.bob, '8000');
  assert.equal(t.media.promptsTo(b.ep), ['en/conf-locked']);
  await finish(t, b);
  assert.is(b.out.dialog!.requestsOf('BYE').length, 1);
  assert.is(members(t, '8000').length, 1);
});

test('a locked private room still lets its owner in', async () => {
  const t = conferenceWorld();
  await joinWith(t, t.bob, '8004', null);
  t.svc.rooms.get('8004')!.locked = true;
  const a = await dial(t, t.alice, '8004');
  assert.is(a.call.state, 'in-room');
});

test('a room at maxParticipants refuses the next caller with "the conference is full", then BYE', async () => {
  const t = conferenceWorld();
  await joinWith(t, t.alice, '8005', '1234');
  await joinWith(t, t.bob, '8005', '1234');
  const c = await dial(t, t.carol, '8005');
  assert.equal(t.media.promptsTo(c.ep), ['en/conf-full']);
  await finish(t, c);
  assert.is(c.out.dialog!.requestsOf('BYE').length, 1);
});

test('a room that filled up while the caller typed the PIN refuses at the join', async () => {
  const t = conferenceWorld();
  await joinWith(t, t.alice, '8005', '1234');
  const c = await dial(t, t.carol, '8005');
  await joinWith(t, t.bob, '8005', '1234');
  await finish(t, c);
  await press(t, c, '1234#');
  assert.equal(t.media.promptsTo(c.ep).at(-1), 'en/conf-full');
  assert.is(members(t, '8005').length, 2);
});

test("prompts are in the room's language when it has one (ivr.language otherwise)", async () => {
  const t = conferenceWorld();
  const c = await dial(t, t.alice, '8006');
  assert.equal(t.media.promptsTo(c.ep), ['it/conf-enter-pin']);
});

test('the caller hanging up during the PIN prompt leaves nothing: endpoint destroyed, no timers, no room', async () => {
  const t = conferenceWorld();
  const timersBefore = t.w.manager['timers'].size;
  const c = await dial(t, t.alice, '8000');
  await finish(t, c);
  await press(t, c, '12');
  c.out.dialog!.bye();
  await t.w.run(100);
  assert.not.ok(t.media.endpoints.has(c.ep));
  assert.is(t.svc.calls.size, 0);
  assert.is(t.media.playing.size, 0);
  assert.is(t.w.manager['timers'].size, timersBefore);
  assert.is(t.svc.rooms.size, 0);
});

test('the last participant leaving destroys the engine room; the next caller gets a new one', async () => {
  const t = conferenceWorld();
  const a = await joinWith(t, t.alice, '8002', null);
  const b = await joinWith(t, t.bob, '8002', null);
  const first = t.svc.rooms.get('8002')!.engineRoomId;
  a.out.dialog!.bye();
  await t.w.run(100);
  assert.equal(members(t, '8002'), [b.ep]);
  b.out.dialog!.bye();
  await t.w.run(100);
  assert.is(t.svc.rooms.size, 0);
  assert.not.ok(t.media.rooms.has(first));
  assert.equal(t.media.ops('room.destroy'), [`room.destroy ${first}`]);
  await joinWith(t, t.carol, '8002', null);
  assert.is.not(t.svc.rooms.get('8002')!.engineRoomId, first);
});

test('history: a row with the room number dialled, answered, ended when the caller hangs up', async () => {
  const t = conferenceWorld();
  const c = await joinWith(t, t.alice, '8002', null);
  c.out.dialog!.bye();
  await t.w.run(100);
  const rows = t.w.history();
  assert.is(rows.length, 1);
  const r = rows[0]!;
  assert.equal([r.callerNumber, r.callerDevice, r.dialled, r.calleeUser, r.disposition, r.endReason], ['1000', '1001', '8002', null, 'answered', 'caller hung up']);
  assert.ok(r.answeredAt !== null);
});

test('a number that is no room still routes as before (404)', async () => {
  const t = conferenceWorld();
  const out = t.alice.call('8999', t.alice.sdp());
  await t.w.run(100);
  assert.is(out.final?.status, 404);
});

test.run();
