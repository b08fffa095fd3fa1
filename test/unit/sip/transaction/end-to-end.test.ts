import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createResponse } from '../../../../src/sip/response.js';
import type { ClientTransaction } from '../../../../src/sip/transaction/transaction-layer.js';
import type { TransportProtocol } from '../../../../src/sip/transport/flow.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { LossyNetwork, type LinkConditions, type NetworkNode } from '../../../support/lossy-network.js';
import { layer, request } from '../../../support/sip-builders.js';

/** UAC and UAS on one network; the UAS TU answers every OPTIONS 200 at once. */
function pair(conditions: LinkConditions & { seed?: number }) {
  const clock = new FakeClock();
  const net = new LossyNetwork(clock, conditions);
  const uac = net.addNode('uac', '192.0.2.10', 5060, layer(clock, '192.0.2.10'));
  const uas = net.addNode('uas', '192.0.2.20', 5060, layer(clock, '192.0.2.20'));
  return { clock, net, uac, uas };
}

function answerOptionsAtOnce(uas: NetworkNode): void {
  uas.tu = (e, node) => {
    if (e.type === 'request') node.layer.respond(e.tx, createResponse(e.request, 200, undefined, { toTag: 'uas' }));
  };
}

function sendOptions(uac: NetworkNode, uas: NetworkNode, n: number, protocol: TransportProtocol = 'udp'): ClientTransaction[] {
  return Array.from({ length: n }, (_, i) => uac.layer.sendRequest(request('OPTIONS', { callId: `opt-${i}` }), uac.flowTo(uas, protocol)));
}

function finals(node: NetworkNode, tx: ClientTransaction): number[] {
  return node.eventsOf('response').filter((e) => e.tx === tx && e.response.status >= 200).map((e) => e.response.status);
}

test('non-INVITE over UDP without loss: one request, one response, no retransmission (RFC 3261 §17.1.2, §17.2.2)', () => {
  const { net, uac, uas } = pair({ delay: 10 });
  answerOptionsAtOnce(uas);
  const txs = sendOptions(uac, uas, 20);
  net.runFor(40_000);
  assert.is(net.packets({ method: 'OPTIONS', requests: true }).length, 20);
  assert.is(net.packets({ status: 200 }).length, 20);
  for (const tx of txs) assert.equal(finals(uac, tx), [200]);
  assert.is(uac.layer.size + uas.layer.size, 0, 'Timer K and Timer J ended everything');
});

test('non-INVITE over UDP with 30% loss each way: every transaction succeeds, each request reaches the TU once (RFC 3261 §17.1.2.2, §17.2.2)', () => {
  const { net, uac, uas } = pair({ loss: 0.3, delay: [5, 40], seed: 1 });
  answerOptionsAtOnce(uas);
  const txs = sendOptions(uac, uas, 100);
  net.runFor(70_000);
  for (const tx of txs) assert.equal(finals(uac, tx), [200], `transaction ${tx.request.headers.get('call-id')}`);
  assert.is(uas.eventsOf('request').length, 100, 'retransmissions absorbed by the server transactions');
  // A request+response round trip survives with p = 0.49, so about one retransmission per transaction.
  const mean = txs.reduce((s, tx) => s + tx.retransmissions, 0) / txs.length;
  assert.ok(mean > 0.6 && mean < 1.6, `mean retransmissions ${mean}`);
  assert.ok(net.packets({ fate: 'lost' }).length > 0);
  assert.is(uac.layer.size + uas.layer.size, 0);
});

test('duplicated and reordered datagrams are absorbed: each request reaches the TU once, each final response the client TU once', () => {
  const { net, uac, uas } = pair({ duplicate: 0.5, reorder: 0.3, reorderDelay: 700, delay: [5, 30], seed: 3 });
  answerOptionsAtOnce(uas);
  const txs = sendOptions(uac, uas, 50);
  net.runFor(70_000);
  assert.ok(net.packets({ fate: 'duplicated' }).length > 10);
  assert.is(uas.eventsOf('request').length, 50);
  for (const tx of txs) assert.equal(finals(uac, tx), [200]);
});

