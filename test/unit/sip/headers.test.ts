// Typed header views: parse, format, and what they refuse.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SipSyntaxError } from '../../../src/sip/errors.js';
import {
  accept, allow, callId, contactExpires, contactInstance, contactQ, contactRegId, contacts, contentType, cseq, date, expires, formatCSeq, formatNameAddr, formatReason,
  formatSipDate, formatVia, from, maxForwards, minExpires, parseDeltaSeconds, parseMediaType, parseNameAddr,
  parseNameAddrList, parseReason, parseVia, proxyRequire, reasons, requireTags, splitList, supported, to, topVia,
  unsupported, userAgent, vias,
} from '../../../src/sip/headers/index.js';
import { HeaderList, SipRequest } from '../../../src/sip/message.js';

function req(...headers: Array<[string, string]>): SipRequest {
  const h = new HeaderList();
  for (const [n, v] of headers) h.append(n, v);
  return new SipRequest('OPTIONS', 'sip:a@b', h);
}

function refuses(f: () => unknown, why?: RegExp): void {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof SipSyntaxError, String(e));
    if (why) assert.match(e.message, why);
    return;
  }
  assert.unreachable('accepted');
}

test('Via: several via-parms per field, received, rport flag and value (RFC 3261 §20.42, RFC 3581)', () => {
  const v = parseVia('SIP/2.0/udp a.example.com:5070;branch=z9hG4bK1;rport;received=192.0.2.1 , SIP/2.0/TLS [2001:db8::1];branch=z9hG4bK2;rport=5061');
  assert.is(v.length, 2);
  assert.equal([v[0]!.transport, v[0]!.host, v[0]!.port, v[0]!.branch, v[0]!.rport, v[0]!.received], ['UDP', 'a.example.com', 5070, 'z9hG4bK1', null, '192.0.2.1']);
  assert.equal([v[1]!.host, v[1]!.port, v[1]!.rport], ['[2001:db8::1]', undefined, 5061]);
  assert.is(parseVia('SIP/2.0/UDP h;received=2001:db8::9')[0]!.received, '2001:db8::9'); // IPv6address, unbracketed
});

test('Via: formatVia writes branch, received and rport from the typed fields, other params in order', () => {
  const v = parseVia('SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bKabc;x=1')[0]!;
  v.rport = 40000;
  v.received = '203.0.113.7';
  assert.is(formatVia(v), 'SIP/2.0/UDP 10.0.0.1:5060;rport=40000;branch=z9hG4bKabc;x=1;received=203.0.113.7');
  const w = parseVia(formatVia(v))[0]!;
  assert.equal([w.rport, w.received, w.branch, w.params.get('x')], [40000, '203.0.113.7', 'z9hG4bKabc', '1']);
});

test('Via: malformed values are refused', () => {
  refuses(() => parseVia('SIP/2.0 h;branch=z9hG4bK1'));
  refuses(() => parseVia('SIP/2.0/UDP'));
  refuses(() => parseVia('SIP/2.0/UDPh'));
  refuses(() => parseVia('SIP/2.0/UDP h;;branch=1'));
  refuses(() => parseVia('SIP/2.0/UDP h,'));
  refuses(() => parseVia('SIP/2.0/UDP h;rport=x'));
  refuses(() => parseVia('SIP/2.0/UDP h;rport=70000'));
  refuses(() => parseVia('SIP/2.0/UDP h;branch="quoted"'), /branch/);
  refuses(() => parseVia('SIP/2.0/UDP h;branch=a;branch=b'), /repeated/);
  refuses(() => topVia(req(['From', '<sip:a@b>'])), /missing Via/);
});

test('vias() joins every Via field and comma list in order and caches until Via changes', () => {
  const m = req(['Via', 'SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b'], ['v', 'SIP/2.0/TCP c']);
  const first = vias(m);
  assert.equal(first.map((v) => v.host), ['a', 'b', 'c']);
  assert.is(vias(m), first);
  m.headers.prepend('Via', 'SIP/2.0/UDP z;branch=z9hG4bKz');
  assert.is(topVia(m).host, 'z');
});

test('name-addr: display names quoted or as tokens, params with tag, addr-spec without <> (RFC 3261 §20.10)', () => {
  const a = parseNameAddr(' "A \\"quoted\\" \\\\ name" <sip:a@b;lr>;tag=x1;q=0.5 ');
  assert.equal([a.displayName, a.uri, a.tag, a.params.get('q')], ['A "quoted" \\ name', 'sip:a@b;lr', 'x1', '0.5']);
  const b = parseNameAddr('Bob  Smith <sips:bob@c>');
  assert.equal([b.displayName, b.uri, b.tag], ['Bob  Smith', 'sips:bob@c', undefined]);
  const c = parseNameAddr('sip:c@d;tag=9');
  assert.equal([c.displayName, c.uri, c.tag], [undefined, 'sip:c@d', '9']);
  const d = parseNameAddr('<urn:service:sos>');
  assert.is(d.uri, 'urn:service:sos');
  const e = parseNameAddr('"" <sip:e@f>');
  assert.is(e.displayName, '');
});

