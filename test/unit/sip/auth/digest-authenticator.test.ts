// Server-side Digest: challenges, verification, nonces (stale, restart, forgery), nonce-count
// replay, no user enumeration, disabled devices, Proxy-Authorization.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DigestAuthenticator, type CredentialLookup } from '../../../../src/sip/auth/digest-authenticator.js';
import { answerChallenge } from '../../../../src/sip/auth/digest-client.js';
import { NONCE_LENGTH } from '../../../../src/sip/auth/nonce.js';
import { responseToTag } from '../../../../src/sip/auth/response-tag.js';
import { statelessToTag } from '../../../../src/sip/response.js';
import { parseAuthHeader } from '../../../../src/sip/headers/auth.js';
import type { SipResponse } from '../../../../src/sip/message.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { LocalHosts } from '../../../../src/sip/local-hosts.js';
import { parsedRequest } from '../vectors.js';
import { register } from '../registrar/register-request.js';

const ACCOUNTS: Record<string, { secret: string; enabled: boolean }> = {
  '1001': { secret: 'secret-1001', enabled: true },
  '1009': { secret: 'secret-1009', enabled: false },
};
const lookup: CredentialLookup = (u) => ACCOUNTS[u];
const DEFAULT = ['MD5', 'SHA-256'];

function setup(over: Partial<ConstructorParameters<typeof DigestAuthenticator>[0]> = {}) {
  const clock = new FakeClock();
  const auth = new DigestAuthenticator({ realm: 'pbx.local', lookup, clock, ...over });
  return { clock, auth };
}

function challengeFor(auth: DigestAuthenticator, algorithm = 'MD5', res?: SipResponse): string {
  const r = res ?? auth.challenge(register());
  const v = r.headers.getAll('WWW-Authenticate').find((c) => parseAuthHeader(c).params.get('algorithm') === algorithm);
  if (!v) throw new Error(`no ${algorithm} challenge`);
  return v;
}

function answered(challenge: string, user = '1001', password = 'secret-1001', nc = 1, extra: Parameters<typeof register>[0] = {}) {
  const authorization = answerChallenge(challenge, { username: user, password, method: 'REGISTER', uri: 'sip:pbx.local', cnonce: 'cn0nce', nc });
  return register({ authorization, cseq: 2, ...extra });
}

test('challenges offer MD5 then SHA-256 as separate fields with qop="auth", opaque and the realm (RFC 8760 §2.4)', () => {
  const { auth } = setup();
  const res = auth.challenge(register());
  assert.is(res.status, 401);
  const values = res.headers.getAll('WWW-Authenticate');
  assert.is(values.length, 2);
  const [md5, sha] = values.map(parseAuthHeader);
  assert.is(md5!.params.get('algorithm'), 'MD5');
  assert.is(sha!.params.get('algorithm'), 'SHA-256');
  for (const c of [md5!, sha!]) {
    assert.is(c.scheme, 'Digest');
    assert.is(c.params.get('realm'), 'pbx.local');
    assert.is(c.params.get('qop'), 'auth');
    assert.ok(c.params.get('opaque'));
    assert.is(c.params.get('nonce')!.length, NONCE_LENGTH);
    assert.not.ok(c.params.has('stale'));
  }
  assert.match(values[0]!, /qop="auth"/); // quoted, as RFC 7616 §3.3 writes it
  assert.ok(res.headers.get('To')!.includes(';tag='));
});

test('the challenge order follows the configuration', () => {
  const { auth } = setup({ algorithms: ['SHA-256', 'MD5'] });
  const algos = auth.challenge(register()).headers.getAll('WWW-Authenticate').map((v) => parseAuthHeader(v).params.get('algorithm'));
  assert.equal(algos, ['SHA-256', 'MD5']);
  const only = setup({ algorithms: ['SHA-256'] }).auth.challenge(register()).headers.getAll('WWW-Authenticate');
  assert.is(only.length, 1);
});

test('a request without credentials is challenged, no failure (RFC 3261 §22.2)', () => {
  const { auth } = setup();
  assert.equal(auth.authenticate(register()), { kind: 'challenge', stale: false, algorithms: DEFAULT });
});

test('correct MD5 and SHA-256 responses authenticate (RFC 7616 §3.4.1)', () => {
  for (const algorithm of ['MD5', 'SHA-256']) {
    const { auth } = setup();
    const out = auth.authenticate(answered(challengeFor(auth, algorithm)));
    assert.equal(out, { kind: 'authenticated', username: '1001', algorithm });
  }
});

