import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Dialog } from '../../../../src/sip/dialog/dialog.js';
import { DialogTable, isMidDialog } from '../../../../src/sip/dialog/dialog-table.js';
import { createResponse } from '../../../../src/sip/response.js';
import { SipSyntaxError } from '../../../../src/sip/errors.js';
import { flow, request } from '../../../support/sip-builders.js';

/** An INVITE as it reaches the UAS through two record-routing proxies. */
const incomingInvite = () =>
  request('INVITE', {
    uri: 'sip:bob@192.0.2.20',
    from: '"Alice" <sip:alice@a.example>;tag=alice1',
    to: '"Bob" <sip:bob@b.example>',
    callId: 'dlg-1@a.example',
    cseq: 10,
    contact: '<sip:alice@198.51.100.7:5062;transport=udp>',
    recordRoute: ['<sip:p2.example;lr>', '<sip:p1.example;lr>'],
    via: ['SIP/2.0/UDP p2.example;branch=z9hG4bKp2', 'SIP/2.0/UDP p1.example;branch=z9hG4bKp1', 'SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bKa'],
  });

test('a UAS dialog takes its state from the request (RFC 3261 §12.1.1)', () => {
  const d = Dialog.uas(incomingInvite(), { localTag: 'bob1', localContact: '<sip:bob@192.0.2.20>' });
  assert.equal(d.id, { callId: 'dlg-1@a.example', localTag: 'bob1', remoteTag: 'alice1' });
  assert.is(d.role, 'uas');
  assert.is(d.state, 'early');
  assert.is(d.remoteSeq, 10);
  assert.is(d.localSeq, undefined, 'the local sequence number is empty');
  assert.is(d.remoteUri, 'sip:alice@a.example');
  assert.is(d.localUri, 'sip:bob@b.example');
  assert.is(d.remoteTarget, 'sip:alice@198.51.100.7:5062;transport=udp');
  assert.equal(d.routeSet, ['<sip:p2.example;lr>', '<sip:p1.example;lr>'], 'Record-Route in order');
  assert.is(d.secure, false);
});

test('a UAS request in the dialog: loose route set, To/From swapped, CSeq chosen then +1 (RFC 3261 §12.2.1.1)', () => {
  const d = Dialog.uas(incomingInvite(), { localTag: 'bob1', state: 'confirmed' });
  const bye = d.createRequest('BYE');
  assert.is(bye.uri, 'sip:alice@198.51.100.7:5062;transport=udp', 'Request-URI = remote target');
  assert.equal(bye.headers.getAll('Route'), ['<sip:p2.example;lr>', '<sip:p1.example;lr>']);
  assert.is(bye.headers.get('To'), '"Alice" <sip:alice@a.example>;tag=alice1');
  assert.is(bye.headers.get('From'), '"Bob" <sip:bob@b.example>;tag=bob1');
  assert.is(bye.headers.get('Call-ID'), 'dlg-1@a.example');
  assert.is(bye.headers.get('CSeq'), '1 BYE');
  assert.is(bye.headers.get('Max-Forwards'), '70');
  assert.is(bye.headers.get('Via'), undefined, 'the transaction layer adds the Via');
  assert.is(bye.headers.get('Contact'), undefined, 'BYE is no target refresh');
  assert.is(d.nextHopUri(), 'sip:p2.example;lr');
  assert.is(d.createRequest('INFO').headers.get('CSeq'), '2 INFO');
  assert.is(d.localSeq, 2);
});

test('target refresh requests carry our Contact (RFC 3261 §12.2.1.1)', () => {
  const d = Dialog.uas(incomingInvite(), { localTag: 'bob1', localContact: '<sip:bob@192.0.2.20>', state: 'confirmed' });
  const reinvite = d.createRequest('INVITE', { body: 'v=0\r\n', contentType: 'application/sdp' });
  assert.is(reinvite.headers.get('Contact'), '<sip:bob@192.0.2.20>');
  assert.is(reinvite.headers.get('Content-Type'), 'application/sdp');
  assert.is(reinvite.body.toString(), 'v=0\r\n');
  assert.is(d.createRequest('UPDATE').headers.get('Contact'), '<sip:bob@192.0.2.20>');
  assert.is(d.createRequest('MESSAGE').headers.get('Contact'), undefined);
});

test('ACK, CANCEL and terminated dialogs are refused by createRequest (RFC 3261 §13.2.2.4, §9.1)', () => {
  const d = Dialog.uas(incomingInvite(), { localTag: 'bob1' });
  assert.throws(() => d.createRequest('ACK'), /createAck/);
  assert.throws(() => d.createRequest('CANCEL'), /TransactionLayer\.cancel/);
  d.terminate();
  assert.throws(() => d.createRequest('BYE'), /terminated/);
  assert.is(d.localSeq, undefined, 'refused requests consume no sequence number');
});

test('a request with a lower CSeq is out of order: 500 (RFC 3261 §12.2.2)', () => {
  const d = Dialog.uas(incomingInvite(), { localTag: 'bob1', state: 'confirmed' });
  const inDialog = (method: string, cseq: number, contact?: string) =>
    request(method, { callId: 'dlg-1@a.example', from: '<sip:alice@a.example>;tag=alice1', to: '<sip:bob@b.example>;tag=bob1', cseq, ...(contact ? { contact } : {}) });
  assert.equal(d.receiveRequest(inDialog('INFO', 9)), { ok: false, status: 500, reason: 'CSeq Out of Order' });
  assert.equal(d.receiveRequest(inDialog('INFO', 10)), { ok: false, status: 500, reason: 'CSeq Out of Order' }, 'equal: a reused number');
  assert.equal(d.receiveRequest(inDialog('ACK', 10)), { ok: true, targetRefreshed: false }, 'the ACK carries the INVITE CSeq');
  assert.equal(d.receiveRequest(inDialog('INFO', 15)), { ok: true, targetRefreshed: false }, 'gaps are fine');
  assert.is(d.remoteSeq, 15);
  assert.equal(d.receiveRequest(inDialog('INFO', 12)).ok, false);
});

