import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOM_KICK, ROOM_LIVE, ROOM_LOCK, ROOM_MUTE, ROOM_UNLOCK, ROOM_UNMUTE, type LiveRoomView, type LockResult, type ParticipantResult } from '../../../src/app/control/room-control.js';
import { conferenceWorld, joinWith, members } from './support/conference-world.js';

async function rejects(fn: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await fn();
  } catch (err) {
    assert.match((err as Error).message, pattern);
    return;
  }
  assert.unreachable('expected an error');
}

async function room() {
  const t = conferenceWorld();
  const admin = await joinWith(t, t.alice, '8000', '9999');
  const bob = await joinWith(t, t.bob, '8000', '1234');
  const m = t.svc.controlMethods();
  const call = async <T>(method: string, params: Record<string, unknown>) => (await m[method]!(params)) as T;
  return { t, admin, bob, call };
}

test('room.live lists the participants in join order with id, call, number, device, admin, muted (room-control.ts contract)', async () => {
  const { t, admin, bob, call } = await room();
  const v = await call<LiveRoomView>(ROOM_LIVE, { number: '8000' });
  assert.equal([v.number, v.name, v.kind, v.locked], ['8000', 'Main', 'public', false]);
  assert.ok(v.startedAt !== null);
  assert.equal(
    v.participants.map((p) => [p.id, p.callId, p.number, p.name, p.device, p.admin, p.muted]),
    [
      ['p1', admin.call.id, '1000', 'Alice', '1001', true, false],
      ['p2', bob.call.id, '2000', 'Bob', '2001', false, false],
    ],
  );
  assert.ok(t.svc.calls.size === 2);
});

test('room.live of a configured room nobody is in is an empty view; of an unknown number an error', async () => {
  const { call } = await room();
  const v = await call<LiveRoomView>(ROOM_LIVE, { number: '8002' });
  assert.equal([v.participants, v.startedAt, v.locked], [[], null, false]);
  await rejects(() => Promise.resolve().then(() => call(ROOM_LIVE, { number: '8999' })), /no conference room 8999/);
});

test('room.mute / room.unmute change the participant (and say so to them); a second mute changes nothing', async () => {
  const { t, bob, call } = await room();
  const r = await call<ParticipantResult>(ROOM_MUTE, { number: '8000', participant: 'p2' });
  assert.equal([r.changed, r.participant.muted], [true, true]);
  assert.ok(t.media.muted.has(bob.ep));
  assert.is((await call<ParticipantResult>(ROOM_MUTE, { number: '8000', participant: 'p2' })).changed, false);
  await call(ROOM_UNMUTE, { number: '8000', participant: 'p2' });
  assert.not.ok(t.media.muted.has(bob.ep));
  assert.ok(t.media.promptsTo(bob.ep).includes('en/conf-muted'));
});

test('room.kick ends the participant call with BYE and removes it from the room', async () => {
  const { t, admin, bob, call } = await room();
  const r = await call<ParticipantResult>(ROOM_KICK, { number: '8000', participant: 'p2' });
  assert.is(r.participant.id, 'p2');
  await t.w.run(100);
  assert.is(bob.out.dialog!.requestsOf('BYE').length, 1);
  assert.equal(members(t, '8000'), [admin.ep]);
  assert.equal(t.w.history().find((h) => h.id === bob.call.id)?.endReason, 'removed by the operator');
});

test('room.lock / room.unlock; a participant id not in the room is an error', async () => {
  const { t, call } = await room();
  assert.equal(await call<LockResult>(ROOM_LOCK, { number: '8000' }), { number: '8000', locked: true, changed: true });
  assert.equal(await call<LockResult>(ROOM_LOCK, { number: '8000' }), { number: '8000', locked: true, changed: false });
  assert.ok(t.svc.rooms.get('8000')!.locked);
  assert.equal(await call<LockResult>(ROOM_UNLOCK, { number: '8000' }), { number: '8000', locked: false, changed: true });
  await rejects(() => Promise.resolve().then(() => call(ROOM_MUTE, { number: '8000', participant: 'p9' })), /no participant p9 in room 8000/);
});

test('`softswitch calls` shows room calls (one leg, the room as callee) next to the others, and `hangup` ends one with BYE', async () => {
  const { t, admin, bob } = await room();
  const views = await t.w.manager.live.list();
  assert.equal(
    views.map((v) => [v.id, v.state, v.caller.number, v.dialled, v.callee.answeredBy, v.legs.length, v.legs[0]!.codec, v.legs[0]!.device]),
    [
      [admin.call.id, 'answered', '1000', '8000', 'room 8000', 1, 'PCMU', '1001'],
      [bob.call.id, 'answered', '2000', '8000', 'room 8000', 1, 'PCMU', '2001'],
    ],
  );
  assert.equal(t.w.manager.live.hangup(bob.call.id), { id: bob.call.id });
  await t.w.run(100);
  assert.is(bob.out.dialog!.requestsOf('BYE').length, 1);
  assert.throws(() => t.w.manager.live.hangup('no-such-call'), /no live call/);
});

test.run();
