import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Dialog } from '../../../../src/sip/dialog/dialog.js';
import { newTag } from '../../../../src/sip/dialog/dialog-id.js';
import { DialogSet } from '../../../../src/sip/dialog/dialog-set.js';
import { DialogTable, isMidDialog } from '../../../../src/sip/dialog/dialog-table.js';
import { Uas2xxRetransmitter } from '../../../../src/sip/dialog/uas-2xx-retransmitter.js';
import type { SipRequest } from '../../../../src/sip/message.js';
import { createResponse } from '../../../../src/sip/response.js';
import type { ClientTransaction } from '../../../../src/sip/transaction/transaction-layer.js';
import type { TransportProtocol } from '../../../../src/sip/transport/flow.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { LossyNetwork, type LinkConditions, type NetworkNode } from '../../../support/lossy-network.js';
import { layer, request } from '../../../support/sip-builders.js';

/**
 * A UAS core: rings, answers after `answerAfter` ms, retransmits its 2xx until the ACK
 * (§13.3.1.4), answers BYE in the dialog and 481 outside.
 */
function uas(net: LossyNetwork, node: NetworkNode, answerAfter: number) {
  const table = new DialogTable();
  const retransmitter = new Uas2xxRetransmitter({ clock: net.clock });
  const stats = { invites: 0, acked: 0, ackTimeouts: [] as number[], byes: 0, resent2xx: 0, rejected: [] as number[] };
  net.addTimerSource({
    pollTimeout: () => retransmitter.pollTimeout(),
    handleTimeout: (now) => {
      retransmitter.handleTimeout(now);
      for (let x = retransmitter.pollTransmit(); x; x = retransmitter.pollTransmit()) {
        stats.resent2xx++;
        node.layer.sendStateless(x.response, x.flow);
      }
      for (let e = retransmitter.pollEvent(); e; e = retransmitter.pollEvent()) stats.ackTimeouts.push(net.clock.now());
    },
  });
  node.tu = (e, n) => {
    if (e.type === 'ack') {
      if (retransmitter.ack(e.request)) stats.acked++;
      table.findForRequest(e.request)?.receiveRequest(e.request);
      return;
    }
    if (e.type !== 'request') return;
    const req = e.request;
    if (req.method === 'INVITE' && !isMidDialog(req)) {
      stats.invites++;
      const tag = newTag();
      const dialog = Dialog.uas(req, { localTag: tag, localContact: `<sip:uas@${n.address}:${n.port}>`, flow: e.flow });
      table.add(dialog);
      n.layer.respond(e.tx, withContact(createResponse(req, 180, undefined, { toTag: tag }), dialog));
      net.later(answerAfter, () => {
        const ok = withContact(createResponse(req, 200, undefined, { toTag: tag, copyRecordRoute: true }), dialog);
        n.layer.respond(e.tx, ok);
        dialog.confirm();
        retransmitter.start(ok, e.tx.responseFlow);
      });
      return;
    }
    const dialog = table.findForRequest(req);
    if (dialog === undefined) return n.layer.respond(e.tx, createResponse(req, 481));
    const verdict = dialog.receiveRequest(req);
    if (!verdict.ok) {
      stats.rejected.push(verdict.status);
      return n.layer.respond(e.tx, createResponse(req, verdict.status));
    }
    if (req.method === 'BYE') {
      stats.byes++;
      n.layer.respond(e.tx, createResponse(req, 200));
      dialog.terminate();
      table.remove(dialog);
    }
  };
  return { table, retransmitter, stats };
}

function withContact<T extends { headers: { append(n: string, v: string): unknown } }>(res: T, d: Dialog): T {
  res.headers.append('Contact', d.localContact!);
  return res;
}

interface Call {
  set: DialogSet;
  tx: ClientTransaction;
  dialog?: Dialog;
  ok2xx: number;
  acksSent: number;
  bye?: ClientTransaction;
  byeStatus?: number;
}