test('a target refresh replaces the remote target; other requests do not (RFC 3261 §12.2.2)', () => {
  const d = Dialog.uas(incomingInvite(), { localTag: 'bob1', state: 'confirmed' });
  const inDialog = (method: string, cseq: number, contact: string) =>
    request(method, { callId: 'dlg-1@a.example', from: '<sip:alice@a.example>;tag=alice1', to: '<sip:bob@b.example>;tag=bob1', cseq, contact });
  assert.equal(d.receiveRequest(inDialog('INFO', 11, '<sip:alice@203.0.113.1>')), { ok: true, targetRefreshed: false });
  assert.is(d.remoteTarget, 'sip:alice@198.51.100.7:5062;transport=udp');
  assert.equal(d.receiveRequest(inDialog('INVITE', 12, '<sip:alice@203.0.113.1:7000>')), { ok: true, targetRefreshed: true });
  assert.is(d.remoteTarget, 'sip:alice@203.0.113.1:7000');
  assert.is(d.createRequest('BYE').uri, 'sip:alice@203.0.113.1:7000');
  d.receiveRequest(inDialog('UPDATE', 13, '<sip:alice@203.0.113.2>'));
  assert.is(d.remoteTarget, 'sip:alice@203.0.113.2');
});

test('a 2xx to our target refresh replaces the remote target; 481 and 408 end the dialog (RFC 3261 §12.2.1.2)', () => {
  const d = Dialog.uas(incomingInvite(), { localTag: 'bob1', state: 'confirmed' });
  const reinvite = d.createRequest('INVITE');
  const ok = createResponse(reinvite, 200);
  ok.headers.append('Contact', '<sip:alice@203.0.113.9>');
  assert.is(d.receiveResponse(ok), 'confirmed');
  assert.is(d.remoteTarget, 'sip:alice@203.0.113.9');
  const info = d.createRequest('INFO');
  const okInfo = createResponse(info, 200);
  okInfo.headers.append('Contact', '<sip:elsewhere@203.0.113.10>');
  d.receiveResponse(okInfo);
  assert.is(d.remoteTarget, 'sip:alice@203.0.113.9', 'INFO is no target refresh');
  assert.is(d.receiveResponse(createResponse(d.createRequest('INFO'), 481)), 'terminated');
  const d2 = Dialog.uas(incomingInvite(), { localTag: 'bob2', state: 'confirmed' });
  assert.is(d2.receiveResponse(createResponse(d2.createRequest('BYE'), 408)), 'terminated');
  assert.equal(d.receiveRequest(request('BYE', { cseq: 99 })).ok, false, 'a terminated dialog answers 481');
});

test('the secure flag needs TLS and a SIPS Request-URI (RFC 3261 §12.1.1)', () => {
  const req = incomingInvite();
  req.uri = 'sips:bob@192.0.2.20';
  assert.is(Dialog.uas(req, { localTag: 't', flow: flow('tls', '198.51.100.7', 5061) }).secure, true);
  assert.is(Dialog.uas(req, { localTag: 't', flow: flow('tcp', '198.51.100.7') }).secure, false);
  assert.is(Dialog.uas(incomingInvite(), { localTag: 't', flow: flow('tls', '198.51.100.7', 5061) }).secure, false);
});

test('a dialog-creating request without Contact is refused with a 400-class error (RFC 3261 §8.1.1.8)', () => {
  const req = incomingInvite();
  req.headers.remove('Contact');
  assert.throws(() => Dialog.uas(req, { localTag: 't' }), (e: unknown) => e instanceof SipSyntaxError && e.status === 400);
});

test('an RFC 2543 peer without From tag gets a dialog with the empty remote tag (RFC 3261 §12.1.1)', () => {
  const req = incomingInvite();
  req.headers.set('From', '<sip:alice@a.example>');
  const d = Dialog.uas(req, { localTag: 'bob1', state: 'confirmed' });
  assert.is(d.id.remoteTag, '');
  assert.is(d.createRequest('BYE').headers.get('To'), '<sip:alice@a.example>');
});

test('DialogTable finds the dialog of a request by Call-ID, To tag and From tag; other requests are 481 material (RFC 3261 §12.2.2)', () => {
  const table = new DialogTable();
  const d = Dialog.uas(incomingInvite(), { localTag: 'bob1', state: 'confirmed' });
  table.add(d);
  const bye = request('BYE', { callId: 'dlg-1@a.example', from: '<sip:alice@a.example>;tag=alice1', to: '<sip:bob@b.example>;tag=bob1', cseq: 11 });
  assert.is(table.findForRequest(bye), d);
  const stale = request('BYE', { callId: 'dlg-1@a.example', from: '<sip:alice@a.example>;tag=alice1', to: '<sip:bob@b.example>;tag=other', cseq: 11 });
  assert.ok(isMidDialog(stale));
  assert.is(table.findForRequest(stale), undefined, 'the TU answers 481');
  assert.not.ok(isMidDialog(incomingInvite()));
  // The response to our BYE is found with the tags the other way round.
  assert.is(table.findForResponse(createResponse(d.createRequest('BYE'), 200)), d);
  assert.throws(() => table.add(Dialog.uas(incomingInvite(), { localTag: 'bob1' })), /exists/);
  assert.ok(table.remove(d));
  assert.is(table.size, 0);
});

test.run();
