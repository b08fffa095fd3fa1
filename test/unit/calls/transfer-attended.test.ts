import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSdp } from '../../../src/rtp/sdp/index.js';
import { establish } from './support/scenarios.js';
import { assertedIdentities, frags, notifies, refer, referStatus, referToWithReplaces, replacesOf, replacesOfEarly, transferWorld } from './support/transfer-world.js';

/** Alice calls Bob; Bob puts her on hold and calls Carol (a second call through the switch). */
async function consulting(opts: { carolAnswers?: boolean } = {}) {
  const t = transferWorld();
  const { w, alice, bob, carol } = t;
  const x = await establish(w, alice, bob, '2000');
  const [callX] = [...w.manager.calls.values()];
  x.b.send('INVITE', { body: bob.sdp({ direction: 'sendonly', version: 2 }) });
  await w.run(100);
  const out = bob.call('3000');
  await w.run(100);
  const [, callY] = [...w.manager.calls.values()];
  const inc = carol.incoming[0]!;
  const y = opts.carolAnswers === false ? undefined : inc.answer(carol.sdp());
  await w.run(100);
  return { ...t, x, callX: callX!, callY: callY!, out, inc, y, yb: out.dialog };
}

test('attended transfer with the transferee on hold: REFER with Replaces naming the second call joins Alice and Carol, media re-anchored, identities updated, both of the referrer\'s dialogs end (RFC 3891 §7.1, RFC 5589 §7.1)', async () => {
  const { w, carol, x, callX, callY, y, yb } = await consulting();
  const [aId, bId, cId] = [`${callX.id}:a`, `${callX.id}:b`, `${callX.id}:b1`];
  assert.is(w.media.get(aId).music, '/moh/default.wav', 'Alice is on hold');
  refer(x.b, referToWithReplaces('3000', replacesOf(yb!)));
  await w.run(100);
  assert.is(referStatus(x.b), 202);
  const reinvite = y!.requestsOf('INVITE').at(-1)!;
  assert.ok(reinvite, 'Carol is re-INVITEd');
  assert.is(reinvite.headers.get('p-asserted-identity'), '"Alice" <sip:1000@pbx.test>', 'with the transferee as the party she now talks to');
  assert.is(parseSdp(reinvite.body).audio!.port, w.media.get(cId).port, "her media goes to a new endpoint of Alice's call, on Bob's side");
  assert.equal(w.media.get(cId).remote, { address: carol.node.address, port: parseSdp(carol.sdp()).audio!.port });
  assert.is(w.media.endpoints.has(bId), false, "the endpoint that faced Bob is closed");
  assert.is(w.media.get(aId).music, undefined, "Alice's music stops: Carol's answer is sendrecv");
  assert.is(w.media.get(aId).relayedWith, cId);
  assert.ok(w.media.ops('destroy').includes(`destroy ${callY.id}:a`) && w.media.ops('destroy').includes(`destroy ${callY.id}:b`), "the second call's endpoints are closed");
  assert.equal(frags(x.b), ['SIP/2.0 100 Trying', 'SIP/2.0 200 OK']);
  assert.is(notifies(x.b).at(-1)!.state, 'terminated;reason=noresource');
  assert.equal(assertedIdentities(x.a), [['UPDATE', '"Carol" <sip:3000@pbx.test>']]);
  assert.is(y!.ended, false, 'Carol is not hung up');
  assert.equal(w.net.packets({ from: 'switch', to: 'phone-3001', method: 'BYE', requests: true }), []);
  // Bob hangs up the consultation call himself; the other dialog ends after the grace period.
  yb!.bye();
  await w.run(2_100);
  assert.ok(x.b.ended && yb!.ended, "both of Bob's dialogs are over");
  assert.is(x.a.ended, false);
  assert.equal([...w.manager.calls.keys()], [callX.id]);
  assert.equal(w.net.packets({ from: 'switch', to: 'phone-3001', method: 'BYE', requests: true }), [], 'Carol still talks');

  y!.bye();
  await w.run(100);
  assert.ok(x.a.ended, "Carol's BYE ends Alice's call: the two are one call now");
  const rows = w.history();
  const rx = rows.find((r) => r.id === callX.id)!;
  const ry = rows.find((r) => r.id === callY.id)!;
  const made = rows.find((r) => r.id !== callX.id && r.id !== callY.id)!;
  assert.is(rx.endReason, 'transferred to 3000 by 2000 (attended)');
  assert.is(ry.endReason, 'transferred to 1000 by 2000 (attended)');
  assert.equal([made.callerNumber, made.dialled, made.calleeUser, made.answeredBy, made.disposition, made.endReason], ['1000', '3000', '3000', '3001', 'answered', 'callee hung up']);
});

