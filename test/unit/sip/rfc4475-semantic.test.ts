// RFC 4475 §3.2-§3.4: messages that parse, then get the answer the RFC gives from checkRequest,
// or carry the values the transaction layer and registrar act on (listed per test).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { authorizations } from '../../../src/sip/headers/auth.js';
import { contentLength } from '../../../src/sip/headers/content-length.js';
import { maxForwards } from '../../../src/sip/headers/max-forwards.js';
import { contacts, from, recordRoutes, to, type NameAddr } from '../../../src/sip/headers/name-addr.js';
import { isRfc3261Branch, topVia, vias } from '../../../src/sip/headers/via.js';
import { SipRequest } from '../../../src/sip/message.js';
import { checkRequest, type RequestCheckOptions } from '../../../src/sip/request-checks.js';
import { SipSyntaxError } from '../../../src/sip/errors.js';
import { parseUri, type SipUri } from '../../../src/sip/uri.js';
import { parsedRequest, parsedResponse, vectorBytes, vectorNames } from './vectors.js';

function answer(name: string, opts?: RequestCheckOptions) {
  return checkRequest(parsedRequest('semantic', name), opts);
}

function contactList(m: SipRequest): NameAddr[] {
  const c = contacts(m);
  if (c === '*') throw new Error('unexpected wildcard');
  return c;
}

function sipUri(s: string): SipUri {
  const u = parseUri(s);
  if (u.scheme === 'tel') throw new Error('expected a SIP URI');
  return u;
}

test('every file in semantic/ has a test below', () => {
  assert.equal(vectorNames('semantic'), [
    'badbranch', 'bcast', 'bext01', 'cparam01', 'cparam02', 'insuf', 'inv2543', 'invut', 'mcl01',
    'multi01', 'novelsc', 'regaut01', 'regescrt', 'sdp01', 'unkscm', 'unksm2', 'zeromf',
  ]);
});

test('badbranch: a branch that is only the magic cookie parses and is flagged as no RFC 3261 transaction id (RFC 4475 §3.2.1)', () => {
  const m = parsedRequest('semantic', 'badbranch');
  const v = topVia(m);
  assert.is(v.branch, 'z9hG4bK');
  assert.not.ok(isRfc3261Branch(v.branch));
  assert.ok(isRfc3261Branch('z9hG4bKkdjuw'));
  assert.is(checkRequest(m), undefined); // the message layer has nothing against it
});

test('insuf: missing Call-ID, From and To parse, and are answered 400 carrying only Via and CSeq (RFC 4475 §3.3.1)', () => {
  const res = answer('insuf')!;
  assert.is(res.status, 400);
  assert.is(res.reason, 'Missing From');
  assert.equal(res.headers.getAll('Via'), ['SIP/2.0/UDP 192.0.2.95;branch=z9hG4bKkdj.insuf']);
  assert.is(res.headers.get('CSeq'), '193942 INVITE');
  for (const h of ['From', 'To', 'Call-ID']) assert.not.ok(res.headers.has(h), `${h} was invented`);
});

test('unkscm: an unknown Request-URI scheme parses and is answered 416 (RFC 4475 §3.3.2, RFC 3261 §8.2.2.1)', () => {
  const m = parsedRequest('semantic', 'unkscm');
  assert.is(m.uri, 'nobodyKnowsThisScheme:totallyopaquecontent');
  try {
    parseUri(m.uri);
    assert.unreachable('parsed an unknown scheme');
  } catch (e) {
    assert.ok(e instanceof SipSyntaxError);
    assert.is(e.status, 416);
  }
  const res = checkRequest(m)!;
  assert.is(res.status, 416);
  assert.is(res.headers.get('Call-ID'), 'unkscm.nasdfasser0q239nwsdfasdkl34');
});

test('novelsc: a registered scheme this element never serves (soap.beep) is answered 416 (RFC 4475 §3.3.3)', () => {
  const m = parsedRequest('semantic', 'novelsc');
  assert.is(m.uri, 'soap.beep://192.0.2.103:3002');
  assert.is(checkRequest(m)?.status, 416);
});