test('the -sess variant of an offered algorithm is accepted (RFC 7616 §3.4.2)', () => {
  const { auth } = setup();
  const ch = challengeFor(auth, 'SHA-256').replace('algorithm=SHA-256', 'algorithm=SHA-256-sess');
  assert.equal(auth.authenticate(answered(ch)), { kind: 'authenticated', username: '1001', algorithm: 'SHA-256-sess' });
});

test('credentials in an algorithm that was not offered are refused like a wrong password, before hashing (RFC 8760 §2.4)', () => {
  const { auth } = setup({ algorithms: ['SHA-256'] });
  const ch = challengeFor(auth, 'SHA-256').replace('algorithm=SHA-256', 'algorithm=MD5');
  assert.equal(auth.authenticate(answered(ch)), { kind: 'failed', reason: 'algorithm-not-offered', username: '1001', status: 401, algorithms: ['SHA-256'] });
  // An unknown user gets the same answer (only the operator's reason differs).
  assert.equal(auth.authenticate(answered(ch, '7777')), { kind: 'failed', reason: 'unknown-user', username: '7777', status: 401, algorithms: ['SHA-256'] });
});

test('credentials in an algorithm this stack cannot compute are ignored and challenged', () => {
  const { auth } = setup();
  const ch = challengeFor(auth, 'SHA-256').replace('algorithm=SHA-256', 'algorithm=SHA-512-256');
  const authorization = `Digest username="1001", realm="pbx.local", nonce="${parseAuthHeader(ch).params.get('nonce')}", uri="sip:pbx.local", ` +
    `response="${'a'.repeat(64)}", algorithm=SHA-512-256, qop=auth, nc=00000001, cnonce="x"`;
  assert.equal(auth.authenticate(register({ authorization })), { kind: 'challenge', stale: false, algorithms: DEFAULT });
});

test('a secret changed by the operator is in force on the very next request (H(A1) cache)', () => {
  const accounts: Record<string, { secret: string; enabled: boolean }> = { '1001': { secret: 'old', enabled: true } };
  const { auth } = setup({ lookup: (u) => accounts[u] });
  const ch = challengeFor(auth);
  assert.is(auth.authenticate(answered(ch, '1001', 'old', 1)).kind, 'authenticated');
  accounts['1001'] = { secret: 'new', enabled: true };
  assert.is(auth.authenticate(answered(ch, '1001', 'old', 2)).kind, 'failed');
  assert.is(auth.authenticate(answered(ch, '1001', 'new', 3)).kind, 'authenticated');
});

test('a wrong password fails with 401 and the username tried', () => {
  const { auth } = setup();
  const out = auth.authenticate(answered(challengeFor(auth), '1001', 'guess'));
  assert.equal(out, { kind: 'failed', reason: 'wrong-password', username: '1001', status: 401, algorithms: DEFAULT });
});

