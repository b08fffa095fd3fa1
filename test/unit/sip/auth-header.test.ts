import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SipSyntaxError } from '../../../src/sip/errors.js';
import { authorizations, challenges, formatChallenge, formatCredentials, parseAuthHeader } from '../../../src/sip/headers/auth.js';
import { HeaderList, SipRequest, SipResponse } from '../../../src/sip/message.js';

test('Digest credentials: names lower-case, values unquoted and unescaped, commas inside quotes kept (RFC 7616 §3.4, RFC 3261 §20.7)', () => {
  const a = parseAuthHeader(
    'Digest username="bob", realm="biloxi.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="sip:bob@biloxi.com", ' +
      'qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41", ' +
      'Algorithm=SHA-256, x-note="a, \\"b\\" c"',
  );
  assert.is(a.scheme, 'Digest');
  assert.is(a.params.get('username'), 'bob');
  assert.is(a.params.get('uri'), 'sip:bob@biloxi.com');
  assert.is(a.params.get('nc'), '00000001');
  assert.is(a.params.get('algorithm'), 'SHA-256');
  assert.is(a.params.get('x-note'), 'a, "b" c');
  assert.is(a.params.size, 11);
});

test('a challenge keeps a quoted qop list whole (RFC 7616 §3.3)', () => {
  const c = parseAuthHeader('Digest realm="atlanta.com", domain="sip:ss1.carrier.com", qop="auth,auth-int", nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, algorithm=MD5');
  assert.is(c.params.get('qop'), 'auth,auth-int');
  assert.is(c.params.get('opaque'), '');
  assert.is(c.params.get('stale'), 'FALSE');
});

test('an unknown scheme with its own parameters parses (RFC 4475 §3.3.7); token68 forms too (RFC 7235 §2.1)', () => {
  const u = parseAuthHeader('NoOneKnowsThisScheme opaque-data=here');
  assert.equal([u.scheme, [...u.params]], ['NoOneKnowsThisScheme', [['opaque-data', 'here']]]);
  const b = parseAuthHeader('Bearer mF_9.B5f-4.1JqM==');
  assert.equal([b.scheme, b.token68, b.params.size], ['Bearer', 'mF_9.B5f-4.1JqM==', 0]);
  assert.is(parseAuthHeader('Digest').params.size, 0);
});

test('malformed credentials are refused: duplicates, missing "=", unterminated quotes, trailing junk', () => {
  for (const bad of ['Digest realm="a", realm="b"', 'Digest realm=, nonce=x', 'Digest realm="a', 'Digest realm="a" nonce="b"', '"Digest" realm=a', 'Digest realm=a,']) {
    assert.throws(() => parseAuthHeader(bad), (e: unknown) => e instanceof SipSyntaxError, bad);
  }
});

test('authorizations() reads every Authorization or Proxy-Authorization field, never splitting one on commas', () => {
  const h = new HeaderList()
    .append('Authorization', 'Digest username="a", realm="r1", nonce="n", uri="sip:x", response="0"')
    .append('Authorization', 'Digest username="b", realm="r2", nonce="n", uri="sip:x", response="1"')
    .append('Proxy-Authorization', 'Digest username="c", realm="p", nonce="n", uri="sip:x", response="2"');
  const m = new SipRequest('INVITE', 'sip:x', h);
  assert.equal(authorizations(m).map((a) => a.params.get('realm')), ['r1', 'r2']);
  assert.equal(authorizations(m, 'Proxy-Authorization').map((a) => a.params.get('username')), ['c']);
  const res = new SipResponse(401, 'Unauthorized', new HeaderList().append('WWW-Authenticate', 'Digest realm="r", nonce="n", qop="auth"'));
  assert.is(challenges(res)[0]!.params.get('qop'), 'auth');
});

test('formatChallenge quotes realm, nonce, opaque, domain and qop, and leaves algorithm and stale bare (RFC 7616 §3.3)', () => {
  const v = formatChallenge('Digest', [
    ['realm', 'pbx.example.com'], ['qop', 'auth'], ['algorithm', 'SHA-256'], ['nonce', 'a"b'], ['opaque', 'xyz'], ['stale', 'true'],
  ]);
  assert.is(v, 'Digest realm="pbx.example.com", qop="auth", algorithm=SHA-256, nonce="a\\"b", opaque="xyz", stale=true');
  const back = parseAuthHeader(v);
  assert.is(back.params.get('nonce'), 'a"b');
  assert.throws(() => formatChallenge('Digest', [['algorithm', 'SHA 256']]), (e: unknown) => e instanceof SipSyntaxError);
});

test('formatCredentials quotes username, realm, nonce, uri, response, cnonce, opaque; qop, nc and algorithm bare (RFC 7616 §3.4)', () => {
  const v = formatCredentials('Digest', [
    ['username', 'alice'], ['realm', 'r'], ['nonce', 'n'], ['uri', 'sip:r'], ['response', 'ab12'], ['algorithm', 'SHA-256'],
    ['cnonce', 'c1'], ['qop', 'auth'], ['nc', '00000001'], ['opaque', 'o'],
  ]);
  assert.is(v, 'Digest username="alice", realm="r", nonce="n", uri="sip:r", response="ab12", algorithm=SHA-256, cnonce="c1", qop=auth, nc=00000001, opaque="o"');
  assert.equal([...parseAuthHeader(v).params.keys()].length, 10);
});

test.run();
