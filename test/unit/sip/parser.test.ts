// parseMessage beyond the torture vectors: framing, line handling, what a result carries.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cseq } from '../../../src/sip/headers/cseq.js';
import { vias } from '../../../src/sip/headers/via.js';
import { MAX_HEADER_NAME, MAX_MESSAGE_BYTES, parseMessage, type ParseResult } from '../../../src/sip/parser.js';
import type { SipMessage } from '../../../src/sip/message.js';

const HEAD = [
  'OPTIONS sip:bob@biloxi.com SIP/2.0',
  'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKhjhs8ass877',
  'Max-Forwards: 70',
  'To: <sip:bob@biloxi.com>',
  'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710',
  'CSeq: 63104 OPTIONS',
];

function msg(lines: string[], eol = '\r\n'): Buffer {
  return Buffer.from(lines.join(eol));
}

function ok(r: ParseResult): SipMessage {
  if (!r.ok) throw new Error(`refused: ${r.status} ${r.error}`);
  return r.message;
}

function refused(r: ParseResult): Extract<ParseResult, { ok: false }> {
  if (r.ok) throw new Error('accepted');
  return r;
}

test('a minimal OPTIONS parses; the body is empty with Content-Length 0', () => {
  const m = ok(parseMessage(msg([...HEAD, 'Content-Length: 0', '', ''])));
  assert.is(m.kind, 'request');
  assert.is(m.body.length, 0);
  assert.equal(cseq(m), { seq: 63104, method: 'OPTIONS' });
});

test('CRLFs before the start line are ignored (RFC 3261 §7.5)', () => {
  assert.ok(parseMessage(msg(['', '', ...HEAD, 'Content-Length: 0', '', ''])).ok);
});

test('a CRLF keep-alive or an empty datagram is refused without a request', () => {
  for (const b of [Buffer.from('\r\n\r\n'), Buffer.alloc(0), Buffer.from('\r\n')]) {
    const r = refused(parseMessage(b));
    assert.is(r.request, undefined);
  }
});

test('bare-LF line ends are tolerated', () => {
  const m = ok(parseMessage(msg([...HEAD, 'Content-Type: text/plain', 'Content-Length: 5', '', 'hello'], '\n')));
  assert.is(m.body.toString(), 'hello');
});

test('a header section without the empty line is accepted when it ends in CRLF; a cut-off line is not', () => {
  assert.ok(parseMessage(msg([...HEAD, 'Content-Length: 0', ''])).ok);
  assert.not.ok(parseMessage(msg([...HEAD, 'Content-Length: 0'])).ok);
});

test('folded lines are unfolded to one SP, and whitespace around the colon is dropped (RFC 3261 §7.3.1)', () => {
  const m = ok(parseMessage(msg([...HEAD, 'Subject :   I know you\'re there,', '\t  pick up the phone', ' ', '  and talk to me!  ', 'l: 0', '', ''])));
  assert.is(m.headers.get('Subject'), "I know you're there, pick up the phone and talk to me!");
});

test('malformed header lines are refused with 400 and still offer the request for an answer', () => {
  for (const bad of ['NoColonHere', 'Bad Name: x', ': empty name', 'Bad\x01: x']) {
    const r = refused(parseMessage(msg([...HEAD, bad, 'l: 0', '', ''])));
    assert.is(r.status, 400, bad);
    assert.ok(r.request, bad);
  }
  const lead = refused(parseMessage(msg([HEAD[0]!, ' continuation first', ...HEAD.slice(1), '', ''])));
  assert.is(lead.status, 400);
  const cr = refused(parseMessage(msg([...HEAD, 'X-A: one\rInjected: two', '', ''])));
  assert.match(cr.error, /bare CR/);
});

test('Content-Length frames the body; extra octets are dropped, fewer octets are 400 (RFC 3261 §18.3)', () => {
  const m = ok(parseMessage(msg([...HEAD, 'Content-Type: text/plain', 'Content-Length: 3', '', 'abcdef'])));
  assert.is(m.body.toString(), 'abc');
  const r = refused(parseMessage(msg([...HEAD, 'Content-Type: text/plain', 'Content-Length: 10', '', 'abc'])));
  assert.is(r.status, 400);
  assert.ok(r.request);
  for (const v of ['five', '-1', '', '1 2', '0x10']) {
    assert.is(refused(parseMessage(msg([...HEAD, `Content-Length: ${v}`, '', '']))).status, 400, v);
  }
});

test('without Content-Length the body is the rest of the datagram; the body is a copy, not a view of the input', () => {
  const input = msg([...HEAD, 'Content-Type: text/plain', '', 'rest of it']);
  const m = ok(parseMessage(input));
  assert.is(m.body.toString(), 'rest of it');
  input.fill(0);
  assert.is(m.body.toString(), 'rest of it');
});

