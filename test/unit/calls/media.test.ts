import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSdp } from '../../../src/rtp/sdp/index.js';
import { SWITCH_ADDRESS } from './support/call-world.js';
import { establish, twoPhones } from './support/scenarios.js';

const sdpOf = (body: Buffer | string) => parseSdp(body);

test("the callee is offered the caller's codecs first, then the rest; the caller is answered with the callee's codec, so the relay passes packets through (RFC 3264 §6.1)", async () => {
  const { w, alice, bob } = twoPhones();
  const { out, inc } = await establish(w, alice, bob, '2000', { offer: alice.sdp({ codecs: ['PCMA', 'PCMU'] }), answer: bob.sdp({ codecs: ['PCMA'] }) });
  const offer = sdpOf(inc.offer);
  assert.equal(offer.audio!.codecs.map((c) => c.name), ['PCMA', 'PCMU', 'G722', 'opus']);
  assert.is(offer.audio!.telephoneEvent?.payloadType, 101);
  assert.is(offer.audio!.address, SWITCH_ADDRESS);
  const answer = sdpOf(out.final!.body);
  assert.equal(answer.audio!.codecs.map((c) => c.name), ['PCMA'], 'one codec in our answers');
  assert.is(answer.audio!.telephoneEvent?.payloadType, 101);
  const [a, b] = [...w.media.endpoints.values()];
  assert.equal([a!.port, b!.port], [answer.audio!.port, offer.audio!.port], 'each side has its own endpoint');
  assert.equal(a!.remote, { address: '192.0.2.10', port: sdpOf(alice.sdp()).audio!.port });
  assert.equal(b!.remote, { address: '192.0.2.11', port: sdpOf(bob.sdp()).audio!.port });
  assert.equal([a!.payloads[0]!.codec, b!.payloads[0]!.codec], ['PCMA', 'PCMA']);
  assert.is(w.manager.calls.values().next().value!.media.relayMode, 'passthrough');
  assert.is(a!.worker, b!.worker, 'a relay needs both endpoints on one worker');
  assert.equal([a!.latching, a!.mediaTimeoutMs], [true, 60_000], 'symmetric RTP latching and the media timeout are asked for');
});

test('legs that share no codec are transcoded by the media worker', async () => {
  const { w, alice, bob } = twoPhones();
  const { out } = await establish(w, alice, bob, '2000', { offer: alice.sdp({ codecs: ['G722'] }), answer: bob.sdp({ codecs: ['PCMU'] }) });
  assert.equal(sdpOf(out.final!.body).audio!.codecs.map((c) => c.name), ['G722']);
  const [a, b] = [...w.media.endpoints.values()];
  assert.equal([a!.payloads[0]!.codec, b!.payloads[0]!.codec], ['G722', 'PCMU']);
  assert.is(w.manager.calls.values().next().value!.media.relayMode, 'transcode');
});

test('opus on one side and G.711 on the other is transcoded; the opus payload type and clock rate follow the offer (RFC 7587 §7)', async () => {
  const { w, alice, bob } = twoPhones();
  const { out } = await establish(w, alice, bob, '2000', { offer: alice.sdp({ codecs: ['opus'] }), answer: bob.sdp({ codecs: ['PCMA'] }) });
  const c = sdpOf(out.final!.body).audio!.codecs[0]!;
  assert.equal([c.payloadType, c.name, c.clockRate, c.channels], [111, 'opus', 48000, 2]);
});