test('name-addr lists split on commas outside quotes and <> (RFC 3261 §7.3.1)', () => {
  const l = parseNameAddrList('"Doe, John" <sip:j@a;x=1,2>;expires=60, <sip:k@b>;q=0.1,sip:m@c');
  assert.equal(l.map((n) => n.uri), ['sip:j@a;x=1,2', 'sip:k@b', 'sip:m@c']);
  assert.is(l[0]!.displayName, 'Doe, John');
  assert.is(l[0]!.params.get('expires'), '60');
});

test('name-addr: malformed values are refused', () => {
  refuses(() => parseNameAddr('<sip:a@b'));
  refuses(() => parseNameAddr('< sip:a@b>'));
  refuses(() => parseNameAddr('"unterminated <sip:a@b>'));
  refuses(() => parseNameAddr('Doe, John <sip:a@b>'));
  refuses(() => parseNameAddr('sip:a@b?x=y'));
  refuses(() => parseNameAddr('<sip:a@b>;tag'));
  refuses(() => parseNameAddr('<sip:a@b> junk'));
  refuses(() => parseNameAddr('<notauri>'));
  refuses(() => parseNameAddrList('<sip:a@b>,'));
});

test('formatNameAddr quotes the display name, brackets the URI and writes the tag last', () => {
  const n = parseNameAddr('Alice <sip:alice@atlanta.com>;x=1');
  n.tag = '1928301774';
  assert.is(formatNameAddr(n), '"Alice" <sip:alice@atlanta.com>;x=1;tag=1928301774');
  assert.is(formatNameAddr({ uri: 'sip:a@b', params: new Map() }), '<sip:a@b>');
  assert.is(formatNameAddr({ displayName: 'Say "hi"', uri: 'sip:a@b', params: new Map() }), '"Say \\"hi\\"" <sip:a@b>');
  const back = parseNameAddr(formatNameAddr(n));
  assert.equal([back.displayName, back.uri, back.tag, back.params.get('x')], ['Alice', 'sip:alice@atlanta.com', '1928301774', '1']);
});

test('From/To/Contact accessors: required ones throw when missing, Contact is [] or "*" (RFC 3261 §10.2.2)', () => {
  const m = req(['f', '<sip:a@b>;tag=1'], ['Contact', '*']);
  assert.is(from(m).tag, '1');
  refuses(() => to(m), /missing To/);
  assert.is(contacts(m), '*');
  assert.equal(contacts(req()), []);
  refuses(() => contacts(req(['Contact', '*'], ['Contact', '<sip:a@b>'])));
  const two = contacts(req(['m', '<sip:a@b>'], ['Contact', '<sip:c@d>, <sip:e@f>']));
  assert.equal(two === '*' ? [] : two.map((c) => c.uri), ['sip:a@b', 'sip:c@d', 'sip:e@f']);
});

test('CSeq: number up to 2**32-1 with bounded work, method token (RFC 3261 §20.16)', () => {
  assert.equal(cseq(req(['CSeq', '4294967295 INVITE'])), { seq: 4294967295, method: 'INVITE' });
  assert.equal(cseq(req(['CSeq', '000000000000000000007 ACK'])), { seq: 7, method: 'ACK' });
  refuses(() => cseq(req(['CSeq', '4294967296 INVITE'])));
  refuses(() => cseq(req(['CSeq', '1INVITE'])));
  refuses(() => cseq(req(['CSeq', '-1 INVITE'])));
  refuses(() => cseq(req(['CSeq', '1 INVITE x'])));
  refuses(() => cseq(req()), /missing CSeq/);
  assert.is(formatCSeq({ seq: 5, method: 'BYE' }), '5 BYE');
});

