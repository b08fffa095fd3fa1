// Per-device Digest algorithms: a device may be offered its own list instead of auth.algorithms,
// for phones that abort as soon as any challenge of a 401 names SHA-256 (libre before 2024,
// older pjsip) instead of taking the first challenge they support (RFC 7616 §3.7, RFC 8760 §2.4).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AuthEvent } from '../../../../src/sip/auth/auth-events.js';
import { AuthGuard } from '../../../../src/sip/auth/auth-guard.js';
import { BruteForceThrottle } from '../../../../src/sip/auth/brute-force-throttle.js';
import { challengedUsername } from '../../../../src/sip/auth/challenged-username.js';
import { answerChallenge } from '../../../../src/sip/auth/digest-client.js';
import { DigestAuthenticator, type CredentialRecord, type DigestAuthenticatorOptions } from '../../../../src/sip/auth/digest-authenticator.js';
import { parseAuthHeader } from '../../../../src/sip/headers/auth.js';
import type { SipRequest, SipResponse } from '../../../../src/sip/message.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { parseRequest, register, registerText } from '../registrar/register-request.js';

/** 1001: no override; 1002: MD5 only (an old baresip); 1003: SHA-256 first; 1004: SHA-256 only. */
function accounts(): Record<string, CredentialRecord> {
  return {
    '1001': { secret: 'secret-1001', enabled: true, authAlgorithms: null },
    '1002': { secret: 'secret-1002', enabled: true, authAlgorithms: ['MD5'] },
    '1003': { secret: 'secret-1003', enabled: true, authAlgorithms: ['SHA-256', 'MD5'] },
    '1004': { secret: 'secret-1004', enabled: true, authAlgorithms: ['SHA-256'] },
    '1005': { secret: 'secret-1005', enabled: true }, // a lookup that does not know the field
  };
}

function setup(over: Partial<DigestAuthenticatorOptions> = {}) {
  const table = accounts();
  const lookups: string[] = [];
  const clock = new FakeClock();
  const auth = new DigestAuthenticator({
    realm: 'pbx.local',
    clock,
    lookup: (u) => {
      lookups.push(u);
      return table[u];
    },
    ...over,
  });
  return { auth, clock, table, lookups };
}

const algorithmsOf = (res: SipResponse, header = 'WWW-Authenticate') => res.headers.getAll(header).map((v) => parseAuthHeader(v).params.get('algorithm'));

function challengeFor(res: SipResponse, algorithm: string, header = 'WWW-Authenticate'): string {
  const v = res.headers.getAll(header).find((c) => parseAuthHeader(c).params.get('algorithm') === algorithm);
  if (!v) throw new Error(`no ${algorithm} challenge in ${res.headers.getAll(header).join(' | ')}`);
  return v;
}

function answered(challenge: string, user: string, nc = 1, password = `secret-${user}`): SipRequest {
  const authorization = answerChallenge(challenge, { username: user, password, method: 'REGISTER', uri: 'sip:pbx.local', cnonce: 'cn0nce', nc });
  return register({ user, authorization, cseq: 1 + nc });
}

/** A REGISTER whose From (third party) and To (the AOR) name different users. */
function thirdParty(fromUser: string, toUser: string): SipRequest {
  return parseRequest(registerText({ user: toUser }).replace(`From: <sip:${toUser}@pbx.local>`, `From: <sip:${fromUser}@pbx.local>`));
}

test('a REGISTER for an MD5-only device is challenged with MD5 alone: no SHA-256 challenge for phones that abort on one (RFC 8760 §2.4)', () => {
  const { auth } = setup();
  const res = auth.challenge(register({ user: '1002' }));
  assert.is(res.status, 401);
  assert.equal(algorithmsOf(res), ['MD5']);
});

test('a device list sets the challenge order, which decides what the client picks (RFC 7616 §3.7)', () => {
  const { auth } = setup();
  assert.equal(algorithmsOf(auth.challenge(register({ user: '1003' }))), ['SHA-256', 'MD5']);
  assert.equal(algorithmsOf(auth.challenge(register({ user: '1004' }))), ['SHA-256']);
});