/** A UAC core: ACKs each 2xx (§13.2.2.4), re-sends that ACK for retransmitted 2xx, sends BYE. */
function uac(node: NetworkNode, peer: NetworkNode, protocol: TransportProtocol) {
  const table = new DialogTable();
  const calls: Call[] = [];
  node.tu = (e, n) => {
    if (e.type === 'terminated' && e.tx.method === 'INVITE') calls.find((c) => c.tx === e.tx)?.set.transactionEnded();
    if (e.type !== 'response') return;
    const call = calls.find((c) => c.tx === e.tx || c.bye === e.tx);
    if (call === undefined) return; // a request the test sent by hand
    if (e.tx.method === 'BYE') {
      if (e.response.status >= 200) call.byeStatus = e.response.status;
      call.dialog!.receiveResponse(e.response);
      if (e.response.status >= 200) table.remove(call.dialog!);
      return;
    }
    if (e.response.status >= 200 && e.response.status < 300) call.ok2xx++;
    const up = call.set.receiveResponse(e.response);
    let ack: SipRequest | undefined;
    if (up.kind === 'confirmed') {
      call.dialog = up.dialog;
      ack = up.dialog.createAck(call.set.invite);
    } else if (up.kind === 'retransmission') ack = up.ack;
    if (ack) {
      call.acksSent++;
      n.layer.sendStateless(ack, n.flowTo(peer, protocol));
    }
  };
  return {
    table,
    calls,
    invite(i: number): Call {
      const req = request('INVITE', { callId: `call-${i}@uac`, from: `<sip:uac@uac.example>;tag=${newTag()}`, contact: `<sip:uac@${node.address}:${node.port}>` });
      const call: Call = { set: new DialogSet(req, { table }), tx: node.layer.sendRequest(req, node.flowTo(peer, protocol)), ok2xx: 0, acksSent: 0 };
      calls.push(call);
      return call;
    },
    bye(call: Call): void {
      call.bye = node.layer.sendRequest(call.dialog!.createRequest('BYE'), node.flowTo(peer, protocol));
    },
  };
}

function world(conditions: LinkConditions & { seed?: number }, protocol: TransportProtocol, answerAfter = 1000) {
  const clock = new FakeClock();
  const net = new LossyNetwork(clock, conditions);
  const a = net.addNode('uac', '192.0.2.10', 5060, layer(clock, '192.0.2.10'));
  const b = net.addNode('uas', '192.0.2.20', 5060, layer(clock, '192.0.2.20'));
  return { net, a, b, callee: uas(net, b, answerAfter), caller: uac(a, b, protocol) };
}

test('INVITE answered 2xx over UDP without loss: INVITE 100 180 200 ACK, then BYE 200 - nothing else (RFC 3261 §13, §17, RFC 6026)', () => {
  const { net, a, b, callee, caller } = world({ delay: 10 }, 'udp');
  const call = caller.invite(0);
  net.runFor(5000);
  assert.is(call.dialog?.state, 'confirmed');
  assert.is(callee.table.size, 1);
  assert.is([...callee.table.values()][0]!.state, 'confirmed');
  caller.bye(call);
  net.runFor(70_000);
  assert.equal(
    net.log.map((p) => `${p.from} ${p.status ?? p.method}`),
    ['uac INVITE', 'uas 100', 'uas 180', 'uas 200', 'uac ACK', 'uac BYE', 'uas 200'],
  );
  assert.is(call.byeStatus, 200);
  assert.equal(callee.stats, { invites: 1, acked: 1, ackTimeouts: [], byes: 1, resent2xx: 0, rejected: [] });
  assert.is(caller.table.size + callee.table.size, 0);
  assert.is(a.layer.size + b.layer.size, 0);
  // The BYE went to the UAS's Contact with the dialog's tags and the next CSeq.
  const bye = net.packets({ method: 'BYE', requests: true })[0]!.data.toString();
  assert.match(bye, /^BYE sip:uas@192\.0\.2\.20:5060 SIP\/2\.0\r\n/);
  assert.match(bye, /\r\nCSeq: 2 BYE\r\n/);
});

test('RFC 6026: 2xx retransmissions reach the UAC TU in Accepted and each is ACKed again (RFC 3261 §13.2.2.4)', () => {
  const { net, a, b, callee, caller } = world({ delay: 10 }, 'udp');
  const call = caller.invite(0);
  net.runFor(1015); // the 200 left the UAS at 1010 ms and reached the UAC at 1020 ms
  net.setLink(a, b, { loss: 1 }); // the first two ACKs are lost
  net.runFor(1000);
  net.setLink(a, b, { delay: 10 });
  net.runFor(10_000);
  assert.is(call.ok2xx, 3, 'the 200, then the retransmissions at +500 ms and +1500 ms');
  assert.is(call.acksSent, 3);
  assert.equal(call.tx.state, 'Accepted');
  assert.equal(a.eventsOf('response').filter((e) => e.response.status === 200).map((e) => e.tx), [call.tx, call.tx, call.tx]);
  assert.is(callee.stats.resent2xx, 2);
  assert.is(callee.stats.acked, 1);
  assert.is(callee.retransmitter.size, 0);
  // All ACKs were the same request: one branch.
  const branches = new Set(net.packets({ method: 'ACK' }).map((p) => /branch=([^;\r]+)/.exec(p.data.toString())![1]));
  assert.is(branches.size, 1);
});

