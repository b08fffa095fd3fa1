// RFC 4475 §3.1.1: valid messages a robust parser accepts, with the values the RFC points out.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { callId } from '../../../src/sip/headers/call-id.js';
import { accept, contentType } from '../../../src/sip/headers/content-type.js';
import { contentLength } from '../../../src/sip/headers/content-length.js';
import { cseq } from '../../../src/sip/headers/cseq.js';
import { maxForwards } from '../../../src/sip/headers/max-forwards.js';
import { contacts, from, routes, to, type NameAddr } from '../../../src/sip/headers/name-addr.js';
import { vias } from '../../../src/sip/headers/via.js';
import { parseUri, requestUri, sipUriEquals, type SipUri } from '../../../src/sip/uri.js';
import { parsedRequest, parsedResponse, vectorBytes, vectorNames } from './vectors.js';

function sipUri(s: string): SipUri {
  const u = parseUri(s);
  if (u.scheme === 'tel') throw new Error('expected a SIP URI');
  return u;
}

function contactList(m: Parameters<typeof contacts>[0]): NameAddr[] {
  const c = contacts(m);
  if (c === '*') throw new Error('unexpected wildcard');
  return c;
}

test('every file in valid/ has a test below', () => {
  assert.equal(vectorNames('valid'), [
    'dblreq', 'esc01', 'esc02', 'escnull', 'intmeth', 'longreq', 'lwsdisp', 'mpart01',
    'noreason', 'semiuri', 'transports', 'unreason', 'wsinv',
  ]);
});

