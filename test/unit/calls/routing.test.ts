import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CallWorld } from './support/call-world.js';
import { establish, header, text, twoPhones } from './support/scenarios.js';

/** Bob (2000) has 2001 (registered twice), 2002, a disabled 2003 and an unregistered 2004. */
function bobWithDevices() {
  const w = new CallWorld();
  w.addUser('1000', 'Alice');
  w.addUser('2000', 'Bob');
  const alice = w.addPhone('1000', '1001');
  const b1 = w.addPhone('2000', '2001', { registrations: 2 });
  const b2 = w.addPhone('2000', '2002');
  const b3 = w.addPhone('2000', '2003', { enabled: false });
  const b4 = w.addPhone('2000', '2004', { registrations: 0 });
  return { w, alice, b1, b2, b3, b4 };
}

test('dialling a main extension rings every binding of every enabled, registered device at once (issue 3, Routing)', async () => {
  const { w, alice, b1, b2, b3, b4 } = bobWithDevices();
  const call = alice.call('2000');
  await w.run(100);
  assert.equal([b1.incoming.length, b2.incoming.length, b3.incoming.length, b4.incoming.length], [2, 1, 0, 0]);
  const invites = w.net.packets({ from: 'switch', method: 'INVITE', requests: true });
  assert.equal(new Set(invites.map((p) => p.at)).size, 1, 'all forks leave at the same instant');
  assert.equal(invites.map((p) => p.startLine).sort(), ['INVITE sip:2001-1@192.0.2.11:5060 SIP/2.0', 'INVITE sip:2001@192.0.2.11:5060 SIP/2.0', 'INVITE sip:2002@192.0.2.12:5060 SIP/2.0']);
  assert.equal(call.statuses, [100, 407, 100, 180]);
});

test('dialling a device extension rings that device only', async () => {
  const { w, alice, b1, b2 } = bobWithDevices();
  alice.call('2002');
  await w.run(100);
  assert.equal([b1.incoming.length, b2.incoming.length], [0, 1]);
});

test('the first 2xx wins; the other forks get CANCEL with Reason "Call completed elsewhere" (RFC 3326) and the caller 200', async () => {
  const { w, alice, b1, b2 } = bobWithDevices();
  const call = alice.call('2000');
  await w.run(100);
  b2.incoming[0]!.answer();
  await w.run(100);
  assert.is(call.final?.status, 200);
  const cancels = w.net.packets({ from: 'switch', method: 'CANCEL', requests: true });
  assert.equal(cancels.map((p) => p.to).sort(), ['phone-2001', 'phone-2001']);
  for (const c of cancels) assert.is(header(c, 'Reason'), 'SIP;cause=200;text="Call completed elsewhere"');
  assert.ok(b1.incoming.every((i) => i.cancel !== undefined), 'both lines of 2001 saw the CANCEL');
  assert.is(w.net.packets({ from: 'switch', to: 'phone-2002', method: 'CANCEL' }).length, 0, 'not the winner');
  assert.is(w.net.packets({ from: 'switch', to: 'phone-2001', method: 'ACK', requests: true }).length, 2, 'the 487s are ACKed (RFC 3261 §17.1.1.3)');
});

test('the caller cancels: 487 to the caller, CANCEL without Reason to every fork (RFC 3261 §9.2)', async () => {
  const { w, alice, b1, b2 } = bobWithDevices();
  const call = alice.call('2000');
  await w.run(100);
  call.cancelCall();
  await w.run(100);
  assert.equal(call.statuses.slice(-1), [487]);
  const cancels = w.net.packets({ from: 'switch', method: 'CANCEL', requests: true });
  assert.is(cancels.length, 3);
  for (const c of cancels) assert.is(header(c, 'Reason'), undefined, c.to);
  assert.ok([...b1.incoming, ...b2.incoming].every((i) => i.cancel !== undefined));
});

test('every device busy: 486 to the caller', async () => {
  const { w, alice, b1, b2 } = bobWithDevices();
  for (const p of [b1, b2]) p.onInvite = (c) => c.refuse(486);
  const call = alice.call('2000');
  await w.run(200);
  assert.is(call.final?.status, 486);
});