test('unksm2: non-SIP schemes in To, From and Contact parse; the registrar must refuse the To (RFC 4475 §3.3.4)', () => {
  const m = parsedRequest('semantic', 'unksm2');
  assert.is(to(m).uri, 'isbn:2983792873');
  assert.is(from(m).uri, 'http://www.example.com');
  assert.is(contactList(m)[0]!.uri, 'name:John_Smith');
  // What the registrar sees: the To is no SIP or SIPS address of record (RFC 3261 §10.3 step 3 -> 400).
  assert.throws(() => parseUri(to(m).uri), (e: unknown) => e instanceof SipSyntaxError && e.status === 416);
  assert.is(checkRequest(m), undefined); // the message layer itself has nothing to refuse
});

test('bext01: unknown Require and Proxy-Require tags are answered 420 listing them in Unsupported (RFC 4475 §3.3.5, RFC 3261 §8.2.2.3)', () => {
  const res = answer('bext01', { supportedOptionTags: ['100rel', 'timer'] })!;
  assert.is(res.status, 420);
  // A B2BUA forwards like a proxy, so the Proxy-Require tags bind it too.
  assert.is(res.headers.get('Unsupported'), 'nothingSupportsThis, nothingSupportsThisEither, noProxiesSupportThis, norDoAnyProxiesSupportThis');
  // With every tag supported the request goes through.
  const all = ['nothingSupportsThis', 'nothingSupportsThisEither', 'noProxiesSupportThis', 'norDoAnyProxiesSupportThis'];
  assert.is(answer('bext01', { supportedOptionTags: all }), undefined);
});

test('invut: an unknown Content-Type is answered 415 with Accept listing what is understood (RFC 4475 §3.3.6, RFC 3261 §8.2.3)', () => {
  const res = answer('invut')!;
  assert.is(res.status, 415);
  assert.is(res.headers.get('Accept'), 'application/sdp');
  const wider = answer('invut', { acceptedContentTypes: ['application/sdp', 'multipart/mixed'] })!;
  assert.is(wider.headers.get('Accept'), 'application/sdp, multipart/mixed');
  assert.is(answer('invut', { acceptedContentTypes: ['application/unknownformat'] }), undefined);
});

