// checkRequest beyond the RFC 4475 vectors: each check of RFC 3261 §8.2 and its answer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { to } from '../../../src/sip/headers/name-addr.js';
import { HeaderList, SipRequest } from '../../../src/sip/message.js';
import { checkRequest, findRequestProblem } from '../../../src/sip/request-checks.js';
import { statelessToTag } from '../../../src/sip/response.js';

function request(method: string, extra: Array<[string, string]> = [], opts: { uri?: string; body?: string; drop?: string[] } = {}): SipRequest {
  const base: Array<[string, string]> = [
    ['Via', 'SIP/2.0/UDP 192.0.2.4;branch=z9hG4bK776asdhds'],
    ['Max-Forwards', '70'],
    ['To', '<sip:3001@pbx.example.com>'],
    ['From', '<sip:alice@pbx.example.com>;tag=88sja8x'],
    ['Call-ID', '987asjd97y7atg'],
    ['CSeq', `986759 ${method}`],
  ];
  const h = new HeaderList();
  for (const [n, v] of [...base, ...extra]) if (!opts.drop?.includes(n)) h.append(n, v);
  return new SipRequest(method, opts.uri ?? 'sip:3001@pbx.example.com', h, Buffer.from(opts.body ?? ''));
}

test('a well-formed request passes', () => {
  assert.is(checkRequest(request('OPTIONS')), undefined);
  assert.is(checkRequest(request('INVITE', [['Content-Type', 'application/sdp']], { body: 'v=0\r\n' })), undefined);
});

test('rejections carry a To tag that is the same for every retransmission (RFC 3261 §8.2.6.2, §8.2.7)', () => {
  const r = request('OPTIONS', [], { uri: 'mailto:a@b' });
  const res = checkRequest(r)!;
  assert.is(to(res).tag, statelessToTag(r));
  assert.is(to(checkRequest(r, { toTag: 'given' })!).tag, 'given');
});

test('a version other than SIP/2.0 is 505 (RFC 3261 §21.5.6)', () => {
  const r = request('OPTIONS');
  r.version = 'SIP/3.0';
  assert.is(checkRequest(r)?.status, 505);
});

test('missing Via, From, To, Call-ID or CSeq is 400 naming it; Max-Forwards may be absent (RFC 3261 §8.1.1, RFC 4475 §3.4.1)', () => {
  for (const name of ['From', 'To', 'Call-ID', 'CSeq']) {
    const res = checkRequest(request('OPTIONS', [], { drop: [name] }))!;
    assert.equal([res.status, res.reason], [400, `Missing ${name}`]);
  }
  assert.is(findRequestProblem(request('OPTIONS', [], { drop: ['Via'] }))?.reason, 'Missing Via');
  assert.is(checkRequest(request('OPTIONS', [], { drop: ['Max-Forwards'] })), undefined);
});

test('a repeated single-value header is 400 (RFC 3261 §7.3.1, RFC 4475 §3.3.8)', () => {
  for (const [n, v] of [['Call-ID', 'other'], ['Max-Forwards', '70'], ['From', '<sip:x@y>;tag=2'], ['CSeq', '986759 OPTIONS']] as Array<[string, string]>) {
    const res = checkRequest(request('OPTIONS', [[n, v]]))!;
    assert.equal([res.status, res.reason], [400, `Multiple ${n} values`]);
  }
  for (const n of ['Content-Type', 'Content-Length']) {
    const res = checkRequest(request('OPTIONS', [[n, '0'], [n, '0']]))!;
    assert.equal([res.status, res.reason], [400, `Multiple ${n} values`]);
  }
});

test('malformed headers and a CSeq method mismatch are 400 (RFC 3261 §8.1.1.5)', () => {
  const bad = request('OPTIONS');
  bad.headers.set('From', 'not a name-addr');
  assert.equal([checkRequest(bad)?.status, checkRequest(bad)?.reason], [400, 'Malformed From']);
  const mismatch = request('OPTIONS');
  mismatch.headers.set('CSeq', '1 INVITE');
  assert.equal([checkRequest(mismatch)?.status, checkRequest(mismatch)?.reason], [400, 'CSeq method does not match the request method']);
});

