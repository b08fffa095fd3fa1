// The REGISTER pipeline end to end: REGISTER -> 401 -> REGISTER with credentials -> 200,
// stale nonces, throttling and blocking, no enumeration, disabled devices, 407 reuse.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AuthEvent } from '../../../../src/sip/auth/auth-events.js';
import { answerChallenge, pickChallenge } from '../../../../src/sip/auth/digest-client.js';
import { challenges, parseAuthHeader } from '../../../../src/sip/headers/auth.js';
import type { SipResponse } from '../../../../src/sip/message.js';
import { MemoryBindingStore } from '../../../../src/sip/registrar/memory-binding-store.js';
import { RegisterPipeline, type RegisterPipelineOptions } from '../../../../src/sip/registrar/register-pipeline.js';
import { loadConfig } from '../../../../src/config/load-config.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { register, udpFlow, type RegisterSpec } from './register-request.js';

const ACCOUNTS: Record<string, { secret: string; enabled: boolean }> = {
  '1001': { secret: 's3cret-1001', enabled: true },
  '1002': { secret: 's3cret-1002', enabled: true },
  '1009': { secret: 's3cret-1009', enabled: false },
};

function setup(over: Partial<RegisterPipelineOptions> = {}) {
  const clock = new FakeClock();
  const store = new MemoryBindingStore();
  const lookups: string[] = [];
  const pipeline = new RegisterPipeline({
    domain: 'pbx.local',
    auth: { nonceLifetime: 300 },
    security: { maxAuthFailures: 5, failureWindow: 60, blockTime: 300, trustedNetworks: ['10.0.0.0/8'] },
    registrar: { minExpires: 60, maxExpires: 3600, defaultExpires: 3600 },
    lookup: (u) => {
      lookups.push(u);
      return ACCOUNTS[u];
    },
    store,
    clock,
    ...over,
  });
  return { clock, store, pipeline, lookups };
}

/** Answers the response's challenge for `algorithm` as a phone would. */
function credentials(res: SipResponse, spec: { user?: string; password?: string; algorithm?: 'MD5' | 'SHA-256'; nc?: number }): string {
  const ch = pickChallenge(challenges(res), [spec.algorithm ?? 'MD5'])!;
  const user = spec.user ?? '1001';
  return answerChallenge(ch, { username: user, password: spec.password ?? ACCOUNTS[user]?.secret ?? 'x', method: 'REGISTER', uri: 'sip:pbx.local', nc: spec.nc ?? 1 });
}

function names(events: AuthEvent[]): string[] {
  return events.map((e) => e.event);
}

for (const algorithm of ['MD5', 'SHA-256'] as const) {
  test(`REGISTER -> 401 -> REGISTER with ${algorithm} credentials -> 200 with the binding (RFC 3261 §22.2, §10.3)`, () => {
    const { pipeline, store, clock } = setup();
    const first = pipeline.handleRegister(register({ cseq: 1 }), udpFlow());
    assert.is(first.response.status, 401);
    assert.equal(first.events, []);
    const second = pipeline.handleRegister(register({ cseq: 2, authorization: credentials(first.response, { algorithm }) }), udpFlow());
    assert.is(second.response.status, 200);
    assert.equal(second.events, []);
    assert.match(second.response.headers.get('Contact')!, /^<sip:1001@192\.0\.2\.10:5060>;expires=3600$/);
    assert.is(store.bindings('1001', clock.now()).length, 1);
  });
}

test('a refresh reusing the nonce with a higher nc needs no new challenge', () => {
  const { pipeline, clock } = setup();
  const challenge = pipeline.handleRegister(register(), udpFlow()).response;
  assert.is(pipeline.handleRegister(register({ cseq: 2, authorization: credentials(challenge, { nc: 1 }) }), udpFlow()).response.status, 200);
  clock.advance(120_000);
  assert.is(pipeline.handleRegister(register({ cseq: 3, authorization: credentials(challenge, { nc: 2 }) }), udpFlow()).response.status, 200);
});

