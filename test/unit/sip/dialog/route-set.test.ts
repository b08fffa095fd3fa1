import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Dialog } from '../../../../src/sip/dialog/dialog.js';
import { asRequestUri, isLooseRoute, routeRequest } from '../../../../src/sip/dialog/route-set.js';
import { createResponse } from '../../../../src/sip/response.js';
import { request } from '../../../support/sip-builders.js';

test('strict routing: the first route becomes the Request-URI and the remote target the last Route (RFC 3261 §12.2.1.1 example)', () => {
  const r = routeRequest(['<sip:proxy1>', '<sip:proxy2>', '<sip:proxy3;lr>', '<sip:proxy4>'], 'sip:user@remoteua');
  assert.equal(r, {
    requestUri: 'sip:proxy1',
    routes: ['<sip:proxy2>', '<sip:proxy3;lr>', '<sip:proxy4>', '<sip:user@remoteua>'],
    nextHop: 'sip:proxy1',
  });
});

test('loose routing: Request-URI = remote target, Route = route set, next hop = first route (RFC 3261 §12.2.1.1, §8.1.2)', () => {
  assert.equal(routeRequest(['<sip:p1.example;lr>', '<sip:p2.example>'], 'sip:bob@192.0.2.4'), {
    requestUri: 'sip:bob@192.0.2.4',
    routes: ['<sip:p1.example;lr>', '<sip:p2.example>'],
    nextHop: 'sip:p1.example;lr',
  });
  assert.equal(routeRequest([], 'sip:bob@192.0.2.4'), { requestUri: 'sip:bob@192.0.2.4', routes: [], nextHop: 'sip:bob@192.0.2.4' });
});

test('a strict router URI loses the parameters a Request-URI may not carry (RFC 3261 §12.2.1.1, §19.1.1)', () => {
  assert.is(asRequestUri('sip:p1.example;method=INVITE;transport=tcp?Subject=x'), 'sip:p1.example;transport=tcp');
  assert.is(asRequestUri('sip:p1.example;maddr=192.0.2.9'), 'sip:p1.example;maddr=192.0.2.9');
  assert.is(routeRequest(['<sip:p1.example;method=INVITE>'], 'sip:bob@h').requestUri, 'sip:p1.example');
});

test('lr is a URI parameter, not a header parameter (RFC 3261 §19.1.1)', () => {
  assert.ok(isLooseRoute('<sip:p1.example;lr>'));
  assert.ok(isLooseRoute('<sip:p1.example;lr=on>'));
  assert.not.ok(isLooseRoute('<sip:p1.example>;lr'));
  assert.not.ok(isLooseRoute('<sip:p1.example>'));
});

test('the UAC route set is the Record-Route of the response reversed (RFC 3261 §12.1.2)', () => {
  // UAC -> pA -> pB -> UAS: each proxy puts its Record-Route on top.
  const invite = request('INVITE', { contact: '<sip:alice@192.0.2.10>', from: '<sip:alice@a.example>;tag=a1' });
  const ok = createResponse(invite, 200, undefined, { toTag: 'b1' });
  ok.headers.append('Record-Route', '<sip:pB.example;lr>');
  ok.headers.append('Record-Route', '<sip:pA.example;lr>');
  ok.headers.append('Contact', '<sip:bob@192.0.2.20>');
  const d = Dialog.uac(invite, ok);
  assert.equal(d.routeSet, ['<sip:pA.example;lr>', '<sip:pB.example;lr>']);
  assert.is(d.remoteTarget, 'sip:bob@192.0.2.20');
  assert.is(d.localSeq, 1);
  assert.is(d.remoteSeq, undefined);
  assert.is(d.localContact, '<sip:alice@192.0.2.10>');
  assert.is(d.state, 'confirmed');
  const bye = d.createRequest('BYE');
  assert.is(bye.uri, 'sip:bob@192.0.2.20');
  assert.equal(bye.headers.getAll('Route'), ['<sip:pA.example;lr>', '<sip:pB.example;lr>']);
  assert.is(bye.headers.get('CSeq'), '2 BYE', 'local sequence number + 1');
  assert.is(d.nextHopUri(), 'sip:pA.example;lr');
});

test('a Record-Route list in one field value is split into route set elements (RFC 3261 §7.3.1)', () => {
  const invite = request('INVITE', { contact: '<sip:alice@192.0.2.10>' });
  const ok = createResponse(invite, 200, undefined, { toTag: 'b1' });
  ok.headers.append('Record-Route', '<sip:pB.example;lr>, <sip:pA.example;lr;transport=tcp>');
  ok.headers.append('Contact', '<sip:bob@192.0.2.20>');
  assert.equal(Dialog.uac(invite, ok).routeSet, ['<sip:pA.example;lr;transport=tcp>', '<sip:pB.example;lr>']);
});

test('strict routing inside a dialog: BYE through an RFC 2543 proxy (RFC 3261 §16.12.1.2)', () => {
  const invite = request('INVITE', { contact: '<sip:alice@192.0.2.10>' });
  const ok = createResponse(invite, 200, undefined, { toTag: 'b1' });
  ok.headers.append('Record-Route', '<sip:loose.example;lr>');
  ok.headers.append('Record-Route', '<sip:strict.example>');
  ok.headers.append('Contact', '<sip:bob@192.0.2.20>');
  const d = Dialog.uac(invite, ok);
  const bye = d.createRequest('BYE');
  assert.is(bye.uri, 'sip:strict.example');
  assert.equal(bye.headers.getAll('Route'), ['<sip:loose.example;lr>', '<sip:bob@192.0.2.20>']);
  assert.is(d.nextHopUri(), 'sip:strict.example', 'a strict router is reached through the Request-URI (§8.1.2)');
});

test.run();
