// Stateless nonces (RFC 7616 §3.3, §5.4), the nonce-count tracker and the digest hash caches.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHmac, randomBytes } from 'node:crypto';
import { digestHa1 } from '../../../../src/sip/auth/digest-algorithm.js';
import { DigestHashCache } from '../../../../src/sip/auth/digest-hash-cache.js';
import { NonceCountTracker } from '../../../../src/sip/auth/nonce-count.js';
import { NONCE_LENGTH, NonceIssuer } from '../../../../src/sip/auth/nonce.js';

const T = 1_700_000_000_000;

test('the nonce MAC is HMAC-SHA-256 (RFC 2104), for short and long keys', () => {
  for (const len of [16, 32, 64, 100]) {
    const key = randomBytes(len);
    const issuer = new NonceIssuer(key);
    const buf = Buffer.from(issuer.issue(T), 'base64url');
    assert.equal(issuer.mac(buf), createHmac('sha256', key).update(buf.subarray(0, 10)).digest(), `key of ${len} bytes`);
  }
});

test('a nonce carries its issue time and only its issuer accepts it', () => {
  const issuer = new NonceIssuer();
  const n = issuer.issue(T + 123);
  assert.is(n.length, NONCE_LENGTH);
  assert.match(n, /^[A-Za-z0-9_-]+$/);
  assert.is(issuer.issuedAt(n), T + 123);
  assert.is(new NonceIssuer().issuedAt(n), undefined);
  assert.is(issuer.issuedAt(n.slice(1)), undefined);
  assert.is(issuer.issuedAt('x'.repeat(NONCE_LENGTH)), undefined);
});

test('consecutive nonces differ even within one millisecond', () => {
  const issuer = new NonceIssuer();
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) seen.add(issuer.issue(T));
  assert.is(seen.size, 1000);
});

test('a second spelling of a valid nonce (unused base64 bits) is refused, so it cannot get a count record of its own', () => {
  const issuer = new NonceIssuer();
  const n = issuer.issue(T);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(n[n.length - 1]!);
  const twin = n.slice(0, -1) + alphabet[last ^ 1];
  assert.ok(Buffer.from(twin, 'base64url').equals(Buffer.from(n, 'base64url')), 'the twin decodes to the same bytes');
  assert.is(issuer.issuedAt(twin), undefined);
});

test('the nonce-count tracker accepts rising counts, refuses repeats and forgets expired records', () => {
  const t = new NonceCountTracker(10);
  assert.is(t.accept('a', 1, T, T + 300_000, T), 'fresh');
  assert.is(t.accept('a', 1, T, T + 300_000, T), 'replay');
  assert.is(t.accept('a', 3, T, T + 300_000, T), 'fresh');
  assert.is(t.accept('a', 2, T, T + 300_000, T), 'replay');
  assert.is(t.issuedAt('a'), T);
  t.accept('b', 1, T + 1, T + 300_001, T + 1);
  t.accept('c', 1, T + 400_000, T + 700_000, T + 400_000); // a and b have expired by now
  assert.is(t.size, 1);
});

test('H(A1) is cached per user until the secret changes; unknown users get a dummy that matches nothing', () => {
  const c = new DigestHashCache('pbx.local');
  assert.is(c.ha1('md5', '1001', 'one'), digestHa1('md5', '1001', 'pbx.local', 'one'));
  assert.is(c.ha1('md5', '1001', 'two'), digestHa1('md5', '1001', 'pbx.local', 'two'));
  assert.is(c.ha1('sha256', '1001', 'two'), digestHa1('sha256', '1001', 'pbx.local', 'two'));
  const dummy = c.ha1('md5', '7777', undefined);
  assert.is(dummy.length, 32);
  assert.is(c.ha1('md5', '8888', undefined), dummy);
  assert.is.not(dummy, digestHa1('md5', '7777', 'pbx.local', ''));
});

test.run();