test('an expired nonce gets 401 stale=true and no failure; the fresh nonce then registers (RFC 7616 §3.3)', () => {
  const { pipeline, clock } = setup();
  const challenge = pipeline.handleRegister(register(), udpFlow()).response;
  pipeline.handleRegister(register({ cseq: 2, authorization: credentials(challenge, {}) }), udpFlow());
  clock.advance(301_000);
  const stale = pipeline.handleRegister(register({ cseq: 3, authorization: credentials(challenge, { nc: 2 }) }), udpFlow());
  assert.is(stale.response.status, 401);
  assert.equal(stale.events, []);
  for (const v of stale.response.headers.getAll('WWW-Authenticate')) assert.is(parseAuthHeader(v).params.get('stale'), 'true');
  const ok = pipeline.handleRegister(register({ cseq: 4, authorization: credentials(stale.response, {}) }), udpFlow());
  assert.is(ok.response.status, 200);
});

test('wrong passwords are failures; the 5th blocks the source with 403 and auth.blocked, without digest work after (throttle)', () => {
  const { pipeline, clock, lookups } = setup();
  const challenge = pipeline.handleRegister(register(), udpFlow('198.51.100.7')).response;
  const all: AuthEvent[] = [];
  for (let i = 1; i <= 4; i++) {
    const out = pipeline.handleRegister(register({ cseq: 1 + i, authorization: credentials(challenge, { password: `guess${i}`, nc: i }) }), udpFlow('198.51.100.7', 5000 + i));
    assert.is(out.response.status, 401);
    all.push(...out.events);
  }
  assert.equal(names(all), ['auth.failure', 'auth.failure', 'auth.failure', 'auth.failure']);
  assert.equal(all[3], { event: 'auth.failure', address: '198.51.100.7', username: '1001', reason: 'wrong-password', count: 4, trusted: false });
  const fifth = pipeline.handleRegister(register({ cseq: 6, authorization: credentials(challenge, { password: 'guess5', nc: 5 }) }), udpFlow('198.51.100.7'));
  assert.is(fifth.response.status, 403);
  assert.is(fifth.response.reason, 'Too many failed authentications');
  assert.equal(names(fifth.events), ['auth.failure', 'auth.blocked']);
  // Blocked: even the right password is refused, and no credentials are looked up.
  const lookupsBefore = lookups.length;
  const blocked = pipeline.handleRegister(register({ cseq: 7, authorization: credentials(challenge, { nc: 6 }) }), udpFlow('198.51.100.7'));
  assert.is(blocked.response.status, 403);
  assert.is(lookups.length, lookupsBefore);
  assert.is(pipeline.handleRegister(register({ cseq: 8 }), udpFlow('198.51.100.7')).response.status, 403);
  // Other sources are not affected.
  assert.is(pipeline.handleRegister(register(), udpFlow('198.51.100.8')).response.status, 401);
  // After blockTime: unblocked, and the phone registers.
  clock.advance(300_000);
  const after = pipeline.handleRegister(register({ cseq: 9 }), udpFlow('198.51.100.7'));
  assert.is(after.response.status, 401);
  assert.equal(after.events, [{ event: 'auth.unblocked', address: '198.51.100.7', why: 'expired' }]);
  const ok = pipeline.handleRegister(register({ cseq: 10, authorization: credentials(after.response, {}) }), udpFlow('198.51.100.7'));
  assert.is(ok.response.status, 200);
});

test('requests without credentials and stale nonces never block a source', () => {
  const { pipeline } = setup({ security: { maxAuthFailures: 1 } });
  for (let i = 0; i < 10; i++) assert.is(pipeline.handleRegister(register({ cseq: i + 1 }), udpFlow()).response.status, 401);
  assert.is(pipeline.throttle.trackedCount, 0);
});

test('an unknown user is refused exactly like a wrong password, and counted', () => {
  const { pipeline } = setup();
  const ch = pipeline.handleRegister(register(), udpFlow()).response;
  const unknown = pipeline.handleRegister(register({ user: '7777', cseq: 2, authorization: credentials(ch, { user: '7777', password: 'x' }) }), udpFlow());
  const wrong = pipeline.handleRegister(register({ user: '1002', cseq: 2, authorization: credentials(ch, { user: '1002', password: 'x' }) }), udpFlow());
  const shape = (r: SipResponse) => [r.status, r.reason, [...r.headers].map(([n]) => n).join(','), r.headers.getAll('WWW-Authenticate').length];
  assert.equal(shape(unknown.response), shape(wrong.response));
  assert.equal(unknown.events.map((e) => e.event === 'auth.failure' && e.username), ['7777']);
});

