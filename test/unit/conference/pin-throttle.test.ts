// Conference PIN guessing is throttled across calls. Issue 5: "three wrong PINs: a prompt,
// then hang up"; the project's standard: "a wrong PIN or password gets a retry, then a
// hang-up; brute force is throttled". Defaults: 10 wrong PINs in 15 minutes block the caller
// from PIN entry for 15 minutes, across all rooms.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Phone } from '../calls/support/phone.js';
import { conferenceWorld, dial, finish, joinWith, press, type ConferenceWorld, type RoomCaller } from './support/conference-world.js';

const MIN = 60_000;

/** `phone` dials `room` and enters `wrong` wrong PINs; the call then ends (the switch's goodbye, or the caller's BYE). */
async function guess(t: ConferenceWorld, phone: Phone, room: string, wrong: number): Promise<RoomCaller> {
  const c = await dial(t, phone, room);
  for (let i = 0; i < wrong; i++) {
    await finish(t, c);
    await press(t, c, '1111#');
  }
  if (c.call.state !== 'ended' && t.media.promptsTo(c.ep).at(-1) === 'en/conf-wrong-pin-goodbye') await finish(t, c);
  if (c.call.state !== 'ended') {
    c.out.dialog!.bye();
    await t.w.run(100);
  }
  assert.is(c.call.state, 'ended');
  return c;
}

/** The caller is turned away at once: the goodbye without any PIN prompt, then BYE. */
async function assertRefused(t: ConferenceWorld, phone: Phone, room: string): Promise<void> {
  const c = await dial(t, phone, room);
  assert.equal(t.media.promptsTo(c.ep), ['en/conf-wrong-pin-goodbye'], 'no PIN prompt, only the goodbye');
  await press(t, c, '1234#');
  assert.is(c.call.state, 'entry', 'keys are not taken');
  await finish(t, c);
  assert.is(c.out.dialog!.requestsOf('BYE').length, 1);
  assert.is(c.call.state, 'ended');
}

test('10 wrong PINs over 4 calls block the 5th call without a PIN prompt, even with the right PIN at hand (issue 5; brute force is throttled)', async () => {
  const t = conferenceWorld();
  for (let call = 0; call < 3; call++) await guess(t, t.bob, '8000', 3);
  const fourth = await guess(t, t.bob, '8000', 1);
  assert.equal(t.media.promptsTo(fourth.ep), ['en/conf-enter-pin', 'en/conf-wrong-pin-goodbye'], 'the 10th wrong PIN ends the call at once: no retry');
  assert.is(fourth.out.dialog!.requestsOf('BYE').length, 1);
  await assertRefused(t, t.bob, '8000');
  assert.is(t.svc.rooms.size, 0, 'nobody joined');
});

test('the block is per caller across rooms: wrong PINs at two rooms add up, and other rooms with a PIN refuse too', async () => {
  const t = conferenceWorld();
  await guess(t, t.bob, '8000', 3);
  await guess(t, t.bob, '8003', 3);
  await guess(t, t.bob, '8005', 3);
  await guess(t, t.bob, '8006', 1);
  await assertRefused(t, t.bob, '8001'); // admin-PIN-only room: asks for a PIN too
  await assertRefused(t, t.bob, '8003');
});

test('the block ends after the block time (15 minutes): the caller is asked for the PIN again and joins with it', async () => {
  const t = conferenceWorld();
  for (let call = 0; call < 3; call++) await guess(t, t.bob, '8000', 3);
  await guess(t, t.bob, '8000', 1);
  await t.w.run(15 * MIN - 10_000);
  await assertRefused(t, t.bob, '8000');
  await t.w.run(15 * MIN);
  const c = await joinWith(t, t.bob, '8000', '1234');
  assert.is(c.call.state, 'in-room');
});

test('another caller is not affected, not even another device of the same user', async () => {
  const t = conferenceWorld();
  for (let call = 0; call < 3; call++) await guess(t, t.alice, '8000', 3);
  await guess(t, t.alice, '8000', 1);
  await assertRefused(t, t.alice, '8000');
  assert.is((await joinWith(t, t.bob, '8000', '1234')).call.state, 'in-room');
  assert.is((await joinWith(t, t.alice2, '8000', '1234')).call.state, 'in-room');
});

test('a blocked owner still enters their own private room (no PIN asked), and a blocked caller still enters a room without PIN', async () => {
  const t = conferenceWorld();
  for (let call = 0; call < 3; call++) await guess(t, t.alice, '8000', 3);
  await guess(t, t.alice, '8000', 1);
  await assertRefused(t, t.alice, '8000');
  const own = await dial(t, t.alice, '8003');
  assert.is(own.call.state, 'in-room');
  assert.is(own.call.participant!.role, 'admin');
  const open = await dial(t, t.alice, '8002');
  assert.is(open.call.state, 'in-room');
});

test('the window slides: wrong PINs older than 15 minutes do not count', async () => {
  const t = conferenceWorld();
  for (let call = 0; call < 3; call++) await guess(t, t.bob, '8000', 3); // 9 wrong
  await t.w.run(15 * MIN);
  await guess(t, t.bob, '8000', 1); // 1 inside the window
  const c = await dial(t, t.bob, '8000');
  assert.equal(t.media.promptsTo(c.ep), ['en/conf-enter-pin'], 'not blocked: asked for the PIN');
  await finish(t, c);
  await press(t, c, '1234#');
  assert.is(c.call.state, 'in-room');
});

test('a correct PIN does not clear the count (as the digest throttle)', async () => {
  const t = conferenceWorld();
  for (let call = 0; call < 3; call++) await guess(t, t.bob, '8000', 3); // 9 wrong
  const ok = await joinWith(t, t.bob, '8000', '1234');
  ok.out.dialog!.bye();
  await t.w.run(100);
  await guess(t, t.bob, '8000', 1); // the 10th
  await assertRefused(t, t.bob, '8000');
});

test.run();
