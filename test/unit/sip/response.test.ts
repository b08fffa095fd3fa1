import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { to } from '../../../src/sip/headers/name-addr.js';
import { HeaderList, SipRequest } from '../../../src/sip/message.js';
import { reasonPhrase } from '../../../src/sip/reason-phrases.js';
import { createResponse, statelessToTag } from '../../../src/sip/response.js';

function invite(toValue = 'Bob <sip:bob@biloxi.com>'): SipRequest {
  const h = new HeaderList()
    .append('Via', 'SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8;received=192.0.2.1')
    .append('Via', 'SIP/2.0/UDP bigbox3.site3.atlanta.com;branch=z9hG4bK77ef4c2312983.1')
    .append('Max-Forwards', '70')
    .append('To', toValue)
    .append('From', 'Alice <sip:alice@atlanta.com>;tag=1928301774')
    .append('Call-ID', 'a84b4c76e66710')
    .append('CSeq', '314159 INVITE')
    .append('Contact', '<sip:alice@pc33.atlanta.com>')
    .append('Record-Route', '<sip:p1.example.com;lr>')
    .append('Timestamp', '54')
    .append('Content-Type', 'application/sdp');
  return new SipRequest('INVITE', 'sip:bob@biloxi.com', h, Buffer.from('v=0\r\n'));
}

test('copies Via (all, in order), From, Call-ID and CSeq byte for byte, nothing else (RFC 3261 §8.2.6.2)', () => {
  const req = invite();
  const res = createResponse(req, 486);
  assert.is(res.status, 486);
  assert.is(res.reason, 'Busy Here');
  assert.equal([...res.headers].map(([n]) => n), ['Via', 'Via', 'To', 'From', 'Call-ID', 'CSeq']);
  for (const n of ['Via', 'From', 'Call-ID', 'CSeq']) assert.equal(res.headers.getAll(n), req.headers.getAll(n));
  assert.is(res.body.length, 0);
});

test('adds the To tag when the request had none, keeps an existing one, never on 100 (RFC 3261 §8.2.6.2)', () => {
  assert.is(to(createResponse(invite(), 180, undefined, { toTag: 'a6c85cf' })).tag, 'a6c85cf');
  assert.is(createResponse(invite(), 180, undefined, { toTag: 'a6c85cf' }).headers.get('To'), 'Bob <sip:bob@biloxi.com>;tag=a6c85cf');
  assert.is(to(createResponse(invite('<sip:bob@biloxi.com>;tag=old'), 200, undefined, { toTag: 'new' })).tag, 'old');
  assert.is(to(createResponse(invite(), 100, undefined, { toTag: 'x' })).tag, undefined);
  assert.is(to(createResponse(invite(), 200)).tag, undefined);
});

test('a 100 Trying copies Timestamp (RFC 3261 §8.2.6.1); Record-Route only when asked (§12.1.1)', () => {
  assert.is(createResponse(invite(), 100).headers.get('Timestamp'), '54');
  assert.not.ok(createResponse(invite(), 180).headers.has('Timestamp'));
  assert.not.ok(createResponse(invite(), 200).headers.has('Record-Route'));
  assert.is(createResponse(invite(), 200, 'OK', { copyRecordRoute: true }).headers.get('Record-Route'), '<sip:p1.example.com;lr>');
});

test('a given reason phrase wins; status codes outside 100-699 are a programming error', () => {
  assert.is(createResponse(invite(), 480, 'Gone Fishing').reason, 'Gone Fishing');
  assert.throws(() => createResponse(invite(), 99), RangeError);
  assert.throws(() => createResponse(invite(), 700), RangeError);
  assert.throws(() => createResponse(invite(), 200.5), RangeError);
});

test('default reason phrases cover RFC 3261 §21 and later registrations', () => {
  const expected: Record<number, string> = {
    100: 'Trying', 180: 'Ringing', 183: 'Session Progress', 200: 'OK', 202: 'Accepted', 302: 'Moved Temporarily',
    400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
    407: 'Proxy Authentication Required', 412: 'Conditional Request Failed', 415: 'Unsupported Media Type',
    416: 'Unsupported URI Scheme', 417: 'Unknown Resource-Priority', 420: 'Bad Extension', 423: 'Interval Too Brief',
    428: 'Use Identity Header', 429: 'Provide Referrer Identity', 430: 'Flow Failed', 433: 'Anonymity Disallowed',
    436: 'Bad Identity Info', 437: 'Unsupported Credential', 438: 'Invalid Identity Header',
    439: 'First Hop Lacks Outbound Support', 440: 'Max-Breadth Exceeded', 469: 'Bad Info Package', 470: 'Consent Needed',
    481: 'Call/Transaction Does Not Exist', 483: 'Too Many Hops', 486: 'Busy Here', 487: 'Request Terminated',
    489: 'Bad Event', 491: 'Request Pending', 494: 'Security Agreement Required', 500: 'Server Internal Error',
    501: 'Not Implemented', 503: 'Service Unavailable', 505: 'Version Not Supported', 513: 'Message Too Large',
    580: 'Precondition Failure', 600: 'Busy Everywhere', 603: 'Decline', 604: 'Does Not Exist Anywhere',
    606: 'Not Acceptable', 607: 'Unwanted', 608: 'Rejected',
  };
  for (const [code, phrase] of Object.entries(expected)) assert.is(reasonPhrase(Number(code)), phrase, code);
  assert.is(reasonPhrase(499), 'Client Error');
  assert.is(reasonPhrase(299), 'Successful');
});

test('statelessToTag is stable for retransmissions and differs between requests (RFC 3261 §8.2.7)', () => {
  assert.is(statelessToTag(invite()), statelessToTag(invite()));
  const other = invite();
  other.headers.set('CSeq', '314160 INVITE');
  assert.is.not(statelessToTag(other), statelessToTag(invite()));
  assert.match(statelessToTag(invite()), /^[0-9a-f]{16}$/);
});

test.run();
