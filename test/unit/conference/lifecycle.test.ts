import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { conferenceWorld, dial, joinWith, members } from './support/conference-world.js';

test('CANCEL while the switch still opens the endpoint: 487 (RFC 3261 §9.2), and the endpoint is destroyed once it exists', async () => {
  const t = conferenceWorld();
  t.media.holdCreates = true;
  const out = t.alice.call('8000', t.alice.sdp());
  await t.w.run(100);
  assert.equal(out.responses.filter((r) => r.status >= 200).map((r) => r.status), [407]);
  out.cancelCall();
  await t.w.run(100);
  assert.is(out.final?.status, 487);
  t.media.releaseCreates();
  await t.w.run(100);
  assert.is(t.media.endpoints.size, 0);
  assert.is(t.svc.calls.size, 0);
  assert.equal(t.w.history().map((r) => [r.dialled, r.disposition, r.endReason]), [['8000', 'cancelled', 'caller cancelled']]);
});

test('no media endpoint: 503 and a failed history row', async () => {
  const t = conferenceWorld();
  t.media.failCreate = true;
  const out = t.alice.call('8000', t.alice.sdp());
  await t.w.run(100);
  assert.is(out.final?.status, 503);
  assert.equal(t.w.history().map((r) => r.disposition), ['failed']);
  assert.is(t.svc.calls.size, 0);
});

test('an offer with nothing usable: 488 (RFC 3264 §6) and no endpoint left', async () => {
  const t = conferenceWorld();
  const sdp = t.alice.sdp().replace(/m=audio (\d+) RTP\/AVP [^\r]*/, 'm=audio $1 RTP/AVP 18').replace(/a=rtpmap:(?!18)[^\r]*\r\n/g, '');
  const out = t.alice.call('8000', sdp);
  await t.w.run(100);
  assert.is(out.final?.status, 488);
  assert.is(t.media.endpoints.size, 0);
});

test('an INVITE without SDP: our offer in the 200, the answer in the ACK (RFC 3261 §13.2.1), then the PIN prompt', async () => {
  const t = conferenceWorld();
  const out = t.alice.call('8000', null, { ackBody: t.alice.sdp() });
  await t.w.run(100);
  assert.is(out.final?.status, 200);
  assert.match(out.final!.body.toString(), /m=audio \d+ RTP\/AVP/);
  const call = [...t.svc.calls.values()][0]!;
  assert.equal(t.media.get(call.endpointId).remote?.port, 40002);
  assert.equal(t.media.promptsTo(call.endpointId), ['en/conf-enter-pin']);
});

test('a join the engine refuses ends the call with BYE and leaves no room', async () => {
  const t = conferenceWorld();
  t.media.failJoin = true;
  const out = t.alice.call('8002', t.alice.sdp());
  await t.w.run(200);
  assert.is(out.dialog!.requestsOf('BYE').length, 1);
  assert.is(t.svc.calls.size, 0);
  assert.is(t.svc.rooms.size, 0);
  assert.is(t.media.rooms.size, 0);
});

test('the switch stopping sends BYE to every room caller and writes their rows', async () => {
  const t = conferenceWorld();
  const a = await joinWith(t, t.alice, '8002', null);
  const b = await dial(t, t.bob, '8000');
  t.w.manager.stop();
  await t.w.run(100);
  assert.is(a.out.dialog!.requestsOf('BYE').length, 1);
  assert.is(b.out.dialog!.requestsOf('BYE').length, 1);
  assert.equal(t.w.history().map((r) => r.endReason), ['switch stopped', 'switch stopped']);
  assert.is(members(t, '8002').length, 0);
});

test('a room removed by the operator while a caller is on the line: the next caller gets 404 (it is no room number any more)', async () => {
  const t = conferenceWorld();
  const room = t.w.store.rooms.findByNumber('8000')!;
  t.w.store.rooms.remove(room.id);
  const out = t.alice.call('8000', t.alice.sdp());
  await t.w.run(100);
  assert.is(out.final?.status, 404);
});

test.run();