test('an offer with nothing usable gets 488 with a Warning; SRTP-only offers too; malformed SDP 400 (RFC 3261 §21.4.26, RFC 4566)', async () => {
  const { w, alice, bob } = twoPhones();
  const g729 = alice.call('2000', alice.sdp({ codecs: ['G729'], te: false }));
  const srtp = alice.call('2000', alice.sdp().replace('RTP/AVP', 'RTP/SAVP'));
  const broken = alice.call('2000', 'v=0\r\nm=audio x RTP/AVP 0\r\n');
  await w.run(200);
  assert.equal([g729.final?.status, srtp.final?.status, broken.final?.status], [488, 488, 400]);
  assert.match(g729.final!.headers.get('warning')!, /^305 softswitch "/);
  assert.match(srtp.final!.headers.get('warning')!, /^302 /);
  assert.is(bob.incoming.length, 0, 'nothing rang');
  assert.is(w.media.endpoints.size, 0, 'no endpoint was opened');
});

test('early media: a 183 with SDP reaches the caller as a 183 with our SDP and the relay starts before the answer (RFC 3261 §13.3.1.1)', async () => {
  const { w, alice, bob } = twoPhones();
  bob.onInvite = (c) => c.ring(183, bob.sdp({ codecs: ['PCMU'] }));
  const call = alice.call('2000');
  await w.run(100);
  const early = call.responses.find((r) => r.status === 183)!;
  assert.ok(early, 'the caller got 183');
  const earlySdp = sdpOf(early.body);
  assert.is(earlySdp.audio!.address, SWITCH_ADDRESS);
  assert.is(w.media.ops('relay').length, 1, 'caller <- callee media flows already');
  assert.is(call.responses.filter((r) => r.status === 180).length, 0);
  bob.incoming[0]!.answer(bob.sdp({ codecs: ['PCMU'] }));
  await w.run(100);
  assert.is(call.final?.status, 200);
  assert.is(call.final!.body.toString(), early.body.toString(), 'the 200 repeats the answer of the 183 (same o= version)');
  assert.is(w.media.ops('relay').length, 1, 'the relay is not made twice');
  assert.is(w.media.ops('unrelay').length, 0);
});

test('early media from one device, answer from another: the callee side follows the device that answered', async () => {
  const { w, alice, bob } = twoPhones();
  const bob2 = w.addPhone('2000', '2002');
  bob.onInvite = (c) => c.ring(183, bob.sdp({ codecs: ['PCMU'] }));
  const call = alice.call('2000');
  await w.run(100);
  bob2.incoming[0]!.answer(bob2.sdp({ codecs: ['PCMU'] }));
  await w.run(100);
  assert.is(call.final?.status, 200);
  const b = [...w.media.endpoints.values()][1]!;
  assert.equal(b.remote, { address: bob2.node.address, port: sdpOf(bob2.sdp()).audio!.port });
});

test("an INVITE without SDP: our offer goes in the 200 and the caller's answer in the ACK is applied (RFC 3261 §13.2.1)", async () => {
  const { w, alice, bob } = twoPhones();
  const call = alice.call('2000', null, { ackBody: alice.sdp({ codecs: ['PCMA'] }) });
  await w.run(100);
  assert.ok(bob.incoming[0]!.offer.includes('m=audio'), 'the callee still gets our offer');
  bob.incoming[0]!.answer(bob.sdp({ codecs: ['PCMU'] }));
  await w.run(100);
  const offer = sdpOf(call.final!.body);
  assert.equal(offer.audio!.codecs.map((c) => c.name), ['PCMU', 'PCMA', 'G722', 'opus'], "the callee's codec first");
  const a = [...w.media.endpoints.values()][0]!;
  assert.is(a.payloads[0]!.codec, 'PCMA', 'the answer in the ACK');
  assert.equal(a.remote, { address: '192.0.2.10', port: sdpOf(alice.sdp()).audio!.port });
  assert.is(w.media.ops('relay').length, 1);
});

test('a re-offer that changes the codec is answered with the new one and the relay is made again', async () => {
  const { w, alice, bob } = twoPhones();
  const { a } = await establish(w, alice, bob, '2000', { offer: alice.sdp({ codecs: ['PCMU'] }), answer: bob.sdp({ codecs: ['PCMU'] }) });
  a.send('INVITE', { body: alice.sdp({ codecs: ['G722'], version: 2 }) });
  await w.run(100);
  const ok = a.responsesTo('INVITE').at(-1)!;
  assert.is(ok.status, 200);
  assert.equal(sdpOf(ok.body).audio!.codecs.map((c) => c.name), ['G722']);
  assert.is(w.media.ops('unrelay').length, 1);
  assert.is(w.media.ops('relay').length, 2);
  assert.is(w.manager.calls.values().next().value!.media.relayMode, 'transcode');
  assert.is(a.acks.length, 0, 'the phone ACKs, the switch does not');
});

test('a re-offer keeps the current codec when it is still offered; the o= version grows only when our SDP changes (RFC 3264 §8)', async () => {
  const { w, alice, bob } = twoPhones();
  const { out, a } = await establish(w, alice, bob, '2000', { offer: alice.sdp({ codecs: ['PCMU', 'PCMA'] }), answer: bob.sdp({ codecs: ['PCMU'] }) });
  a.send('INVITE', { body: alice.sdp({ codecs: ['PCMA', 'PCMU'], version: 2 }) });
  await w.run(100);
  const ok = a.responsesTo('INVITE').at(-1)!;
  assert.equal(sdpOf(ok.body).audio!.codecs.map((c) => c.name), ['PCMU']);
  assert.is(sdpOf(ok.body).origin.sessionVersion, sdpOf(out.final!.body).origin.sessionVersion);
  assert.is(w.media.ops('relay').length, 1);
});

test('an unusable re-offer gets 488 and the call goes on as it was (RFC 3264 §8)', async () => {
  const { w, alice, bob } = twoPhones();
  const { a, b } = await establish(w, alice, bob, '2000');
  a.send('INVITE', { body: alice.sdp({ codecs: ['G729'], te: false, version: 2 }) });
  await w.run(100);
  assert.is(a.responsesTo('INVITE').at(-1)!.status, 488);
  assert.is(w.manager.calls.size, 1);
  b.bye();
  await w.run(100);
  assert.ok(a.ended);
});

test("a re-INVITE without SDP from the callee: our offer in the 200, the callee's answer in its ACK", async () => {
  const { w, alice, bob } = twoPhones();
  const { b } = await establish(w, alice, bob, '2000', { answer: bob.sdp({ codecs: ['PCMU'] }) });
  b.send('INVITE', { ackBody: bob.sdp({ codecs: ['PCMA'], version: 2 }) });
  await w.run(100);
  const ok = b.responsesTo('INVITE').at(-1)!;
  assert.is(ok.status, 200);
  assert.equal(sdpOf(ok.body).audio!.codecs[0]!.name, 'PCMU', 'the caller side codec first');
  const bEp = [...w.media.endpoints.values()][1]!;
  assert.is(bEp.payloads[0]!.codec, 'PCMA');
});

test.run();
