import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DialogSet } from '../../../../src/sip/dialog/dialog-set.js';
import { DialogTable } from '../../../../src/sip/dialog/dialog-table.js';
import type { SipResponse } from '../../../../src/sip/message.js';
import { createResponse } from '../../../../src/sip/response.js';
import { request } from '../../../support/sip-builders.js';

const invite = () =>
  request('INVITE', {
    from: '<sip:alice@a.example>;tag=a1',
    callId: 'fork@a.example',
    cseq: 7,
    contact: '<sip:alice@192.0.2.10>',
    via: ['SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKf1'],
    headers: [['Proxy-Authorization', 'Digest username="alice", realm="x", nonce="n", uri="sip:bob@b.example", response="0"']],
  });

function res(status: number, tag: string | undefined, contact?: string, recordRoute: string[] = []): SipResponse {
  const inv = invite();
  const r = createResponse(inv, status, undefined, tag === undefined ? {} : { toTag: tag });
  for (const rr of recordRoute) r.headers.append('Record-Route', rr);
  if (contact !== undefined) r.headers.append('Contact', contact);
  return r;
}

test('100 and provisional responses without To tag create no dialog (RFC 3261 §12.1)', () => {
  const set = new DialogSet(invite());
  assert.equal(set.receiveResponse(res(100, undefined)), { kind: 'none' });
  assert.equal(set.receiveResponse(res(100, 'x')), { kind: 'none' }, '100 never establishes a dialog');
  assert.equal(set.receiveResponse(res(180, undefined)), { kind: 'none' });
  assert.equal(set.dialogs, []);
});

test('forked provisional responses create one early dialog per To tag (RFC 3261 §12.1.2)', () => {
  const table = new DialogTable();
  const set = new DialogSet(invite(), { table });
  const a = set.receiveResponse(res(180, 'A', '<sip:bob@192.0.2.21>', ['<sip:pA.example;lr>']));
  const b = set.receiveResponse(res(183, 'B', '<sip:bob@192.0.2.22>'));
  assert.ok(a.kind === 'early' && a.created && b.kind === 'early' && b.created);
  assert.is(set.dialogs.length, 2);
  assert.is(table.size, 2);
  const [da, db] = set.dialogs;
  assert.equal([da!.id.remoteTag, da!.state, da!.remoteTarget, da!.localSeq], ['A', 'early', 'sip:bob@192.0.2.21', 7]);
  assert.equal(da!.routeSet, ['<sip:pA.example;lr>']);
  assert.equal([db!.id.remoteTag, db!.remoteTarget], ['B', 'sip:bob@192.0.2.22']);
  // A later 1xx of the same fork refreshes its target.
  const again = set.receiveResponse(res(183, 'A', '<sip:bob@192.0.2.31>'));
  assert.ok(again.kind === 'early' && !again.created && again.dialog === da);
  assert.is(da!.remoteTarget, 'sip:bob@192.0.2.31');
});

test('a 2xx confirms its early dialog and recomputes the route set from the 2xx (RFC 3261 §13.2.2.4)', () => {
  const set = new DialogSet(invite());
  set.receiveResponse(res(180, 'A', '<sip:bob@192.0.2.21>', ['<sip:old.example;lr>']));
  const up = set.receiveResponse(res(200, 'A', '<sip:bob@192.0.2.41>', ['<sip:p2.example;lr>', '<sip:p1.example;lr>']));
  assert.ok(up.kind === 'confirmed' && !up.created);
  const d = set.dialogs[0]!;
  assert.is(d.state, 'confirmed');
  assert.equal(d.routeSet, ['<sip:p1.example;lr>', '<sip:p2.example;lr>']);
  assert.is(d.remoteTarget, 'sip:bob@192.0.2.41');
});

test('a 2xx from a new fork is a new confirmed dialog; each 2xx gets its own ACK (RFC 3261 §13.2.2.4)', () => {
  const set = new DialogSet(invite());
  const first = set.receiveResponse(res(200, 'A', '<sip:bob@192.0.2.21>'));
  const second = set.receiveResponse(res(200, 'C', '<sip:carol@192.0.2.23>'));
  assert.ok(first.kind === 'confirmed' && first.created && second.kind === 'confirmed' && second.created);
  const ackA = first.dialog.createAck(set.invite);
  const ackC = second.dialog.createAck(set.invite);
  assert.is(ackA.uri, 'sip:bob@192.0.2.21');
  assert.is(ackC.uri, 'sip:carol@192.0.2.23');
  assert.is(ackA.headers.get('CSeq'), '7 ACK', 'the CSeq number of the INVITE');
  assert.is(ackC.headers.get('To'), '<sip:bob@b.example>;tag=C');
  assert.match(ackA.headers.get('Proxy-Authorization')!, /^Digest username="alice"/, 'the same credentials as the INVITE');
  assert.is(first.dialog.localSeq, 7, 'the ACK takes no new sequence number');
});

test('a retransmitted 2xx returns the ACK already sent, to re-send it (RFC 3261 §13.2.2.4)', () => {
  const set = new DialogSet(invite());
  const up = set.receiveResponse(res(200, 'A', '<sip:bob@192.0.2.21>'));
  assert.ok(up.kind === 'confirmed');
  const before = set.receiveResponse(res(200, 'A', '<sip:bob@192.0.2.21>'));
  assert.equal(before, { kind: 'retransmission', dialog: up.dialog, ack: undefined }, 'not ACKed yet');
  const ack = up.dialog.createAck(set.invite, { body: 'v=0\r\n', contentType: 'application/sdp' });
  const again = set.receiveResponse(res(200, 'A', '<sip:bob@192.0.2.21>'));
  assert.ok(again.kind === 'retransmission' && again.ack === ack);
});

test('a non-2xx final response terminates every early dialog (RFC 3261 §12.3)', () => {
  const table = new DialogTable();
  const set = new DialogSet(invite(), { table });
  set.receiveResponse(res(180, 'A', '<sip:bob@192.0.2.21>'));
  set.receiveResponse(res(180, 'B', '<sip:bob@192.0.2.22>'));
  const up = set.receiveResponse(res(486, 'B'));
  assert.ok(up.kind === 'failed');
  assert.equal(up.terminated.map((d) => d.id.remoteTag), ['A', 'B']);
  assert.ok(set.dialogs.every((d) => d.state === 'terminated'));
  assert.is(table.size, 0);
});

test('when the INVITE transaction ends, forks that never answered 2xx are terminated (RFC 3261 §13.2.2.4)', () => {
  const table = new DialogTable();
  const set = new DialogSet(invite(), { table });
  set.receiveResponse(res(180, 'A', '<sip:bob@192.0.2.21>'));
  set.receiveResponse(res(180, 'B', '<sip:bob@192.0.2.22>'));
  set.receiveResponse(res(200, 'B', '<sip:bob@192.0.2.22>'));
  assert.equal(set.transactionEnded().map((d) => d.id.remoteTag), ['A']);
  assert.equal(set.dialogs.map((d) => [d.id.remoteTag, d.state]), [['A', 'terminated'], ['B', 'confirmed']]);
  assert.is(table.size, 1);
  assert.equal(set.receiveResponse(res(180, 'A')), { kind: 'none' }, 'a late 1xx does not revive it');
});

test.run();