test('Call-ID: word [ "@" word ], no whitespace (RFC 3261 §20.8)', () => {
  assert.is(callId(req(['i', 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com'])), 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com');
  refuses(() => callId(req(['Call-ID', 'a b'])));
  refuses(() => callId(req(['Call-ID', 'a@b@c'])));
  refuses(() => callId(req(['Call-ID', '@b'])));
  refuses(() => callId(req(['Call-ID', ''])));
  refuses(() => callId(req()), /missing Call-ID/);
});

test('Max-Forwards 0-255, Expires and Min-Expires as delta-seconds clamped to 2**32-1 (RFC 3261 §20.22, §20.19)', () => {
  assert.is(maxForwards(req(['Max-Forwards', '0'])), 0);
  assert.is(maxForwards(req()), undefined);
  refuses(() => maxForwards(req(['Max-Forwards', '256'])));
  refuses(() => maxForwards(req(['Max-Forwards', 'ten'])));
  assert.is(expires(req(['Expires', '3600'])), 3600);
  assert.is(expires(req(['Expires', '1'.repeat(100)])), 4294967295);
  assert.is(expires(req()), undefined);
  refuses(() => expires(req(['Expires', 'Thu, 01 Dec 1994 16:00:00 GMT'])));
  assert.is(minExpires(req(['Min-Expires', '60'])), 60);
  assert.is(parseDeltaSeconds(' 0042 '), 42);
});

test('option tags: Supported, Require, Proxy-Require, Unsupported and Allow lists (RFC 3261 §19.2)', () => {
  const m = req(['k', '100rel, timer'], ['Supported', 'replaces'], ['Require', 'timer'], ['Proxy-Require', 'sec-agree'], ['Allow', 'INVITE,ACK , BYE']);
  assert.equal(supported(m), ['100rel', 'timer', 'replaces']);
  assert.equal(requireTags(m), ['timer']);
  assert.equal(proxyRequire(m), ['sec-agree']);
  assert.equal(allow(m), ['INVITE', 'ACK', 'BYE']);
  assert.equal(supported(req(['Supported', ''])), []);
  assert.equal(unsupported(req()), []);
  refuses(() => requireTags(req(['Require', 'a b'])));
});

test('Content-Type and Accept: lower-case type/subtype, parameters kept (RFC 3261 §20.15, §20.1)', () => {
  const ct = contentType(req(['c', 'Multipart/Mixed ; boundary="a b"']))!;
  assert.equal([ct.type, ct.subtype, ct.params.get('boundary')], ['multipart', 'mixed', '"a b"']);
  assert.is(contentType(req()), undefined);
  refuses(() => parseMediaType('application'));
  assert.equal(accept(req(['Accept', 'application/sdp;level=1, */*;q=0.1']))!.map((r) => `${r.type}/${r.subtype}`), ['application/sdp', '*/*']);
  assert.equal(accept(req(['Accept', ''])), []);
  assert.is(accept(req()), undefined);
});

test('Reason: protocol, cause and text, several values (RFC 3326 §2)', () => {
  const r = reasons(req(['Reason', 'SIP ;cause=200 ;text="Call completed elsewhere", Q.850;cause=16']));
  assert.equal(r.map((x) => [x.protocol, x.cause, x.text]), [['SIP', 200, 'Call completed elsewhere'], ['Q.850', 16, undefined]]);
  assert.is(formatReason({ protocol: 'SIP', cause: 487, text: 'Request "Terminated"' }), 'SIP;cause=487;text="Request \\"Terminated\\""');
  assert.equal(parseReason(formatReason({ protocol: 'Q.850', cause: 31 }))[0]!.cause, 31);
  refuses(() => parseReason('SIP;cause'));
});

test('Date: RFC 1123 in GMT only (RFC 3261 §20.17)', () => {
  assert.is(date(req(['Date', 'Sat, 13 Nov 2010 23:29:00 GMT'])), Date.UTC(2010, 10, 13, 23, 29, 0));
  refuses(() => date(req(['Date', 'Fri, 01 Jan 2010 16:00:00 EST'])));
  refuses(() => date(req(['Date', 'Fri, 01 Jan 2010 25:00:00 GMT'])));
  assert.is(formatSipDate(Date.UTC(2010, 10, 13, 23, 29, 0)), 'Sat, 13 Nov 2010 23:29:00 GMT');
});

test('splitList splits comma lists only outside quotes and angle brackets', () => {
  assert.equal(splitList('a, "b,c" , <d,e>;x=1,, f'), ['a', '"b,c"', '<d,e>;x=1', 'f']);
  assert.equal(splitList('"\\",", g'), ['"\\","', 'g']);
});

test('Contact parameters for the registrar: expires, q, +sip.instance, reg-id (RFC 3261 §20.10, RFC 5626 §4.1)', () => {
  const [c] = parseNameAddrList('<sip:a@192.0.2.4>;expires=3600;q=0.7;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>";reg-id=1');
  assert.equal([contactExpires(c!), contactQ(c!), contactInstance(c!), contactRegId(c!)], [3600, 0.7, '<urn:uuid:00000000-0000-1000-8000-000A95A0E128>', 1]);
  const [bare] = parseNameAddrList('<sip:a@b>');
  assert.equal([contactExpires(bare!), contactQ(bare!), contactInstance(bare!), contactRegId(bare!)], [undefined, undefined, undefined, undefined]);
  // RFC 4475 §3.1.2.4: an overlarge expires is clamped, so the registrar's maximum applies.
  assert.is(contactExpires(parseNameAddrList('<sip:a@b>;expires=280297596632815')[0]!), 4294967295);
  for (const q of ['1.5', '2', '0.1234', 'x', '.5']) refuses(() => contactQ(parseNameAddrList(`<sip:a@b>;q=${q}`)[0]!));
  assert.is(contactQ(parseNameAddrList('<sip:a@b>;q=1.000')[0]!), 1);
  refuses(() => contactExpires(parseNameAddrList('<sip:a@b>;expires=soon')[0]!));
  refuses(() => contactRegId(parseNameAddrList('<sip:a@b>;reg-id=0')[0]!));
});

test('User-Agent is kept as written', () => {
  assert.is(userAgent(req(['User-Agent', 'Softphone Beta1.5 (comment, with comma)'])), 'Softphone Beta1.5 (comment, with comma)');
});

test.run();