test('devices without an override (null or no field) and unknown users get the configured default, indistinguishably (no enumeration)', () => {
  const { auth } = setup({ algorithms: ['MD5', 'SHA-256'] });
  const shape = (r: SipResponse) => ({
    status: r.status,
    names: [...r.headers].map(([n]) => n),
    challenges: r.headers.getAll('WWW-Authenticate').map((v) => v.replace(/nonce="[^"]*"/, 'nonce=""')),
  });
  const unknown = shape(auth.challenge(register({ user: '7777' })));
  assert.equal(unknown.challenges.map((c) => parseAuthHeader(c).params.get('algorithm')), ['MD5', 'SHA-256']);
  assert.equal(shape(auth.challenge(register({ user: '1001' }))), unknown);
  assert.equal(shape(auth.challenge(register({ user: '1005' }))), unknown);
  assert.equal(auth.authenticate(register({ user: '7777' })), auth.authenticate(register({ user: '1001' })));
});

test('an empty list from the lookup counts as no override (a challenge always offers something)', () => {
  const { auth, table } = setup();
  table['1001'] = { secret: 'secret-1001', enabled: true, authAlgorithms: [] };
  assert.equal(algorithmsOf(auth.challenge(register({ user: '1001' }))), ['MD5', 'SHA-256']);
});

test('without credentials a REGISTER is challenged for its To user, the AOR being registered (RFC 3261 §10.2)', () => {
  const { auth } = setup();
  const req = thirdParty('1001', '1002');
  assert.is(challengedUsername(req), '1002');
  assert.equal(auth.authenticate(req), { kind: 'challenge', stale: false, algorithms: ['MD5'] });
  assert.equal(algorithmsOf(auth.challenge(req)), ['MD5']);
});

test('without credentials any other request is challenged for its From user with 407 (RFC 3261 §22.3)', () => {
  const { auth } = setup();
  const text = registerText({ method: 'INVITE', ruri: 'sip:2001@pbx.local', user: '2001', contact: null });
  const invite = parseRequest(text.replace('From: <sip:2001@pbx.local>', 'From: <sip:1002@pbx.local>'));
  assert.is(challengedUsername(invite), '1002');
  const res = auth.challenge(invite, { header: 'Proxy-Authorization' });
  assert.is(res.status, 407);
  assert.equal(algorithmsOf(res, 'Proxy-Authenticate'), ['MD5']);
  // The MD5 answer in Proxy-Authorization authenticates.
  const credentials = answerChallenge(challengeFor(res, 'MD5', 'Proxy-Authenticate'), {
    username: '1002', password: 'secret-1002', method: 'INVITE', uri: 'sip:2001@pbx.local', nc: 1,
  });
  const signed = parseRequest(registerText({ method: 'INVITE', ruri: 'sip:2001@pbx.local', user: '1002', contact: null, proxyAuthorization: credentials }));
  assert.equal(auth.authenticate(signed, { header: 'Proxy-Authorization' }), { kind: 'authenticated', username: '1002', algorithm: 'MD5' });
});

test('a To or From without a SIP user (tel:, host only, malformed) is challenged with the default', () => {
  const { auth, lookups } = setup();
  for (const to of ['<tel:+4930123456>', '<sip:pbx.local>', '<sip:1002@>']) {
    const req = parseRequest(registerText({ user: '1002' }).replace('To: <sip:1002@pbx.local>', `To: ${to}`));
    assert.is(challengedUsername(req), undefined, to);
    assert.equal(algorithmsOf(auth.challenge(req)), ['MD5', 'SHA-256'], to);
  }
  assert.equal(lookups, [], 'no lookup without a username');
});

test('the user part is read as parseUri reads it: plain users directly, escapes, passwords and the rest through the full parser (RFC 3261 §19.1.4)', () => {
  const cases: Array<[string, string]> = [
    ['<sip:1002@pbx.local>', '1002'],
    ['<SIPS:alice.b-c_d@pbx.local;transport=tls>', 'alice.b-c_d'],
    ['<sip:%31002@pbx.local>', '1002'], // escaped "1": compared unescaped
    ['<sip:1002:pw@pbx.local>', '1002'], // a password is not part of the user
    ['"Desk" <sip:+4930123@pbx.local;user=phone>', '+4930123'],
  ];
  for (const [to, user] of cases) {
    const req = parseRequest(registerText({ user: '1002' }).replace('To: <sip:1002@pbx.local>', `To: ${to}`));
    assert.is(challengedUsername(req), user, to);
  }
});

test('SHA-256 credentials for an MD5-only device are refused like a wrong password, even with the right password (RFC 8760 §2.4)', () => {
  const { auth } = setup();
  // The phone answers a challenge it was never sent for this device (e.g. one issued for 1001).
  const sha = challengeFor(auth.challenge(register({ user: '1001' })), 'SHA-256');
  assert.equal(auth.authenticate(answered(sha, '1002')), { kind: 'failed', reason: 'algorithm-not-offered', username: '1002', status: 401, algorithms: ['MD5'] });
  assert.is(auth.authenticate(answered(sha.replace('algorithm=SHA-256', 'algorithm=SHA-256-sess'), '1002', 2)).kind, 'failed');
  const md5 = challengeFor(auth.challenge(register({ user: '1002' })), 'MD5');
  assert.equal(auth.authenticate(answered(md5, '1002')), { kind: 'authenticated', username: '1002', algorithm: 'MD5' });
  // The -sess variant follows its base (RFC 7616 §3.4.2).
  const sess = challengeFor(auth.challenge(register({ user: '1002' })), 'MD5').replace('algorithm=MD5', 'algorithm=MD5-sess');
  assert.equal(auth.authenticate(answered(sess, '1002')), { kind: 'authenticated', username: '1002', algorithm: 'MD5-sess' });
});

test('MD5 credentials for a SHA-256-only device are refused; SHA-256 ones pass', () => {
  const { auth } = setup();
  const md5 = challengeFor(auth.challenge(register({ user: '1001' })), 'MD5');
  assert.equal(auth.authenticate(answered(md5, '1004')), { kind: 'failed', reason: 'algorithm-not-offered', username: '1004', status: 401, algorithms: ['SHA-256'] });
  const sha = challengeFor(auth.challenge(register({ user: '1004' })), 'SHA-256');
  assert.is(auth.authenticate(answered(sha, '1004')).kind, 'authenticated');
});

test('a device may be offered an algorithm the configuration does not offer to others', () => {
  const { auth } = setup({ algorithms: ['MD5'] });
  assert.equal(algorithmsOf(auth.challenge(register({ user: '7777' }))), ['MD5']);
  const res = auth.challenge(register({ user: '1004' }));
  assert.equal(algorithmsOf(res), ['SHA-256']);
  assert.equal(auth.authenticate(answered(challengeFor(res, 'SHA-256'), '1004')), { kind: 'authenticated', username: '1004', algorithm: 'SHA-256' });
  // Others, known or not, answering SHA-256 get the same refusal and the MD5 challenge.
  const known = auth.authenticate(answered(challengeFor(res, 'SHA-256'), '1001'));
  const unknown = auth.authenticate(answered(challengeFor(res, 'SHA-256'), '7777'));
  assert.equal(known, { kind: 'failed', reason: 'algorithm-not-offered', username: '1001', status: 401, algorithms: ['MD5'] });
  assert.equal(unknown, { kind: 'failed', reason: 'unknown-user', username: '7777', status: 401, algorithms: ['MD5'] });
});

test('an override changed by the operator is in force on the very next request', () => {
  const { auth, table } = setup();
  const sha = challengeFor(auth.challenge(register({ user: '1001' })), 'SHA-256');
  assert.is(auth.authenticate(answered(sha, '1001', 1)).kind, 'authenticated');
  table['1001'] = { ...table['1001']!, authAlgorithms: ['MD5'] };
  assert.equal(algorithmsOf(auth.challenge(register({ user: '1001' }))), ['MD5']);
  const out = auth.authenticate(answered(sha, '1001', 2));
  assert.is(out.kind === 'failed' && out.reason, 'algorithm-not-offered');
});

test('a stale nonce is re-challenged with the device list (RFC 7616 §3.3)', () => {
  const { auth, clock } = setup({ nonceLifetime: 300 });
  const md5 = challengeFor(auth.challenge(register({ user: '1002' })), 'MD5');
  clock.advance(301_000);
  const out = auth.authenticate(answered(md5, '1002'));
  assert.equal(out, { kind: 'challenge', stale: true, algorithms: ['MD5'] });
  const res = auth.challenge(register({ user: '1002' }), { stale: true, algorithms: out.kind === 'challenge' ? out.algorithms : [] });
  assert.equal(algorithmsOf(res), ['MD5']);
  assert.match(res.headers.get('WWW-Authenticate')!, /, stale=true$/);
});

test('challengeValues formats the given algorithms in the given order, sharing one nonce', () => {
  const { auth, clock } = setup();
  const values = auth.challengeValues(clock.now(), false, ['SHA-256', 'MD5']).map(parseAuthHeader);
  assert.equal(values.map((c) => c.params.get('algorithm')), ['SHA-256', 'MD5']);
  assert.is(values[0]!.params.get('nonce'), values[1]!.params.get('nonce'));
  assert.equal(auth.challengeValues(clock.now()).map((v) => parseAuthHeader(v).params.get('algorithm')), ['MD5', 'SHA-256']);
});

test('through the guard: one lookup per unauthenticated REGISTER, and the 401 after a refused algorithm offers the device list', () => {
  const { auth, lookups } = setup();
  const guard = new AuthGuard(auth, new BruteForceThrottle({ maxAuthFailures: 5, failureWindow: 60, blockTime: 300, trustedNetworks: [] }));
  const first = guard.check(register({ user: '1002' }), '198.51.100.7', 0);
  assert.ok(!first.ok);
  if (first.ok) return;
  assert.equal(algorithmsOf(first.response), ['MD5']);
  assert.equal(lookups, ['1002']);
  assert.equal(first.events, []);
  const sha = challengeFor(auth.challenge(register({ user: '1001' }), { algorithms: ['SHA-256'] }), 'SHA-256');
  const refused = guard.check(answered(sha, '1002'), '198.51.100.7', 0);
  assert.ok(!refused.ok);
  if (refused.ok) return;
  assert.is(refused.response.status, 401);
  assert.equal(algorithmsOf(refused.response), ['MD5']);
  const failure = refused.events[0] as Extract<AuthEvent, { event: 'auth.failure' }>;
  assert.equal([failure.event, failure.username, failure.reason, failure.count], ['auth.failure', '1002', 'algorithm-not-offered', 1]);
});

test.run();
