import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readRefer } from '../../../src/app/calls/transfer/refer-request.js';
import { parseReplaces, ReplacesError } from '../../../src/app/calls/transfer/replaces.js';
import { sipfragStatus } from '../../../src/app/calls/transfer/sipfrag.js';
import { request } from '../../support/sip-builders.js';

const refer = (headers: Array<[string, string]>, cseq = 5) => readRefer(request('REFER', { headers, cseq }));

test('Replaces: Call-ID with to-tag, from-tag and early-only, parameter names in any case (RFC 3891 §6.1)', () => {
  assert.equal(parseReplaces('98732@sip.example.com ; From-Tag=r33th4x0r;to-tag=ff87ff;early-only'), { callId: '98732@sip.example.com', fromTag: 'r33th4x0r', toTag: 'ff87ff', earlyOnly: true });
  assert.equal(parseReplaces('abc;to-tag=1;from-tag=2;x=y').earlyOnly, false);
});

test('Replaces without both tags or without a Call-ID is malformed (RFC 3891 §6.1)', () => {
  for (const v of ['abc;to-tag=1', 'abc;from-tag=2', ';to-tag=1;from-tag=2', 'abc;to-tag=;from-tag=2', ''])
    assert.throws(() => parseReplaces(v), (e: unknown) => e instanceof ReplacesError, v);
});

test('REFER: a SIP Refer-To is a blind transfer to its user part; the NOTIFY id is the REFER CSeq (RFC 3515 §2.4.6)', () => {
  const r = refer([['Refer-To', '"Carol" <sip:3000@pbx.test;user=phone>']], 17);
  assert.equal(r, { kind: 'refer', uri: 'sip:3000@pbx.test;user=phone', number: '3000', replaces: undefined, subscribe: true, id: 17 });
  assert.equal(refer([['Refer-To', 'sip:3000@pbx.test']]).kind, 'refer', 'addr-spec without brackets');
  assert.equal(refer([['r', '<tel:3000;phone-context=pbx.test>']]), { kind: 'refer', uri: 'tel:3000;phone-context=pbx.test', number: '3000', replaces: undefined, subscribe: true, id: 5 }, 'compact form r (RFC 3515 §2.1)');
});

test('REFER: a Replaces URI header (escaped) makes it attended (RFC 3891 §7.1); Refer-Sub: false turns NOTIFYs off (RFC 4488)', () => {
  const r = refer([['Refer-To', '<sip:3000@pbx.test?Replaces=a1b2%40192.0.2.11%3Bto-tag%3Dt1%3Bfrom-tag%3Df1>'], ['Refer-Sub', 'false']]);
  assert.equal(r.kind === 'refer' && [r.replaces, r.subscribe], [{ callId: 'a1b2@192.0.2.11', toTag: 't1', fromTag: 'f1', earlyOnly: false }, false]);
  assert.equal(refer([['Refer-To', '<sip:3000@pbx.test?replaces=x%3Bto-tag%3D1%3Bfrom-tag%3D2>']]).kind === 'refer', true, 'header name in any case');
});

test('REFER refusals: none or two Refer-To 400 (RFC 3515 §2.4.1), unknown scheme 416, method=BYE 501, bad Replaces 400', () => {
  const status = (h: Array<[string, string]>) => {
    const r = refer(h);
    return r.kind === 'refused' ? r.status : 0;
  };
  assert.is(status([]), 400);
  assert.is(status([['Refer-To', '<sip:1@x>'], ['Refer-To', '<sip:2@x>']]), 400);
  assert.is(status([['Refer-To', '<sip:1@x>, <sip:2@x>']]), 400);
  assert.is(status([['Refer-To', '<http://example.com/>']]), 416);
  assert.is(status([['Refer-To', '<sip:1@x;method=BYE>']]), 501);
  assert.is(status([['Refer-To', '<sip:1@x?Replaces=abc>']]), 400);
  assert.is(status([['Refer-To', 'not a uri']]), 400);
});

test('sipfrag bodies are one status line (RFC 3420, RFC 3515 §2.4.5)', () => {
  assert.is(sipfragStatus(200), 'SIP/2.0 200 OK\r\n');
  assert.is(sipfragStatus(486, 'Busy\r\nX: y'), 'SIP/2.0 486 Busy  X: y\r\n', 'no header injection through a reason phrase');
});

test.run();