test('an unknown user gets the very same answer as a wrong password: no user enumeration', () => {
  const { auth } = setup();
  const ch = challengeFor(auth);
  const unknown = auth.authenticate(answered(ch, '7777', 'guess'));
  const known = auth.authenticate(answered(ch, '1001', 'guess', 2));
  assert.is(unknown.kind, 'failed');
  assert.is(known.kind, 'failed');
  if (unknown.kind !== 'failed' || known.kind !== 'failed') return;
  assert.is(unknown.status, known.status);
  assert.is(unknown.reason, 'unknown-user'); // for the operator's log only
  // The responses a client sees: same status, same header names, same challenge shape.
  const shape = (r: SipResponse) => ({
    status: r.status,
    reason: r.reason,
    names: [...r.headers].map(([n]) => n),
    challenges: r.headers.getAll('WWW-Authenticate').map((v) => v.replace(/nonce="[^"]*"/, 'nonce=""')),
  });
  assert.equal(shape(auth.challenge(answered(ch, '7777', 'guess'))), shape(auth.challenge(answered(ch, '1001', 'guess'))));
});

test('an unknown user whose password guess happens to be any known secret still fails', () => {
  const { auth } = setup();
  const out = auth.authenticate(answered(challengeFor(auth), '7777', 'secret-1001'));
  assert.is(out.kind, 'failed');
});

test('a disabled device with the right password is refused (403 in the guard), with a wrong one it simply fails', () => {
  const { auth } = setup();
  const ch = challengeFor(auth);
  assert.equal(auth.authenticate(answered(ch, '1009', 'secret-1009')), { kind: 'disabled', username: '1009' });
  assert.is(auth.authenticate(answered(ch, '1009', 'nope', 2)).kind, 'failed');
});

test('an expired nonce with the right password is answered stale=true, no failure (RFC 7616 §3.3)', () => {
  const { auth, clock } = setup({ nonceLifetime: 300 });
  const ch = challengeFor(auth);
  clock.advance(299_000);
  assert.is(auth.authenticate(answered(ch)).kind, 'authenticated');
  clock.advance(2_000);
  assert.equal(auth.authenticate(answered(ch, '1001', 'secret-1001', 2)), { kind: 'challenge', stale: true, algorithms: DEFAULT });
  const res = auth.challenge(register(), { stale: true });
  for (const v of res.headers.getAll('WWW-Authenticate')) assert.match(v, /, stale=true$/);
});

test('an expired nonce with a wrong password is a failure, not stale', () => {
  const { auth, clock } = setup();
  const ch = challengeFor(auth);
  clock.advance(400_000);
  assert.is(auth.authenticate(answered(ch, '1001', 'wrong')).kind, 'failed');
});

test('after a restart (new nonce key) old nonces are stale for the right password and failures for a wrong one', () => {
  const first = setup();
  const ch = challengeFor(first.auth);
  const restarted = new DigestAuthenticator({ realm: 'pbx.local', lookup, clock: first.clock });
  assert.equal(restarted.authenticate(answered(ch)), { kind: 'challenge', stale: true, algorithms: DEFAULT });
  assert.is(restarted.authenticate(answered(ch, '1001', 'wrong')).kind, 'failed');
});

test('a forged nonce (right length, bad MAC) is never valid, even with the right password', () => {
  const { auth } = setup();
  const ch = challengeFor(auth);
  const nonce = parseAuthHeader(ch).params.get('nonce')!;
  const flipped = nonce.slice(0, 10) + (nonce[10] === 'A' ? 'B' : 'A') + nonce.slice(11);
  assert.equal(auth.authenticate(answered(ch.replace(nonce, flipped))), { kind: 'challenge', stale: true, algorithms: DEFAULT });
});

test('a replayed nonce count is refused as a failure; higher counts on the same nonce pass (RFC 7616 §5.5)', () => {
  const { auth } = setup();
  const ch = challengeFor(auth);
  const first = answered(ch, '1001', 'secret-1001', 1);
  assert.is(auth.authenticate(first).kind, 'authenticated');
  assert.equal(auth.authenticate(first), { kind: 'failed', reason: 'replay', username: '1001', status: 401, algorithms: DEFAULT });
  assert.is(auth.authenticate(answered(ch, '1001', 'secret-1001', 2)).kind, 'authenticated');
  assert.is(auth.authenticate(answered(ch, '1001', 'secret-1001', 5)).kind, 'authenticated');
  assert.is(auth.authenticate(answered(ch, '1001', 'secret-1001', 3)).kind, 'failed');
});

test('each challenge carries its own nonce, so counts of two phones never collide', () => {
  const { auth } = setup();
  const a = challengeFor(auth);
  const b = challengeFor(auth);
  assert.is.not(parseAuthHeader(a).params.get('nonce'), parseAuthHeader(b).params.get('nonce'));
  assert.is(auth.authenticate(answered(a)).kind, 'authenticated');
  assert.is(auth.authenticate(answered(b)).kind, 'authenticated');
});

test('a nonce-count record pushed out by the cap makes its nonce stale, never replayable', () => {
  const { auth, clock } = setup({ maxTrackedNonces: 2 });
  const old = challengeFor(auth);
  const oldReq = answered(old);
  assert.is(auth.authenticate(oldReq).kind, 'authenticated');
  for (let i = 0; i < 2; i++) {
    clock.advance(1);
    assert.is(auth.authenticate(answered(challengeFor(auth))).kind, 'authenticated');
  }
  assert.equal(auth.authenticate(oldReq), { kind: 'challenge', stale: true, algorithms: DEFAULT });
});

test('the digest uri must match the Request-URI: 400 and a failure (RFC 7616 §3.4.6)', () => {
  const { auth } = setup();
  const authorization = answerChallenge(challengeFor(auth), { username: '1001', password: 'secret-1001', method: 'REGISTER', uri: 'sip:other.example', nc: 1 });
  assert.equal(auth.authenticate(register({ authorization })), { kind: 'failed', reason: 'uri-mismatch', username: '1001', status: 400, algorithms: DEFAULT });
  // An equal URI written differently (host case, RFC 3261 §19.1.4) is the same resource.
  const same = answerChallenge(challengeFor(auth), { username: '1001', password: 'secret-1001', method: 'REGISTER', uri: 'sip:PBX.local', nc: 1 });
  assert.is(auth.authenticate(register({ authorization: same })).kind, 'authenticated');
});

test('credentials for another realm are ignored and challenged (RFC 3261 §22.1)', () => {
  const { auth } = setup();
  const ch = challengeFor(auth).replace('realm="pbx.local"', 'realm="elsewhere"');
  assert.equal(auth.authenticate(answered(ch)), { kind: 'challenge', stale: false, algorithms: DEFAULT });
});

test('credentials without qop, nc or cnonce are malformed: 400 and a failure', () => {
  const { auth } = setup();
  const nonce = parseAuthHeader(challengeFor(auth)).params.get('nonce')!;
  const rfc2069 = `Digest username="1001", realm="pbx.local", nonce="${nonce}", uri="sip:pbx.local", response="${'0'.repeat(32)}"`;
  assert.equal(auth.authenticate(register({ authorization: rfc2069 })), { kind: 'failed', reason: 'malformed', username: '1001', status: 400, algorithms: DEFAULT });
});

test('regaut01: an unknown scheme in Authorization is ignored and answered with a Digest challenge (RFC 4475 §3.3.7)', () => {
  const { auth } = setup({ realm: 'example.com' });
  const req = parsedRequest('semantic', 'regaut01');
  assert.equal(auth.authenticate(req), { kind: 'challenge', stale: false, algorithms: DEFAULT });
  const res = auth.challenge(req);
  assert.is(res.status, 401);
  assert.ok(res.headers.getAll('WWW-Authenticate').every((v) => v.startsWith('Digest ')));
});

test('Proxy-Authorization is checked and challenged with 407 + Proxy-Authenticate for INVITE (RFC 3261 §22.3)', () => {
  const { auth } = setup();
  const invite = register({ method: 'INVITE', ruri: 'sip:2001@pbx.local', contact: null });
  const res = auth.challenge(invite, { header: 'Proxy-Authorization' });
  assert.is(res.status, 407);
  assert.is(res.headers.getAll('Proxy-Authenticate').length, 2);
  assert.not.ok(res.headers.has('WWW-Authenticate'));
  const credentials = answerChallenge(res.headers.get('Proxy-Authenticate')!, {
    username: '1001', password: 'secret-1001', method: 'INVITE', uri: 'sip:2001@pbx.local', nc: 1,
  });
  const signed = register({ method: 'INVITE', ruri: 'sip:2001@pbx.local', contact: null, proxyAuthorization: credentials });
  assert.is(auth.authenticate(signed, { header: 'Proxy-Authorization' }).kind, 'authenticated');
  assert.is(auth.authenticate(signed).kind, 'challenge'); // nothing in Authorization
});

test('the method is part of the digest: credentials for REGISTER do not authorize an INVITE', () => {
  const { auth } = setup();
  const credentials = answerChallenge(challengeFor(auth), { username: '1001', password: 'secret-1001', method: 'REGISTER', uri: 'sip:pbx.local', nc: 1 });
  const invite = register({ method: 'INVITE', ruri: 'sip:pbx.local', contact: null, authorization: credentials });
  assert.is(auth.authenticate(invite).kind, 'failed');
});

test('the To tag of challenges is the stateless tag of RFC 3261 §8.2.7: equal for a retransmission', () => {
  const { auth } = setup();
  const a = register({ cseq: 7 });
  assert.is(responseToTag(a), statelessToTag(a));
  const tagOf = (r: SipResponse) => /;tag=([^;]+)/.exec(r.headers.get('To')!)![1];
  assert.is(tagOf(auth.challenge(a)), tagOf(auth.challenge(register({ cseq: 7 }))));
  assert.is.not(tagOf(auth.challenge(a)), tagOf(auth.challenge(register({ cseq: 8 }))));
});

test('a digest uri naming the same user at another name of this PBX is the same resource (RFC 7616 §3.4.6, SIPp and many phones use the server address)', () => {
  const { auth } = setup({ localHosts: new LocalHosts('pbx.local', ['192.0.2.10']) });
  const byAddress = answerChallenge(challengeFor(auth), { username: '1001', password: 'secret-1001', method: 'REGISTER', uri: 'sip:192.0.2.10:5060', nc: 1 });
  assert.is(auth.authenticate(register({ authorization: byAddress })).kind, 'authenticated');
  // Another host that is not ours, or another user at ours, is still a mismatch.
  const foreign = answerChallenge(challengeFor(auth), { username: '1001', password: 'secret-1001', method: 'REGISTER', uri: 'sip:198.51.100.1', nc: 1 });
  assert.is(auth.authenticate(register({ authorization: foreign })).kind, 'failed');
  const otherUser = answerChallenge(challengeFor(auth), { username: '1001', password: 'secret-1001', method: 'REGISTER', uri: 'sip:1002@192.0.2.10', nc: 1 });
  assert.is(auth.authenticate(register({ authorization: otherUser })).kind, 'failed');
});

test.run();