test('wsinv: folded lines, odd whitespace, compact and mixed-case names parse to the intended values (RFC 4475 §3.1.1.1)', () => {
  const m = parsedRequest('valid', 'wsinv');
  assert.is(m.method, 'INVITE');
  assert.equal(sipUri(m.uri).params.get('unknownparam'), null);
  const t = to(m);
  assert.is(t.uri, 'sip:vivekg@chair-dnrc.example.com');
  assert.is(t.tag, '1918181833n');
  const f = from(m);
  assert.is(f.displayName, 'J Rosenberg \\"');
  assert.is(f.uri, 'sip:jdrosen@example.com');
  assert.is(f.tag, '98asjd8');
  assert.is(maxForwards(m), 68); // "0068": leading zeros
  assert.equal(cseq(m), { seq: 9, method: 'INVITE' }); // "0009" folded onto the next line
  assert.is(callId(m), 'wsinv.ndaksdj@192.0.2.1');
  assert.is(contentLength(m), 150);
  assert.is(m.body.length, 150);
  const v = vias(m);
  assert.equal(
    v.map((x) => [x.protocol, x.transport, x.host, x.branch]),
    [
      ['SIP/2.0', 'UDP', '192.0.2.2', '390skdjuw'],
      ['SIP/2.0', 'TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['SIP/2.0', 'UDP', '192.168.255.111', 'z9hG4bK30239'],
    ],
  );
  assert.is(m.headers.get('Subject'), ''); // "s :" with nothing after it
  assert.is(m.headers.get('NewFangledHeader'), 'newfangled value continued newfangled value');
  assert.is(m.headers.get('UnknownHeaderWithUnusualValue'), ';;,,;;,;');
  const r = sipUri(routes(m)[0]!.uri);
  assert.equal([...r.params], [['lr', null], ['unknownwith', 'value'], ['unknown-no-value', null]]);
  const c = contactList(m)[0]!;
  assert.is(c.displayName, 'Quoted string ""');
  assert.equal([...c.params], [['newparam', 'newvalue'], ['secondparam', null], ['q', '0.33']]);
});

test('intmeth: every character the grammar allows in method, URI, tokens and words is accepted (RFC 4475 §3.1.1.2)', () => {
  const m = parsedRequest('valid', 'intmeth');
  const method = "!interesting-Method0123456789_*+`.%indeed'~";
  assert.is(m.method, method);
  assert.equal(cseq(m), { seq: 139122385, method });
  const u = sipUri(m.uri);
  assert.is(u.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  assert.is(u.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  assert.is(u.host, 'example.com');
  assert.is(vias(m)[0]!.branch, "z9hG4bK-.!%66*_+`'~");
  assert.is(to(m).displayName, 'BEL:\x07 NUL:\x00 DEL:\x7f');
  const f = from(m);
  assert.is(f.displayName, "token1~` token2'+_ token3*%!.-");
  assert.is(f.params.get("fromparam''~+*_!.-%"), '"работающий"');
  assert.is(f.tag, "_token~1'+`*%!-.");
  assert.is(callId(m), "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
  assert.is(maxForwards(m), 255);
  assert.is(m.headers.get("extensionHeader-!.%*+_`'~"), '\ufeff大停電');
});

test('esc01: escaped characters in the Request-URI user part decode to sips:user@example.com, not to a SIPS URI (RFC 4475 §3.1.1.3)', () => {
  const m = parsedRequest('valid', 'esc01');
  const ruri = requestUri(m) as SipUri;
  assert.is(ruri.scheme, 'sip');
  assert.is(ruri.user, 'sips:user@example.com');
  assert.is(ruri.host, 'example.net');
  assert.is(sipUri(to(m).uri).user, 'user');
  assert.is(sipUri(from(m).uri).user, 'I have spaces');
  const c = sipUri(contactList(m)[0]!.uri);
  assert.is(c.user, 'caller');
  assert.equal([...c.params], [['lr', null], ['name', 'value%41']]);
  // §19.1.4: escaped and unescaped forms are the same URI.
  assert.ok(sipUriEquals(c, sipUri('sip:caller@host5.example.net;lr;name=value%2541')));
  assert.is(contentType(m)?.subtype, 'sdp'); // "C:" compact form
});

test('escnull: %00 in user parts decodes to a NUL character (RFC 4475 §3.1.1.4)', () => {
  const m = parsedRequest('valid', 'escnull');
  assert.is(sipUri(to(m).uri).user, 'null-\0-null');
  assert.is(sipUri(from(m).uri).user, 'null-\0-null');
  assert.equal(contactList(m).map((c) => sipUri(c.uri).user), ['\0', '\0\0']);
});

test('esc02: % outside URIs is not an escape: the method is not REGISTER and C%6Fntact is not Contact (RFC 4475 §3.1.1.5)', () => {
  const m = parsedRequest('valid', 'esc02');
  assert.is(m.method, 'RE%47IST%45R');
  assert.is.not(m.method, 'REGISTER');
  assert.is(to(m).displayName, '%Z%45');
  assert.is(from(m).displayName, '%Z%45');
  assert.equal(contactList(m).map((c) => c.uri), ['sip:alias1@host1.example.com', 'sip:alias3@host3.example.com']);
  assert.is(m.headers.get('C%6Fntact'), '<sip:alias2@host2.example.com>');
  assert.is(vias(m)[0]!.branch, 'z9hG4bK209%fzsnel234');
});

test('lwsdisp: no LWS between display name and < is accepted (RFC 4475 §3.1.1.6)', () => {
  const f = from(parsedRequest('valid', 'lwsdisp'));
  assert.is(f.displayName, 'caller');
  assert.is(f.uri, 'sip:caller@example.com');
  assert.is(f.tag, '323');
});

test('longreq: long names, values, parameters and 34 Via values all survive (RFC 4475 §3.1.1.7)', () => {
  const m = parsedRequest('valid', 'longreq');
  const t = to(m);
  assert.is(t.displayName, `I have a user name of ${'extreme'.repeat(10)} proportion`);
  const tu = sipUri(t.uri);
  assert.is(tu.port, 6000);
  assert.is(tu.params.get('unknownparam1'), `very${'long'.repeat(20)}value`);
  assert.is(tu.params.get(`longparam${'name'.repeat(25)}`), 'shortvalue');
  assert.is(tu.params.get(`very${'long'.repeat(25)}parameternamewithnovalue`), null);
  const f = from(m);
  assert.is(sipUri(f.uri).user, 'amazinglylongcallername'.repeat(5));
  assert.is(f.tag, `12${'982'.repeat(50)}424`);
  assert.is(f.params.get(`unknownheaderparam${'name'.repeat(20)}`), `unknowheaderparam${'value'.repeat(15)}`);
  assert.is(f.params.get(`unknownvalueless${'paramname'.repeat(10)}`), null);
  assert.is(callId(m), `longreq.one${'really'.repeat(20)}longcallid`);
  const v = vias(m);
  assert.is(v.length, 34);
  for (let i = 0; i < 33; i++) assert.is(v[i]!.host, `sip${33 - i}.example.com`);
  assert.is(v[33]!.received, '192.0.2.5');
  assert.is(v[33]!.branch, `very${'long'.repeat(50)}branchvalue`);
  assert.is(sipUri(contactList(m)[0]!.uri).user, 'amazinglylongcallername'.repeat(5));
  assert.is(m.body.length, 150);
});

test('dblreq: octets after Content-Length in a datagram are discarded; it is a REGISTER, not the INVITE behind it (RFC 4475 §3.1.1.8)', () => {
  const m = parsedRequest('valid', 'dblreq');
  assert.is(m.method, 'REGISTER');
  assert.is(m.body.length, 0);
  assert.is(callId(m), 'dblreq.0ha0isndaksdj99sdfafnl3lk233412'); // compact "I:"
  assert.ok(vectorBytes('valid', 'dblreq').includes('INVITE sip:joe@example.com'));
});

test('semiuri: a semicolon in the user part belongs to the user, which is "user;par=u@example.net" (RFC 4475 §3.1.1.9)', () => {
  const m = parsedRequest('valid', 'semiuri');
  const u = requestUri(m) as SipUri;
  assert.is(u.user, 'user;par=u@example.net');
  assert.is(u.host, 'example.com');
  assert.is(u.params.size, 0);
  // The folded Accept is one list of six ranges.
  assert.equal(accept(m)!.map((r) => `${r.type}/${r.subtype}`), [
    'application/sdp', 'application/pkcs7-mime', 'multipart/mixed', 'multipart/signed', 'message/sip', 'message/sipfrag',
  ]);
});

test('transports: known and unknown Via transports parse, upper-cased (RFC 4475 §3.1.1.10)', () => {
  const v = vias(parsedRequest('valid', 'transports'));
  assert.equal(v.map((x) => x.transport), ['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
  assert.equal(v.map((x) => x.host), ['t1.example.com', 't2.example.com', 't3.example.com', 't4.example.com', 't5.example.com']);
});

test('mpart01: a multipart body with binary parts is taken octet for octet, Content-Length long (RFC 4475 §3.1.1.11)', () => {
  const raw = vectorBytes('valid', 'mpart01');
  const m = parsedRequest('valid', 'mpart01');
  assert.is(contentLength(m), 553);
  assert.is(m.body.length, 553);
  assert.ok(m.body.equals(raw.subarray(raw.indexOf('\r\n\r\n') + 4)));
  const ct = contentType(m)!;
  assert.equal([ct.type, ct.subtype, ct.params.get('boundary')], ['multipart', 'mixed', '7a9cbec02ceef655']);
  assert.ok(m.body.subarray(0, 20).toString('latin1').startsWith('--7a9cbec02ceef655'));
  assert.is(vias(m)[0]!.rport, null); // RFC 3581 flag
});

test('unreason: a reason phrase with unreserved and UTF-8 characters is kept as sent (RFC 4475 §3.1.1.12)', () => {
  const m = parsedResponse('valid', 'unreason');
  assert.is(m.status, 200);
  assert.is(m.reason, '= 2**3 * 5**2 но сто девяносто девять - простое');
  assert.is(m.body.length, 154);
});

test('noreason: an empty reason phrase is accepted (RFC 4475 §3.1.1.13)', () => {
  const m = parsedResponse('valid', 'noreason');
  assert.is(m.status, 100);
  assert.is(m.reason, '');
});

test.run();