test('a device that declines while another rings does not end the call; nobody answering in calls.ringTimeout gives 480 and CANCELs the rest', async () => {
  const { w, alice, b1, b2 } = bobWithDevices();
  b2.onInvite = (c) => c.refuse(603);
  const call = alice.call('2000');
  await w.run(100);
  assert.is(call.final, undefined, 'still ringing on 2001');
  const t0 = w.net.packets({ from: 'switch', method: 'INVITE', requests: true })[0]!.at;
  await w.run(31_000);
  assert.is(call.final?.status, 480);
  const cancels = w.net.packets({ from: 'switch', to: 'phone-2001', method: 'CANCEL', requests: true });
  assert.is(cancels.length, 2);
  assert.is(cancels[0]!.at - t0, 30_000, 'exactly calls.ringTimeout after the fork started');
  assert.ok(b1.incoming.every((i) => i.cancel !== undefined));
});

test('a shorter calls.ringTimeout is honoured', async () => {
  const w = new CallWorld({ ringTimeoutMs: 5000 });
  w.addUser('1000', 'Alice');
  w.addUser('2000', 'Bob');
  const alice = w.addPhone('1000', '1001');
  w.addPhone('2000', '2001');
  const call = alice.call('2000');
  await w.run(4900);
  assert.is(call.final, undefined);
  await w.run(200);
  assert.is(call.final?.status, 480);
});

test('an unknown number gets 404; a user with no registered device 480 (RFC 3261 §21.4.4, §21.4.18)', async () => {
  const { w, alice } = twoPhones();
  w.addUser('3000', 'Carol');
  w.addPhone('3000', '3001', { registrations: 0 });
  const unknown = alice.call('9999');
  const away = alice.call('3000');
  await w.run(200);
  assert.is(unknown.final?.status, 404);
  assert.is(away.final?.status, 480);
  assert.ok(unknown.final!.headers.get('to')!.includes(';tag='), 'a final response carries a To tag (RFC 3261 §8.2.6.2)');
});

test("the calling device is not rung when its own user's extension is dialled; the user's other device is", async () => {
  const w = new CallWorld();
  w.addUser('1000', 'Alice');
  const desk = w.addPhone('1000', '1001');
  const dect = w.addPhone('1000', '1002');
  desk.call('1000');
  await w.run(100);
  assert.equal([desk.incoming.length, dect.incoming.length], [0, 1]);
});

test('caller ID: From and P-Asserted-Identity carry the custom caller ID with the user name, else the main extension (RFC 3325 §9.1)', async () => {
  const w = new CallWorld();
  w.addUser('1000', 'Alice Liddell', '+4930123456');
  w.addUser('1100', 'Mad Hatter');
  w.addUser('2000', 'Bob');
  const alice = w.addPhone('1000', '1001');
  const hatter = w.addPhone('1100', '1101');
  const bob = w.addPhone('2000', '2001');
  alice.call('2000');
  hatter.call('2000');
  await w.run(100);
  const [first, second] = bob.incoming;
  assert.match(first!.invite.headers.get('from')!, /^"Alice Liddell" <sip:\+4930123456@pbx\.test>;tag=/);
  assert.is(first!.invite.headers.get('p-asserted-identity'), '"Alice Liddell" <sip:+4930123456@pbx.test>');
  assert.match(second!.invite.headers.get('from')!, /^"Mad Hatter" <sip:1100@pbx\.test>;tag=/);
  assert.is(second!.invite.headers.get('p-asserted-identity'), '"Mad Hatter" <sip:1100@pbx.test>');
  assert.is(first!.invite.headers.get('to'), '<sip:2000@pbx.test>');
});