test('non-INVITE over TCP: no retransmission at all, even when the answer takes 10 s (RFC 3261 §17.1.2.2)', () => {
  const { net, uac, uas } = pair({ delay: 10 });
  uas.tu = (e, node) => {
    if (e.type === 'request') net.later(10_000, () => node.layer.respond(e.tx, createResponse(e.request, 200)));
  };
  const txs = sendOptions(uac, uas, 5, 'tcp');
  net.runFor(40_000);
  assert.is(net.log.length, 10, '5 requests + 5 responses');
  assert.ok(txs.every((tx) => tx.retransmissions === 0 && tx.state === 'Terminated'));
  assert.is(uas.layer.size, 0, 'Timer J = 0 on TCP');
});

/** The UAS rings, then rejects after 2 s; the UAC core does nothing (the non-2xx ACK is the transaction's). */
function rejectingPair(conditions: LinkConditions & { seed?: number }, protocol: TransportProtocol, calls: number) {
  const p = pair(conditions);
  p.uas.tu = (e, node) => {
    if (e.type !== 'request') return;
    node.layer.respond(e.tx, createResponse(e.request, 180, undefined, { toTag: 'uas' }));
    p.net.later(2000, () => node.layer.respond(e.tx, createResponse(e.request, 486, undefined, { toTag: 'uas' })));
  };
  const txs = Array.from({ length: calls }, (_, i) =>
    p.uac.layer.sendRequest(request('INVITE', { callId: `inv-${i}`, contact: '<sip:a@192.0.2.10>' }), p.uac.flowTo(p.uas, protocol)),
  );
  return { ...p, txs };
}

test('INVITE rejected over UDP without loss: INVITE, 100, 180, 486, ACK - nothing more (RFC 3261 §17.1.1, §17.2.1)', () => {
  const { net, uac, uas, txs } = rejectingPair({ delay: 10 }, 'udp', 1);
  net.runFor(70_000);
  assert.equal(net.log.map((p) => `${p.from}:${p.startLine.split(' ').slice(0, 2).join(' ')}`), [
    'uac:INVITE sip:bob@b.example',
    'uas:SIP/2.0 100',
    'uas:SIP/2.0 180',
    'uas:SIP/2.0 486',
    'uac:ACK sip:bob@b.example',
  ]);
  assert.equal(finals(uac, txs[0]!), [486]);
  assert.equal(uas.eventsOf('timeout'), []);
  assert.is(uac.layer.size + uas.layer.size, 0);
});

test('INVITE rejected over UDP with 30% loss: the 486 reaches the TU once per call and the ACK stops Timer G (RFC 3261 §17.1.1.2, §17.2.1)', () => {
  const { net, uac, uas, txs } = rejectingPair({ loss: 0.3, delay: [5, 40], seed: 11 }, 'udp', 50);
  net.runFor(100_000);
  for (const tx of txs) assert.equal(finals(uac, tx), [486]);
  assert.is(uas.eventsOf('request').length, 50, 'INVITE retransmissions absorbed');
  assert.equal(uas.eventsOf('timeout'), [], 'every server transaction got its ACK before Timer H');
  // The first 100 Trying stops Timer A, so INVITE retransmissions stay rare.
  const inviteRetx = txs.reduce((s, tx) => s + tx.retransmissions, 0) / txs.length;
  assert.ok(inviteRetx > 0.3 && inviteRetx < 2.5, `mean INVITE/ACK re-sends ${inviteRetx}`);
  assert.ok(net.packets({ method: 'ACK', fate: 'delivered' }).length >= 50);
  assert.is(uac.layer.size + uas.layer.size, 0);
});

test('INVITE rejected over TCP: no retransmission of INVITE, response or ACK (RFC 3261 §17.1.1.2, §17.2.1)', () => {
  const { net, uac, uas, txs } = rejectingPair({ delay: 10 }, 'tcp', 3);
  net.runFor(70_000);
  assert.is(net.packets({ method: 'INVITE', requests: true }).length, 3);
  assert.is(net.packets({ status: 486 }).length, 3);
  assert.is(net.packets({ method: 'ACK' }).length, 3);
  for (const tx of txs) assert.equal(finals(uac, tx), [486]);
  assert.is(uac.layer.size + uas.layer.size, 0);
});