test('a disabled device with the right password gets 403 "Device disabled" and no failure', () => {
  const { pipeline, store } = setup();
  const ch = pipeline.handleRegister(register({ user: '1009' }), udpFlow()).response;
  const out = pipeline.handleRegister(register({ user: '1009', cseq: 2, authorization: credentials(ch, { user: '1009' }) }), udpFlow());
  assert.is(out.response.status, 403);
  assert.is(out.response.reason, 'Device disabled');
  assert.equal(out.events, []);
  assert.equal(store.all(), []);
});

test('a replayed request is refused and counted as a failure', () => {
  const { pipeline } = setup();
  const ch = pipeline.handleRegister(register(), udpFlow()).response;
  const req = () => register({ cseq: 2, authorization: credentials(ch, {}) });
  assert.is(pipeline.handleRegister(req(), udpFlow()).response.status, 200);
  const replay = pipeline.handleRegister(req(), udpFlow('203.0.113.9'));
  assert.is(replay.response.status, 401);
  assert.equal(replay.events.map((e) => e.event === 'auth.failure' && e.reason), ['replay']);
});

test('failures from a trusted network are reported but never block', () => {
  const { pipeline } = setup();
  const ch = pipeline.handleRegister(register(), udpFlow('10.1.1.1')).response;
  for (let i = 1; i <= 8; i++) {
    const out = pipeline.handleRegister(register({ cseq: i + 1, authorization: credentials(ch, { password: 'bad', nc: i }) }), udpFlow('10.1.1.1'));
    assert.is(out.response.status, 401);
    assert.equal(out.events.map((e) => e.event === 'auth.failure' && e.trusted), [true]);
  }
});

test('an authenticated user registering another AOR is refused 403 by the registrar (RFC 3261 §10.3 step 4)', () => {
  const { pipeline } = setup();
  const ch = pipeline.handleRegister(register({ user: '1002' }), udpFlow()).response;
  const out = pipeline.handleRegister(register({ user: '1002', cseq: 2, authorization: credentials(ch, { user: '1001' }) }), udpFlow());
  assert.is(out.response.status, 403);
});

test('the guard is reusable for INVITE: 407 with Proxy-Authenticate, then authenticated, same throttle', () => {
  const { pipeline, clock } = setup();
  const invite = (proxyAuthorization?: string) =>
    register({ method: 'INVITE', ruri: 'sip:1002@pbx.local', contact: '<sip:1001@192.0.2.10>', ...(proxyAuthorization ? { proxyAuthorization } : {}) } as RegisterSpec);
  const first = pipeline.guard.check(invite(), '192.0.2.10', clock.now(), 'Proxy-Authorization');
  assert.ok(!first.ok && first.response.status === 407);
  if (first.ok) return;
  const ch = first.response.headers.get('Proxy-Authenticate')!;
  const creds = answerChallenge(ch, { username: '1001', password: 's3cret-1001', method: 'INVITE', uri: 'sip:1002@pbx.local', nc: 1 });
  const second = pipeline.guard.check(invite(creds), '192.0.2.10', clock.now(), 'Proxy-Authorization');
  assert.ok(second.ok && second.username === '1001');
});

test('a request other than REGISTER is answered 405 with Allow', () => {
  const { pipeline } = setup();
  const out = pipeline.handleRegister(register({ method: 'OPTIONS' }), udpFlow());
  assert.is(out.response.status, 405);
  assert.is(out.response.headers.get('Allow'), 'REGISTER');
});

test('the config sections (auth, security, registrar) pass straight in; defaults offer MD5 first', () => {
  const config = loadConfig();
  const pipeline = new RegisterPipeline({
    domain: config.sip.domain,
    auth: config.auth,
    security: config.security,
    registrar: config.registrar,
    lookup: (u) => ACCOUNTS[u],
    store: new MemoryBindingStore(),
    clock: new FakeClock(),
  });
  const res = pipeline.handleRegister(register({ ruri: `sip:${config.sip.domain}` }), udpFlow()).response;
  assert.equal(res.headers.getAll('WWW-Authenticate').map((v) => parseAuthHeader(v).params.get('algorithm')), ['MD5', 'SHA-256']);
  assert.is(pipeline.throttle.maxFailures, config.security.maxAuthFailures);
  assert.is(pipeline.authenticator.nonceLifetimeMs, config.auth.nonceLifetime * 1000);
});

test.run();