test('regaut01: an Authorization with an unknown scheme parses; the registrar ignores it and challenges with Digest (RFC 4475 §3.3.7)', () => {
  const m = parsedRequest('semantic', 'regaut01');
  const creds = authorizations(m);
  assert.is(creds.length, 1);
  assert.is(creds[0]!.scheme, 'NoOneKnowsThisScheme');
  assert.equal([...creds[0]!.params], [['opaque-data', 'here']]);
  assert.is(contentLength(m), 0); // "Content-Length:0", no space
  assert.is(checkRequest(m), undefined);
  // A UA that is no registrar answers 405 (the RFC's alternative).
  const res = checkRequest(m, { allowedMethods: ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS'] })!;
  assert.is(res.status, 405);
  assert.is(res.headers.get('Allow'), 'INVITE, ACK, BYE, CANCEL, OPTIONS');
});

test('multi01: repeated single-value headers (CSeq, Call-ID, From, To, Max-Forwards) are answered 400 (RFC 4475 §3.3.8)', () => {
  const m = parsedRequest('semantic', 'multi01');
  assert.is(m.headers.getAll('CSeq').length, 2);
  const res = checkRequest(m)!;
  assert.is(res.status, 400);
  assert.match(res.reason, /^Multiple /);
});

test('mcl01: conflicting Content-Length values give no framing; the request is answered 400 (RFC 4475 §3.3.9)', () => {
  const raw = vectorBytes('semantic', 'mcl01');
  const m = parsedRequest('semantic', 'mcl01');
  assert.equal(m.headers.getAll('Content-Length'), ['13', '5']);
  // Neither 13 nor 5: the rest of the datagram is kept, as if the field were absent.
  assert.is(m.body.length, raw.length - (raw.indexOf('\r\n\r\n') + 4));
  const res = checkRequest(m)!;
  assert.is(res.status, 400);
  assert.is(res.reason, 'Multiple Content-Length values');
});

test('bcast: a 200 whose second Via names 255.255.255.255 parses; it is dropped by the transport, never forwarded (RFC 4475 §3.3.10)', () => {
  const m = parsedResponse('semantic', 'bcast');
  assert.is(m.status, 200);
  const v = vias(m);
  assert.is(v.length, 2);
  assert.is(v[0]!.host, '192.0.2.198');
  assert.is(v[1]!.host, '255.255.255.255');
});

test('zeromf: Max-Forwards 0 is answered 483 by a forwarding element and processed by an endpoint (RFC 4475 §3.3.11, RFC 3261 §16.3)', () => {
  const m = parsedRequest('semantic', 'zeromf');
  assert.is(maxForwards(m), 0);
  const res = checkRequest(m)!;
  assert.is(res.status, 483);
  assert.is(res.reason, 'Too Many Hops');
  assert.is(checkRequest(m, { willForward: false }), undefined);
});

test('cparam01: a Contact without <> puts ;unknownparam in the header parameters, not the URI (RFC 4475 §3.3.12)', () => {
  const m = parsedRequest('semantic', 'cparam01');
  const c = contactList(m)[0]!;
  assert.is(c.uri, 'sip:+19725552222@gw1.example.net');
  assert.equal([...c.params], [['unknownparam', null]]);
  assert.is(sipUri(c.uri).params.size, 0);
  assert.is(checkRequest(m), undefined);
});

test('cparam02: a Contact in <> keeps ;unknownparam as a URI parameter (RFC 4475 §3.3.13)', () => {
  const m = parsedRequest('semantic', 'cparam02');
  const c = contactList(m)[0]!;
  assert.is(c.uri, 'sip:+19725552222@gw1.example.net;unknownparam');
  assert.is(c.params.size, 0);
  const u = sipUri(c.uri);
  assert.is(u.user, '+19725552222');
  assert.equal([...u.params], [['unknownparam', null]]);
});

test('regescrt: a Contact URI with an escaped Route header parses, the header unescaped (RFC 4475 §3.3.14)', () => {
  const m = parsedRequest('semantic', 'regescrt');
  const c = contactList(m)[0]!; // compact "M:"
  assert.is(c.uri, 'sip:user@example.com?Route=%3Csip:sip.example.com%3E');
  const u = sipUri(c.uri);
  assert.equal([...u.headers], [['Route', '<sip:sip.example.com>']]);
  assert.is(c.params.size, 0);
  assert.is(checkRequest(m), undefined);
});

test('sdp01: an INVITE whose Accept excludes application/sdp is answered 406 with a Warning (RFC 4475 §3.3.15)', () => {
  const res = answer('sdp01')!;
  assert.is(res.status, 406);
  assert.match(res.headers.get('Warning') ?? '', /^399 softswitch "/);
});

test('inv2543: RFC 2543 syntax (no branch, no From tag, no Content-Length, no Max-Forwards) is accepted (RFC 4475 §3.4.1)', () => {
  const raw = vectorBytes('semantic', 'inv2543');
  const m = parsedRequest('semantic', 'inv2543');
  const v = topVia(m);
  assert.is(v.branch, undefined);
  assert.is(v.host, 'iftgw.example.com');
  assert.is(from(m).tag, undefined);
  assert.is(maxForwards(m), undefined);
  assert.is(contentLength(m), undefined);
  // The body is everything after the empty line.
  assert.ok(m.body.equals(raw.subarray(raw.indexOf('\r\n\r\n') + 4)));
  assert.ok(m.body.toString().startsWith('v=0\r\n'));
  assert.is(sipUri(recordRoutes(m)[0]!.uri).params.get('maddr'), 'ss1.example.com');
  // Without <>, ";user=phone" is a header parameter under RFC 3261 §20.10 (RFC 2543 read it as a URI one).
  assert.is(to(m).uri, 'sip:+16505552222@ss1.example.net');
  assert.is(to(m).params.get('user'), 'phone');
  assert.is(checkRequest(m), undefined);
});

test.run();