test('INVITE is authenticated with 407 through the shared guard: wrong passwords count, the source is blocked with 403 (RFC 3261 §22.3)', async () => {
  const { w, alice, bob } = twoPhones();
  (alice.opts as { password: string }).password = 'wrong';
  const calls = [];
  for (let i = 0; i < 5; i++) {
    calls.push(alice.call('2000'));
    await w.run(100);
  }
  assert.equal(calls[0]!.statuses, [100, 407, 100, 407], 'a wrong answer gets a fresh challenge');
  assert.ok(calls[0]!.responses[1]!.headers.get('proxy-authenticate')!.startsWith('Digest realm="pbx.test"'));
  assert.is(calls[4]!.final?.status, 403, 'the fifth failure blocks the address');
  assert.is(bob.incoming.length, 0);
  assert.ok(w.guard.throttle.blockedUntil('192.0.2.10', w.clock.now(), []) !== undefined, 'the same throttle REGISTER uses');
});

test('B-leg requests go to the contact over the flow it registered on, with its Path as Route (RFC 3327 §5.3)', async () => {
  const { w, alice, bob } = twoPhones();
  const edge = w.net.addNode('edge', '198.51.100.7', 5070, w.node.layer);
  edge.tu = () => undefined;
  w.bindings.removeAll('2001');
  w.bindings.upsert(bob.binding(w.clock.now(), {
    contact: 'sip:2001@10.0.0.5:5062;ob',
    path: ['<sip:edge.example:5070;lr>'],
    flow: { protocol: 'udp', remoteAddress: '198.51.100.7', remotePort: 5070, localAddress: '192.0.2.1', localPort: 5060 },
  }));
  alice.call('2000');
  await w.run(50);
  const invite = w.net.packets({ from: 'switch', method: 'INVITE', requests: true })[0]!;
  assert.is(invite.to, 'edge');
  assert.is(invite.startLine, 'INVITE sip:2001@10.0.0.5:5062;ob SIP/2.0');
  assert.is(header(invite, 'Route'), '<sip:edge.example:5070;lr>');
});

test('answer, then BYE from the callee: both legs end, the relay and endpoints go', async () => {
  const { w, alice, bob } = twoPhones();
  const { a, b } = await establish(w, alice, bob, '2000');
  assert.equal(w.media.ops('relay'), [`relay ${[...w.media.endpoints.keys()].join(' ')}`]);
  b.bye();
  await w.run(100);
  assert.ok(a.ended && a.requestsOf('BYE').length === 1, 'the caller got BYE');
  assert.is(w.media.endpoints.size, 0);
  assert.is(w.manager.calls.size, 0);
  assert.ok(text(w.net.packets({ from: 'switch', to: 'phone-1001', method: 'BYE', requests: true })[0]!).startsWith('BYE sip:1001@192.0.2.10:5060'), 'to the caller\'s Contact');
});

test('failed calls (busy, no answer, cancel, 404, 488, malformed SDP 400) leave a call in progress untouched', async () => {
  const { w, alice, bob } = twoPhones();
  w.addUser('3000', 'Carol');
  w.addUser('4000', 'Dave');
  const carol = w.addPhone('3000', '3001');
  const dave = w.addPhone('4000', '4001');
  const { a, b } = await establish(w, alice, bob, '2000');
  const liveEndpoints = [...w.media.endpoints.keys()];
  dave.onInvite = (c) => c.refuse(486);
  const busy = carol.call('4000');
  const unknown = carol.call('4999');
  const badCodec = carol.call('4000', carol.sdp({ codecs: ['G729'], te: false }));
  const malformed = carol.call('4000', 'v=0\r\no=broken\r\n');
  await w.run(200);
  dave.onInvite = (c) => c.ring();
  const cancelled = carol.call('4000');
  await w.run(100);
  cancelled.cancelCall();
  await w.run(200);
  assert.equal([busy.final?.status, unknown.final?.status, badCodec.final?.status, malformed.final?.status, cancelled.final?.status], [486, 404, 488, 400, 487]);
  assert.match(badCodec.final!.headers.get('warning')!, /^305 /, 'RFC 3261 §20.43 Warning names the reason');
  for (const id of liveEndpoints) assert.ok(w.media.endpoints.has(id), `${id} still there`);
  assert.is(w.manager.calls.size, 1);
  a.bye();
  await w.run(100);
  assert.ok(b.ended, 'the first call still hangs up normally');
});

test.run();