test('Timer H: a UAS whose ACKs are all lost gives up after 64*T1 and tells its TU (RFC 3261 §17.2.1)', () => {
  const { net, uac, uas, txs } = rejectingPair({ delay: 10 }, 'udp', 1);
  net.setLink(uac, uas, { loss: 0, delay: 10 });
  // Let the INVITE through, then lose everything the UAC sends.
  net.runFor(100);
  net.setLink(uac, uas, { loss: 1 });
  net.runFor(70_000);
  const to = uas.events.find((e) => e.event.type === 'timeout')!;
  assert.is(to.event.type === 'timeout' && to.event.timer, 'H');
  // The 486 went out at 2010 ms (2000 ms TU delay after the INVITE arrived at 10 ms): H fires 32 s later.
  assert.is(to.at - net.packets({ status: 486 })[0]!.at, 32_000);
  assert.equal(finals(uac, txs[0]!), [486]);
});

/** A UAS that rings and never answers by itself; CANCEL gets 200 and, while the INVITE is pending, 487 (RFC 3261 §9.2). */
function cancellablePair(conditions: LinkConditions & { seed?: number }, rejectAfter?: number) {
  const p = pair(conditions);
  const stats = { cancels: 0, cancelledInvites: 0, lateCancels: 0 };
  p.uas.tu = (e, node) => {
    if (e.type !== 'request') return;
    if (e.request.method === 'INVITE') {
      node.layer.respond(e.tx, createResponse(e.request, 180, undefined, { toTag: 'uas' }));
      if (rejectAfter !== undefined) p.net.later(rejectAfter, () => node.layer.respond(e.tx, createResponse(e.request, 486, undefined, { toTag: 'uas' })));
      return;
    }
    if (e.request.method !== 'CANCEL') return;
    stats.cancels++;
    const invite = node.layer.findInviteForCancel(e.request);
    node.layer.respond(e.tx, createResponse(e.request, invite ? 200 : 481, undefined, { toTag: 'uas' }));
    if (invite?.state === 'Proceeding') {
      stats.cancelledInvites++;
      node.layer.respond(invite, createResponse(invite.request, 487, undefined, { toTag: 'uas' }));
    } else if (invite) stats.lateCancels++;
  };
  return { ...p, stats };
}

test('CANCEL of ringing calls over UDP with 30% loss: 200 for each CANCEL, 487 + ACK for each INVITE (RFC 3261 §9.1, §9.2)', () => {
  const { net, uac, uas, stats } = cancellablePair({ loss: 0.3, delay: [5, 40], seed: 21 });
  const txs = Array.from({ length: 30 }, (_, i) => uac.layer.sendRequest(request('INVITE', { callId: `c-${i}`, contact: '<sip:a@192.0.2.10>' }), uac.flowTo(uas)));
  net.runFor(3000);
  const cancels = txs.map((tx) => uac.layer.cancel(tx, 'SIP;cause=487'));
  net.runFor(70_000);
  for (const [i, tx] of txs.entries()) {
    assert.equal(finals(uac, tx), [487], `INVITE ${i}`);
    assert.equal(finals(uac, cancels[i]!), [200], `CANCEL ${i}`);
  }
  assert.is(stats.cancels, 30, 'CANCEL retransmissions absorbed by their own transactions');
  assert.is(stats.cancelledInvites, 30);
  assert.equal(uas.eventsOf('timeout'), [], 'each 487 was ACKed');
  assert.is(uac.layer.size + uas.layer.size, 0);
});

test('a CANCEL crossing the final response has no effect on the INVITE (RFC 3261 §9.2)', () => {
  const { net, uac, uas, stats } = cancellablePair({ delay: 10 }, 1000);
  const tx = uac.layer.sendRequest(request('INVITE', { contact: '<sip:a@192.0.2.10>' }), uac.flowTo(uas));
  net.runFor(1012); // the 486 left the UAS at 1010 ms and is on the wire
  assert.is(tx.state, 'Proceeding');
  const cancel = uac.layer.cancel(tx);
  net.runFor(40_000);
  assert.equal(finals(uac, tx), [486]);
  assert.equal(finals(uac, cancel), [200]);
  assert.equal([stats.cancelledInvites, stats.lateCancels], [0, 1]);
  assert.is(net.packets({ method: 'ACK' }).length, 1);
});

test.run();