test('attended transfer where the second call still rings (semi-attended): Carol keeps ringing for Alice, the referrer is told 200 at once; her answer is re-INVITEd onto Alice\'s call', async () => {
  const { w, carol, x, callX, out, inc } = await consulting({ carolAnswers: false });
  const cId = `${callX.id}:b1`;
  refer(x.b, referToWithReplaces('3000', replacesOfEarly(out)));
  await w.run(100);
  assert.equal(frags(x.b), ['SIP/2.0 100 Trying', 'SIP/2.0 200 OK']);
  assert.is(out.final?.status, 487, "Bob's own INVITE to Carol ends");
  assert.is(inc.cancel, undefined, 'Carol is not cancelled: she goes on ringing');
  assert.is(w.manager.calls.size, 1);
  const c = inc.answer(carol.sdp());
  await w.run(100);
  const reinvite = c.requestsOf('INVITE').at(-1)!;
  assert.is(reinvite.headers.get('p-asserted-identity'), '"Alice" <sip:1000@pbx.test>');
  assert.is(parseSdp(reinvite.body).audio!.port, w.media.get(cId).port);
  assert.is(w.media.get(`${callX.id}:a`).relayedWith, cId);
  assert.equal(assertedIdentities(x.a), [['UPDATE', '"Carol" <sip:3000@pbx.test>']]);
  assert.is(w.media.get(`${callX.id}:a`).music, undefined);
  await w.run(2_100);
  assert.ok(x.b.ended, "Bob's dialog with Alice's call is ended");
  const made = w.history().find((r) => r.answeredBy === '3001')!;
  assert.equal([made.callerNumber, made.dialled, made.disposition], ['1000', '3000', null], 'live: no disposition yet');
  const early = w.history().find((r) => r.calleeUser === '3000' && r.callerNumber === '2000')!;
  assert.equal([early.disposition, early.endReason], ['cancelled', 'transferred to 1000 by 2000 (attended) while ringing']);
  assert.equal(early.parties.map((p) => p.missed), [false, false], 'not a missed call for Carol: she answered it');
});

test('refusals in the NOTIFY: Replaces naming no dialog 481, one of the same call 482, another user\'s dialog 403, early-only of an answered call 486', async () => {
  const t = await consulting();
  const { w, x, yb, alice } = t;
  const fakes = [
    referToWithReplaces('3000', 'nope@192.0.2.99;to-tag=1;from-tag=2'),
    referToWithReplaces('3000', replacesOf(x.b)),
    referToWithReplaces('3000', replacesOf(x.a)),
    referToWithReplaces('3000', `${replacesOf(yb!)};early-only`),
  ];
  for (const f of fakes) {
    refer(x.b, f);
    await w.run(100);
  }
  assert.equal(frags(x.b).filter((f) => !f.includes('100 Trying')), [
    'SIP/2.0 481 Call/Transaction Does Not Exist',
    'SIP/2.0 482 Loop Detected',
    'SIP/2.0 482 Loop Detected',
    'SIP/2.0 486 Busy Here',
  ]);
  assert.is(w.manager.calls.size, 2, 'nothing changed');
  assert.equal(alice.incoming, []);
  // Alice names Bob's dialog with Carol: not hers to replace.
  refer(x.a, referToWithReplaces('3000', replacesOf(yb!)));
  await w.run(100);
  assert.equal(frags(x.a).at(-1), 'SIP/2.0 403 Forbidden');
});

test('the target refuses the re-INVITE: NOTIFY with its status, the target is hung up, the transferee goes back to the referrer', async () => {
  const { w, x, y, yb, callX } = await consulting();
  y!.onOffer = () => ({ status: 488 });
  refer(x.b, referToWithReplaces('3000', replacesOf(yb!)));
  await w.run(100);
  assert.equal(frags(x.b).at(-1), 'SIP/2.0 488 Not Acceptable Here');
  assert.ok(y!.ended, 'Carol is hung up');
  assert.is(callX.legs.b?.device, '2001', "Alice's call is Bob's again");
  const back = x.b.requestsOf('INVITE').at(-1)!;
  assert.is(parseSdp(back.body).audio!.port, w.media.get(`${callX.id}:b1`).port, "Bob is re-INVITEd onto the side's new endpoint (his old one went to Carol)");
  assert.is(w.media.get(`${callX.id}:a`).relayedWith, `${callX.id}:b1`);
  x.b.bye();
  await w.run(100);
  assert.ok(x.a.ended);
});

test.run();