test('repeated equal Content-Length values frame normally; conflicting ones in a response are refused', () => {
  assert.is(ok(parseMessage(msg([...HEAD, 'Content-Type: text/plain', 'l: 2', 'Content-Length: 2', '', 'hi']))).body.toString(), 'hi');
  const res = [
    'SIP/2.0 200 OK', 'Via: SIP/2.0/UDP a;branch=z9hG4bK1', 'From: <sip:a@b>;tag=1', 'To: <sip:a@b>;tag=2',
    'Call-ID: x', 'CSeq: 1 OPTIONS', 'Content-Length: 2', 'Content-Length: 3', '', 'abc',
  ];
  assert.not.ok(parseMessage(msg(res)).ok);
});

test('a response must carry Via, From, To, Call-ID and CSeq, once each; it is never answered', () => {
  const base = ['SIP/2.0 180 Ringing', 'Via: SIP/2.0/UDP a;branch=z9hG4bK1', 'From: <sip:a@b>;tag=1', 'To: <sip:a@b>;tag=2', 'Call-ID: x', 'CSeq: 1 INVITE'];
  const m = ok(parseMessage(msg([...base, 'Content-Length: 0', '', ''])));
  assert.is(m.kind === 'response' && m.status, 180);
  for (let i = 1; i < base.length; i++) {
    const r = refused(parseMessage(msg([...base.slice(0, i), ...base.slice(i + 1), '', ''])));
    assert.is(r.request, undefined);
  }
  assert.not.ok(parseMessage(msg([...base, 'Call-ID: y', '', ''])).ok);
});

test('status lines: 3 digits 100-699, any reason text, version 2.0 (RFC 3261 §7.2)', () => {
  const tail = ['Via: SIP/2.0/UDP a', 'From: <sip:a@b>;tag=1', 'To: <sip:a@b>', 'Call-ID: x', 'CSeq: 1 INVITE', '', ''];
  assert.ok(parseMessage(msg(['SIP/2.0 699 Custom', ...tail])).ok);
  assert.ok(parseMessage(msg(['sip/2.0 183', ...tail])).ok);
  for (const line of ['SIP/2.0 099 Low', 'SIP/2.0 700 High', 'SIP/2.0 20 OK', 'SIP/2.0 2000 OK', 'SIP/2.0', 'SIP/3.0 200 OK', 'SIP/2.0 2x0 OK']) {
    assert.not.ok(parseMessage(msg([line, ...tail])).ok, line);
  }
});

test('request lines: token method, no LWS in the URI, version case-insensitive; other versions are 505 (RFC 3261 §7.1)', () => {
  const rest = HEAD.slice(1);
  const withLine = (l: string) => parseMessage(msg([l, ...rest.map((h) => (h.startsWith('CSeq') ? `CSeq: 1 ${l.split(' ')[0]}` : h)), '', '']));
  assert.ok(withLine('OPTIONS sip:bob@biloxi.com sip/2.0').ok);
  assert.is(refused(withLine('OPTIONS sip:bob@biloxi.com SIP/2.1')).status, 505);
  assert.is(refused(withLine('OPTIONS sip:bob@biloxi.com HTTP/1.1')).status, 400);
  assert.is(refused(withLine('OPT(IONS sip:bob@biloxi.com SIP/2.0')).status, 400);
  assert.is(refused(withLine('OPTIONS sip:bob@biloxi.com\tSIP/2.0')).status, 400);
  assert.is(refused(withLine('OPTIONS sip:bob@"biloxi".com SIP/2.0')).status, 400);
  assert.is(refused(withLine('OPTIONS sip:bob@biloxi.com')).status, 400);
});

test('a request without Via or CSeq cannot be answered and is dropped', () => {
  const noVia = refused(parseMessage(msg([...HEAD.filter((h) => !h.startsWith('Via')), '', ''])));
  assert.is(noVia.request, undefined);
  const noCSeq = refused(parseMessage(msg([...HEAD.filter((h) => !h.startsWith('CSeq')), '', ''])));
  assert.is(noCSeq.request, undefined);
});

test('typed views of the checked headers are cached at parse time', () => {
  const m = ok(parseMessage(msg([...HEAD, '', ''])));
  assert.is(vias(m), vias(m));
  assert.is(cseq(m), cseq(m));
});

test(`header names longer than ${MAX_HEADER_NAME} characters are refused (hardening: bounded name cache)`, () => {
  assert.ok(parseMessage(msg([...HEAD, `X-${'a'.repeat(MAX_HEADER_NAME - 2)}: v`, '', ''])).ok);
  const r = refused(parseMessage(msg([...HEAD, `X-${'a'.repeat(MAX_HEADER_NAME)}: v`, '', ''])));
  assert.equal([r.status, r.error], [400, 'header name too long']);
});

test(`messages above ${MAX_MESSAGE_BYTES} octets are refused with 513 (RFC 3261 §21.5.7)`, () => {
  const big = Buffer.concat([msg([...HEAD, 'Content-Type: text/plain', '', '']), Buffer.alloc(MAX_MESSAGE_BYTES, 0x61)]);
  assert.is(refused(parseMessage(big)).status, 513);
});

test.run();