test('calls over UDP with 30% loss: every call is set up and torn down, INVITE retransmissions absorbed (RFC 3261 §17, §13.3.1.4, RFC 6026)', () => {
  const { net, a, b, callee, caller } = world({ loss: 0.3, delay: [5, 40], seed: 5 }, 'udp');
  const calls = Array.from({ length: 30 }, (_, i) => caller.invite(i));
  net.runFor(40_000);
  assert.ok(calls.every((c) => c.dialog?.state === 'confirmed'));
  assert.is(callee.stats.invites, 30, 'each INVITE reached the UAS core once');
  assert.is(callee.stats.acked, 30);
  assert.equal(callee.stats.ackTimeouts, []);
  assert.ok(calls.some((c) => c.ok2xx > 1), 'some 2xx retransmissions reached the UAC TU (RFC 6026 §7.2)');
  for (const c of calls) caller.bye(c);
  net.runFor(70_000);
  assert.ok(calls.every((c) => c.byeStatus === 200));
  assert.is(callee.stats.byes, 30, 'each BYE reached the UAS core once');
  assert.is(caller.table.size + callee.table.size, 0);
  assert.is(a.layer.size + b.layer.size, 0);
});

test('calls over TCP: no retransmission by any layer when the ACK is prompt (RFC 3261 §17.1.1.2, §17.2.1)', () => {
  const { net, callee, caller } = world({ delay: 10 }, 'tcp');
  const calls = Array.from({ length: 5 }, (_, i) => caller.invite(i));
  net.runFor(5000);
  for (const c of calls) caller.bye(c);
  net.runFor(70_000);
  assert.is(net.log.length, 5 * 7);
  assert.ok(net.log.every((p) => p.protocol === 'tcp'));
  assert.is(callee.stats.resent2xx, 0);
  assert.ok(calls.every((c) => c.tx.retransmissions === 0 && c.byeStatus === 200));
});

test('no ACK ever arrives: the UAS gives up 64*T1 after its 2xx, so its TU can send BYE (RFC 3261 §13.3.1.4)', () => {
  const { net, a, b, callee, caller } = world({ delay: 10 }, 'udp');
  caller.invite(0);
  net.runFor(500);
  net.setLink(a, b, { loss: 1 });
  net.runFor(70_000);
  const sent200 = net.packets({ status: 200 })[0]!.at;
  assert.equal(callee.stats.ackTimeouts.map((t) => t - sent200), [32_000]);
  assert.is(callee.stats.resent2xx, 10);
  assert.is(b.layer.size, 0, 'Timer L ended the server transaction meanwhile');
});

test('a BYE with a stale dialog id is answered 481; a BYE with an old CSeq 500 (RFC 3261 §12.2.2)', () => {
  const { net, a, b, callee, caller } = world({ delay: 10 }, 'udp');
  const call = caller.invite(0);
  net.runFor(3000);
  const d = call.dialog!;
  const forged = request('BYE', { callId: d.id.callId, from: `<sip:uac@uac.example>;tag=${d.id.localTag}`, to: `<sip:bob@b.example>;tag=wrong`, cseq: 5 });
  const t1 = a.layer.sendRequest(forged, a.flowTo(b));
  const old = request('BYE', { callId: d.id.callId, from: `<sip:uac@uac.example>;tag=${d.id.localTag}`, to: `<sip:bob@b.example>;tag=${d.id.remoteTag}`, cseq: 1 });
  const t2 = a.layer.sendRequest(old, a.flowTo(b));
  net.runFor(1000);
  assert.is(t1.lastResponse?.status, 481);
  assert.is(t2.lastResponse?.status, 500);
  assert.equal(callee.stats.rejected, [500]);
  assert.is(callee.table.size, 1, 'the dialog survives');
});

test.run();
