import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSdp } from '../../../src/rtp/sdp/index.js';
import { establish } from './support/scenarios.js';
import { assertedIdentities, onlyCall, replacesOf, transferWorld } from './support/transfer-world.js';

/** Alice talks to Bob's 2001; Bob also has 2002, Alice 1002. */
async function pulled() {
  const t = transferWorld();
  const bob2 = t.w.addPhone('2000', '2002');
  const alice2 = t.w.addPhone('1000', '1002');
  const e = await establish(t.w, t.alice, t.bob, '2001');
  const call = onlyCall(t.w);
  return { ...t, ...e, bob2, alice2, call };
}

test('INVITE with Replaces from another device of the same user takes the dialog\'s place: 200 with a new endpoint for that side, the old dialog gets BYE (RFC 3891 §3)', async () => {
  const { w, bob2, a, b, call } = await pulled();
  const [aId, bId] = [`${call.id}:a`, `${call.id}:b1`];
  const pull = bob2.call('1000', bob2.sdp(), { headers: [['Replaces', replacesOf(b)], ['Require', 'replaces']] });
  await w.run(100);
  assert.equal(pull.statuses, [100, 407, 100, 200], 'authenticated like any INVITE, then answered');
  assert.is(parseSdp(pull.final!.body).audio!.port, w.media.get(bId).port, 'answered from a new endpoint next to Alice\'s');
  assert.equal(w.media.get(bId).remote, { address: bob2.node.address, port: parseSdp(bob2.sdp()).audio!.port });
  assert.is(w.media.get(aId).relayedWith, bId);
  assert.is(w.media.endpoints.has(`${call.id}:b`), false, "2001's endpoint is closed");
  assert.ok(b.ended, '2001 got BYE');
  assert.is(a.ended, false);
  assert.equal(assertedIdentities(a), [], 'the same user: nothing to tell Alice');
  assert.is(call.legs.b?.device, '2002');
  const [view] = await w.manager.live.list();
  assert.equal(view!.legs.map((l) => l.device), ['1001', '2002']);
  pull.dialog!.bye();
  await w.run(100);
  assert.ok(a.ended, "2002's BYE is the callee hanging up");
  const [row] = w.history();
  assert.equal([row!.answeredBy, row!.endReason], ['2002', 'callee hung up']);
});

test('the caller\'s side can be pulled too; an INVITE without SDP gets our offer and its ACK the answer (RFC 3261 §13.2.1)', async () => {
  const { w, alice2, a, call } = await pulled();
  const aId = `${call.id}:a1`;
  const pull = alice2.call('2000', null, { headers: [['Replaces', replacesOf(a)]], ackBody: alice2.sdp() });
  await w.run(100);
  assert.is(pull.final?.status, 200);
  assert.is(parseSdp(pull.final!.body).audio!.port, w.media.get(aId).port);
  assert.equal(w.media.get(aId).remote, { address: alice2.node.address, port: parseSdp(alice2.sdp()).audio!.port }, 'the ACK carried the answer');
  assert.ok(a.ended);
  assert.is(call.caller.device, '1002');
});

test('refusals: no such dialog 481, another user\'s device 403, malformed Replaces 400, early-only for an answered dialog 486 (RFC 3891 §3, §6)', async () => {
  const { w, bob2, carol, b, call } = await pulled();
  const tries = [
    { phone: bob2, replaces: 'nope@192.0.2.99;to-tag=1;from-tag=2' },
    { phone: carol, replaces: replacesOf(b) },
    { phone: bob2, replaces: `${b.dialog.id.callId};to-tag=x` },
    { phone: bob2, replaces: `${replacesOf(b)};early-only` },
  ];
  const finals: Array<number | undefined> = [];
  for (const t of tries) {
    const out = t.phone.call('1000', t.phone.sdp(), { headers: [['Replaces', t.replaces]] });
    await w.run(100);
    finals.push(out.final?.status);
  }
  assert.equal(finals, [481, 403, 400, 486]);
  assert.is(b.ended, false);
  assert.is(call.legs.b?.device, '2001');
  assert.equal(carol.incoming, [], 'an INVITE with Replaces is never routed as a new call');
});

test.run();
