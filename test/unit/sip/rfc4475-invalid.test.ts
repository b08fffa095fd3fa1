// RFC 4475 §3.1.2: invalid messages. Each is refused with the status the RFC names, with a
// best-effort request exactly when the answer can be routed (top Via) and built (From, To,
// Call-ID, CSeq present); never with an exception.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseMessage, type ParseResult } from '../../../src/sip/parser.js';
import { createResponse } from '../../../src/sip/response.js';
import { serializeMessage } from '../../../src/sip/serializer.js';
import { vectorBytes, vectorNames } from './vectors.js';

type Refusal = Extract<ParseResult, { ok: false }>;

function refused(name: string): Refusal {
  const r = parseMessage(vectorBytes('invalid', name));
  if (r.ok) throw new Error(`${name} was accepted`);
  return r;
}

/**
 * The refusal can be answered: the response copies Via, From, To, Call-ID and CSeq byte for
 * byte (RFC 3261 §8.2.6.2), malformed or not, so the sender can match it.
 */
function assertAnswerable(name: string, r: Refusal, status: number): void {
  assert.is(r.status, status, `${name}: ${r.error}`);
  assert.ok(r.request, `${name}: no request to answer (${r.error})`);
  const res = createResponse(r.request, r.status);
  const wire = serializeMessage(res).toString('utf8');
  assert.ok(wire.startsWith(`SIP/2.0 ${status} `), wire);
  for (const h of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) {
    const sent = r.request.headers.getAll(h);
    assert.ok(sent.length > 0, `${name}: ${h} missing`);
    assert.equal(res.headers.getAll(h), sent, `${name}: ${h}`);
    for (const v of sent) assert.ok(wire.includes(`${h}: ${v}\r\n`), `${name}: ${h} not on the wire`);
  }
}

function assertDropped(name: string, r: Refusal): void {
  assert.ok(r.status >= 400 && r.status < 500, `${name}: ${r.status}`);
  assert.is(r.request, undefined, `${name}: a request was offered for an unanswerable message`);
}

const EXPECTED: Record<string, string> = {
  badinv01: '§3.1.2.1', clerr: '§3.1.2.2', ncl: '§3.1.2.3', scalar02: '§3.1.2.4', scalarlg: '§3.1.2.5',
  quotbal: '§3.1.2.6', ltgtruri: '§3.1.2.7', lwsruri: '§3.1.2.8', lwsstart: '§3.1.2.9', trws: '§3.1.2.10',
  escruri: '§3.1.2.11', baddate: '§3.1.2.12', regbadct: '§3.1.2.13', badaspec: '§3.1.2.14', baddn: '§3.1.2.15',
  badvers: '§3.1.2.16', mismatch01: '§3.1.2.17', mismatch02: '§3.1.2.18', bigcode: '§3.1.2.19',
};

test('every file in invalid/ has a test below', () => {
  assert.equal(vectorNames('invalid'), Object.keys(EXPECTED).sort());
});

test('badinv01: empty parameters and list elements in Via are a syntax error; with no usable Via the request is dropped (RFC 4475 §3.1.2.1)', () => {
  const r = refused('badinv01');
  assert.match(r.error, /Via/);
  assertDropped('badinv01', r);
});

test('clerr: Content-Length larger than the datagram is answered 400 (RFC 4475 §3.1.2.2, RFC 3261 §18.3)', () => {
  const r = refused('clerr');
  assert.match(r.error, /Content-Length 9999/);
  assertAnswerable('clerr', r, 400);
});

test('ncl: a negative Content-Length is answered 400 (RFC 4475 §3.1.2.3)', () => {
  const r = refused('ncl');
  assert.match(r.error, /Content-Length/);
  assertAnswerable('ncl', r, 400);
});

test('scalar02: a CSeq above 2**32-1 is answered 400, with no huge-number arithmetic (RFC 4475 §3.1.2.4)', () => {
  const r = refused('scalar02');
  assert.match(r.error, /CSeq/);
  assertAnswerable('scalar02', r, 400);
});

test('scalarlg: a response with overlarge scalar values is dropped (RFC 4475 §3.1.2.5)', () => {
  assertDropped('scalarlg', refused('scalarlg'));
});

test('quotbal: an unterminated quoted display name is answered 400 (RFC 4475 §3.1.2.6)', () => {
  const r = refused('quotbal');
  assert.match(r.error, /unterminated quoted string/);
  assertAnswerable('quotbal', r, 400);
});

test('ltgtruri: a Request-URI enclosed in <> is answered 400 (RFC 4475 §3.1.2.7)', () => {
  const r = refused('ltgtruri');
  assert.match(r.error, /Request-URI/);
  assertAnswerable('ltgtruri', r, 400);
});

test('lwsruri: LWS inside the Request-URI is answered 400 (RFC 4475 §3.1.2.8)', () => {
  assertAnswerable('lwsruri', refused('lwsruri'), 400);
});

test('lwsstart: several SP between Request-Line elements are answered 400 (RFC 4475 §3.1.2.9)', () => {
  const r = refused('lwsstart');
  assert.match(r.error, /Request-Line/);
  assertAnswerable('lwsstart', r, 400);
});

test('trws: SP at the end of the Request-Line is answered 400 (RFC 4475 §3.1.2.10)', () => {
  assertAnswerable('trws', refused('trws'), 400);
});

test('escruri: escaped headers in a SIP Request-URI are answered 400 (RFC 4475 §3.1.2.11, RFC 3261 §19.1.1)', () => {
  const r = refused('escruri');
  assert.match(r.error, /headers/);
  assertAnswerable('escruri', r, 400);
});

test('baddate: a Date that is not in GMT is answered 400 (RFC 4475 §3.1.2.12, RFC 3261 §20.17)', () => {
  const r = refused('baddate');
  assert.match(r.error, /Date/);
  assertAnswerable('baddate', r, 400);
});

test('regbadct: a Contact URI with headers outside <> is answered 400 (RFC 4475 §3.1.2.13, RFC 3261 §20.10)', () => {
  const r = refused('regbadct');
  assert.match(r.error, /enclosed in <>/);
  assertAnswerable('regbadct', r, 400);
});

test('badaspec: whitespace inside <> around an addr-spec is answered 400 (RFC 4475 §3.1.2.14)', () => {
  assertAnswerable('badaspec', refused('badaspec'), 400);
});

test('baddn: an unquoted display name with non-token characters is answered 400 (RFC 4475 §3.1.2.15)', () => {
  assertAnswerable('baddn', refused('baddn'), 400);
});

test('badvers: SIP/7.0 is answered 505 Version Not Supported (RFC 4475 §3.1.2.16, RFC 3261 §21.5.6)', () => {
  const r = refused('badvers');
  assertAnswerable('badvers', r, 505);
});

test('mismatch01: a CSeq method other than the request method is answered 400 (RFC 4475 §3.1.2.17)', () => {
  const r = refused('mismatch01');
  assert.match(r.error, /CSeq method INVITE/);
  assertAnswerable('mismatch01', r, 400);
});

test('mismatch02: an unknown method with a mismatched CSeq is answered 400 (RFC 4475 §3.1.2.18)', () => {
  const r = refused('mismatch02');
  assert.is(r.request?.method, 'NEWMETHOD');
  assertAnswerable('mismatch02', r, 400);
});

test('bigcode: a status code of 4294967301 is not a status code; the response is dropped (RFC 4475 §3.1.2.19)', () => {
  const r = refused('bigcode');
  assert.match(r.error, /status code/);
  assertDropped('bigcode', r);
});

test.run();
