// Known-answer tests for the Digest computation and the client helper.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { computeDigestResponse, formatNonceCount } from '../../../../src/sip/auth/digest-algorithm.js';
import { answerChallenge, pickChallenge } from '../../../../src/sip/auth/digest-client.js';
import { parseAuthHeader } from '../../../../src/sip/headers/auth.js';

// RFC 7616 §3.9.1: user Mufasa, password "Circle of Life", GET /dir/index.html.
const RFC7616 = {
  username: 'Mufasa',
  realm: 'http-auth@example.org',
  password: 'Circle of Life',
  method: 'GET',
  uri: '/dir/index.html',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  nc: '00000001',
  qop: 'auth' as const,
};
const RFC7616_OPAQUE = 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS';

test('MD5 response of the RFC 7616 §3.9.1 example is 8ca523f5e9506fed4657c9700eebdbec', () => {
  assert.is(computeDigestResponse({ ...RFC7616, algorithm: 'MD5' }), '8ca523f5e9506fed4657c9700eebdbec');
});

test('SHA-256 response of the RFC 7616 §3.9.1 example matches the RFC', () => {
  assert.is(
    computeDigestResponse({ ...RFC7616, algorithm: 'SHA-256' }),
    '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
  );
});

test('absent algorithm means MD5 (RFC 7616 §3.4); RFC 2617 §3.5 example gives 6629fae49393a05397450978507c4ef1', () => {
  assert.is(
    computeDigestResponse({
      username: 'Mufasa',
      realm: 'testrealm@host.com',
      password: 'Circle Of Life',
      method: 'GET',
      uri: '/dir/index.html',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      cnonce: '0a4f113b',
      nc: '00000001',
      qop: 'auth',
    }),
    '6629fae49393a05397450978507c4ef1',
  );
});

test('-sess variants hash nonce and cnonce into A1 (RFC 7616 §3.4.2)', () => {
  const md5 = (s: string) => createHash('md5').update(s).digest('hex');
  const ha1 = md5(`${md5('Mufasa:http-auth@example.org:Circle of Life')}:${RFC7616.nonce}:${RFC7616.cnonce}`);
  const ha2 = md5('GET:/dir/index.html');
  const expected = md5(`${ha1}:${RFC7616.nonce}:00000001:${RFC7616.cnonce}:auth:${ha2}`);
  assert.is(computeDigestResponse({ ...RFC7616, algorithm: 'MD5-sess' }), expected);
  assert.is.not(computeDigestResponse({ ...RFC7616, algorithm: 'SHA-256-sess' }), computeDigestResponse({ ...RFC7616, algorithm: 'SHA-256' }));
});

test('nc is written as 8 lower-case hex digits (RFC 7616 §3.4)', () => {
  assert.is(formatNonceCount(1), '00000001');
  assert.is(formatNonceCount(0x1ab), '000001ab');
  assert.throws(() => formatNonceCount(0));
});

const challengeOf = (algorithm: string) =>
  `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, nonce="${RFC7616.nonce}", opaque="${RFC7616_OPAQUE}"`;

test('answerChallenge reproduces the RFC 7616 §3.9.1 Authorization for SHA-256 and MD5', () => {
  for (const [algorithm, response] of [
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
  ] as const) {
    const value = answerChallenge(challengeOf(algorithm), {
      username: 'Mufasa',
      password: 'Circle of Life',
      method: 'GET',
      uri: '/dir/index.html',
      cnonce: RFC7616.cnonce,
      nc: 1,
    });
    const p = parseAuthHeader(value).params;
    assert.is(p.get('response'), response);
    assert.is(p.get('algorithm'), algorithm);
    assert.is(p.get('qop'), 'auth');
    assert.is(p.get('nc'), '00000001');
    assert.is(p.get('opaque'), RFC7616_OPAQUE);
    assert.is(p.get('username'), 'Mufasa');
    assert.match(value, /^Digest username="Mufasa", realm="http-auth@example.org", nonce="/);
    assert.match(value, /, qop=auth, nc=00000001, cnonce="/);
  }
});

test('answerChallenge refuses challenges it cannot answer', () => {
  const base = { username: 'u', password: 'p', method: 'REGISTER', uri: 'sip:x' };
  assert.throws(() => answerChallenge('Basic realm="x"', base), /Basic/);
  assert.throws(() => answerChallenge('Digest realm="x", nonce="n", algorithm=SHA-512-256', base), /unsupported/);
  assert.throws(() => answerChallenge('Digest realm="x", nonce="n", qop="auth-int"', base), /auth-int/);
});

test('pickChallenge takes the preferred algorithm among several challenges (RFC 8760 §2.4)', () => {
  const list = [parseAuthHeader(challengeOf('MD5')), parseAuthHeader(challengeOf('SHA-256'))];
  assert.is(pickChallenge(list)?.params.get('algorithm'), 'SHA-256');
  assert.is(pickChallenge(list, ['MD5'])?.params.get('algorithm'), 'MD5');
  assert.is(pickChallenge([parseAuthHeader('Basic realm="x"')]), undefined);
});

test.run();
