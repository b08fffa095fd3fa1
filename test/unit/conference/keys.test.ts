import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConferenceKeys } from '../../../src/app/conference/conference-keys.js';
import { PROMPT_MS } from './support/fake-room-media.js';
import { conferenceWorld, joinWith, members, press, type ConferenceWorld, type RoomCaller } from './support/conference-world.js';

/** Alice joins 8000 as admin, Bob and Carol as participants (in that order). */
async function room(): Promise<{ t: ConferenceWorld; admin: RoomCaller; bob: RoomCaller; carol: RoomCaller }> {
  const t = conferenceWorld();
  const admin = await joinWith(t, t.alice, '8000', '9999');
  const bob = await joinWith(t, t.bob, '8000', '1234');
  const carol = await joinWith(t, t.carol, '8000', '1234');
  return { t, admin, bob, carol };
}

const inRoomPrompts = (t: ConferenceWorld, c: RoomCaller) => t.media.played.filter((p) => p.endpointId === c.ep && p.inRoom && p.id !== 'greeting').map((p) => p.prompt);

test('keys: * then a key makes a command; a key without * or an unknown one does nothing', () => {
  const k = new ConferenceKeys();
  assert.equal(['6', '*', '6', '*', '9', '1', '*', '*', '1'].map((d) => k.press(d) ?? '-'), ['-', '-', 'toggle-mute', '-', '-', '-', '-', '-', 'mute-others']);
});

test('*6 mutes the participant who pressed it ("you have been muted"), *6 again unmutes (issue 5: anyone mutes themselves)', async () => {
  const { t, bob } = await room();
  await press(t, bob, '*6');
  assert.ok(t.media.muted.has(bob.ep));
  assert.is(bob.call.participant!.muted, true);
  await press(t, bob, '*6');
  assert.not.ok(t.media.muted.has(bob.ep));
  assert.equal(inRoomPrompts(t, bob), ['en/conf-muted', 'en/conf-unmuted']);
});

test('*6 works from SIP INFO keys too (RFC 6086 §2)', async () => {
  const { t, bob } = await room();
  await press(t, bob, '*6', 'info');
  assert.ok(t.media.muted.has(bob.ep));
});

test('*1 by an administrator mutes everyone but them, *2 unmutes everyone (issue 5)', async () => {
  const { t, admin, bob, carol } = await room();
  await press(t, admin, '*1');
  assert.equal([...t.media.muted].sort(), [bob.ep, carol.ep].sort());
  assert.equal(inRoomPrompts(t, admin), ['en/conf-all-muted']);
  await press(t, admin, '*2');
  assert.is(t.media.muted.size, 0);
  assert.equal(inRoomPrompts(t, admin), ['en/conf-all-muted', 'en/conf-all-unmuted']);
});

test('admin keys from a participant are refused with "not a valid choice" and change nothing', async () => {
  const { t, admin, bob } = await room();
  await press(t, bob, '*1*5*7');
  assert.is(t.media.muted.size, 0);
  assert.is(t.svc.rooms.get('8000')!.locked, false);
  assert.is(members(t, '8000').length, 3);
  assert.ok(admin.call.state === 'in-room');
  assert.equal(inRoomPrompts(t, bob), ['en/ivr-invalid-choice', 'en/ivr-invalid-choice', 'en/ivr-invalid-choice']);
});

test('*5 locks the room (a new caller hears "locked" and is hung up), *5 again unlocks (issue 5)', async () => {
  const { t, admin } = await room();
  await press(t, admin, '*5');
  assert.is(t.svc.rooms.get('8000')!.locked, true);
  const dave = t.dave.call('8000', t.dave.sdp());
  await t.w.run(100);
  const daveCall = [...t.svc.calls.values()].find((c) => c.identity.device === '4001')!;
  assert.equal(t.media.promptsTo(daveCall.endpointId), ['en/conf-locked']);
  t.media.finishPlayback(daveCall.endpointId);
  await t.w.run(100);
  assert.is(dave.dialog!.requestsOf('BYE').length, 1);
  await press(t, admin, '*5');
  assert.is(t.svc.rooms.get('8000')!.locked, false);
  assert.equal(inRoomPrompts(t, admin).slice(0, 1), ['en/conf-now-locked']);
  await t.w.run(PROMPT_MS);
  assert.equal(inRoomPrompts(t, admin), ['en/conf-now-locked', 'en/conf-now-unlocked']);
});

test('*7 removes the last participant who joined (BYE), then the one before (issue 5)', async () => {
  const { t, admin, bob, carol } = await room();
  await press(t, admin, '*7');
  assert.is(carol.out.dialog!.requestsOf('BYE').length, 1);
  assert.equal(members(t, '8000'), [admin.ep, bob.ep]);
  await press(t, admin, '*7');
  assert.is(bob.out.dialog!.requestsOf('BYE').length, 1);
  await press(t, admin, '*7');
  assert.equal(members(t, '8000'), [admin.ep], 'the administrator never removes themselves');
  assert.equal(inRoomPrompts(t, admin), ['en/conf-last-removed', 'en/conf-last-removed', 'en/ivr-invalid-choice']);
});

test('*0 says how many participants there are, one file after the other (issue 5: numbers for counts)', async () => {
  const { t, bob } = await room();
  await press(t, bob, '*0');
  assert.equal(inRoomPrompts(t, bob), ['en/conf-there-are']);
  await t.w.run(2 * PROMPT_MS);
  assert.equal(inRoomPrompts(t, bob), ['en/conf-there-are', 'en/number-3', 'en/noun-participant-many']);
});

test('the owner of a private room has the admin keys', async () => {
  const t = conferenceWorld();
  const owner = await joinWith(t, t.alice, '8004', null);
  const bob = await joinWith(t, t.bob, '8004', null);
  await press(t, owner, '*1');
  assert.equal([...t.media.muted], [bob.ep]);
});

test('hold in the room (re-INVITE sendonly, RFC 3264 §8.4) mutes and deafens the participant; resume restores their own mute state', async () => {
  const { t, bob } = await room();
  await press(t, bob, '*6');
  const d = bob.out.dialog!;
  d.send('INVITE', { body: t.bob.sdp({ direction: 'sendonly' }) });
  await t.w.run(100);
  assert.match(d.responsesTo('INVITE').at(-1)!.body.toString(), /a=recvonly/);
  assert.ok(t.media.muted.has(bob.ep) && t.media.deafened.has(bob.ep));
  d.send('INVITE', { body: t.bob.sdp({ direction: 'sendrecv' }) });
  await t.w.run(100);
  assert.ok(t.media.muted.has(bob.ep), 'still muted by *6');
  assert.not.ok(t.media.deafened.has(bob.ep));
  await press(t, bob, '*6');
  assert.not.ok(t.media.muted.has(bob.ep));
});

test('a media timeout of a participant not on hold ends its call', async () => {
  const { t, bob } = await room();
  t.media.raise({ event: 'media.timeout', endpointId: bob.ep, silentMs: 60_000, worker: 0 });
  await t.w.run(100);
  assert.is(bob.out.dialog!.requestsOf('BYE').length, 1);
  assert.is(members(t, '8000').length, 2);
});

test('talking events of the mixer show in the live view', async () => {
  const { t, bob } = await room();
  t.media.raise({ event: 'talking', endpointId: bob.ep, roomId: t.svc.rooms.get('8000')!.engineRoomId, talking: true, worker: 0 });
  await t.w.run(10);
  assert.equal(t.svc.rooms.get('8000')!.view().participants.map((p) => p.talking), [false, true, false]);
});

test.run();