test('Max-Forwards 0 is 483 when the request would be forwarded, ignored otherwise (RFC 3261 §16.3 step 3)', () => {
  const r = request('INVITE');
  r.headers.set('Max-Forwards', '0');
  assert.is(checkRequest(r)?.status, 483);
  assert.is(checkRequest(r, { willForward: false }), undefined);
});

test('a known method that is not handled is 405 with Allow; an unknown method is 501 (RFC 3261 §8.2.1)', () => {
  const allowed = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER'];
  const res = checkRequest(request('PUBLISH'), { allowedMethods: allowed })!;
  assert.equal([res.status, res.headers.get('Allow')], [405, 'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER']);
  assert.is(checkRequest(request('FOO'))?.status, 501);
  assert.is(checkRequest(request('invite'))?.status, 501); // methods are case-sensitive
  assert.is(checkRequest(request('FOO'), { allowedMethods: ['FOO'] }), undefined);
});

test('the Request-URI: unsupported schemes 416, malformed SIP URIs and URI headers 400 (RFC 3261 §8.2.2.1, §19.1.1)', () => {
  assert.is(checkRequest(request('OPTIONS', [], { uri: 'mailto:bob@biloxi.com' }))?.status, 416);
  assert.is(checkRequest(request('OPTIONS', [], { uri: 'tel:+15551234' }), { uriSchemes: ['sip', 'sips'] })?.status, 416);
  assert.is(checkRequest(request('OPTIONS', [], { uri: 'tel:+15551234' })), undefined);
  assert.is(checkRequest(request('OPTIONS', [], { uri: 'sip:bob@bi loxi.com' }))?.status, 400);
  assert.is(checkRequest(request('OPTIONS', [], { uri: 'sip:bob@biloxi.com?Route=x' }))?.status, 400);
});

test('Require tags are checked against what is supported; CANCEL is exempt (RFC 3261 §8.2.2.3)', () => {
  const r = request('INVITE', [['Require', '100rel, timer'], ['Supported', 'path']]);
  const res = checkRequest(r, { supportedOptionTags: ['timer'] })!;
  assert.equal([res.status, res.headers.get('Unsupported')], [420, '100rel']);
  assert.is(checkRequest(r, { supportedOptionTags: ['timer', '100rel'] }), undefined);
  assert.is(checkRequest(request('CANCEL', [['Require', 'foo']])), undefined);
});

test('bodies: unknown Content-Encoding is 415 with Accept-Encoding, missing Content-Type is 400 (RFC 3261 §8.2.3, §20.15)', () => {
  const enc = checkRequest(request('MESSAGE', [['Content-Type', 'text/plain'], ['Content-Encoding', 'gzip']], { body: 'x' }), { acceptedContentTypes: ['text/plain'] })!;
  assert.equal([enc.status, enc.headers.get('Accept-Encoding')], [415, 'identity']);
  assert.is(checkRequest(request('MESSAGE', [], { body: 'x' }))?.reason, 'Missing Content-Type');
  const perMethod = (m: string) => (m === 'MESSAGE' ? ['text/plain'] : ['application/sdp']);
  assert.is(checkRequest(request('MESSAGE', [['Content-Type', 'Text/Plain; charset=utf-8']], { body: 'x' }), { acceptedContentTypes: perMethod }), undefined);
  const sdp = checkRequest(request('MESSAGE', [['Content-Type', 'application/sdp']], { body: 'x' }), { acceptedContentTypes: perMethod })!;
  assert.equal([sdp.status, sdp.headers.get('Accept')], [415, 'text/plain']);
});

test('an INVITE whose Accept allows application/sdp (also by wildcard) passes (RFC 3261 §20.1)', () => {
  for (const a of ['application/sdp', '*/*', 'application/*', 'text/html, application/SDP']) {
    assert.is(checkRequest(request('INVITE', [['Accept', a]])), undefined, a);
  }
  assert.is(checkRequest(request('INVITE', [['Accept', 'text/html']]), { warnAgent: 'pbx.example.com' })?.headers.get('Warning'), '399 pbx.example.com "The answer can only be application/sdp"');
});

test('an ACK is never answered; findRequestProblem still says what is wrong with it (RFC 3261 §17.2.1)', () => {
  const ack = request('ACK', [], { drop: ['Call-ID'] });
  assert.is(checkRequest(ack), undefined);
  assert.is(findRequestProblem(ack)?.reason, 'Missing Call-ID');
});

test.run();
