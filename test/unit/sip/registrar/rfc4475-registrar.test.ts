// The RFC 4475 torture messages that concern a registrar, run through the registrar and the
// REGISTER pipeline (domain example.com, as in the vectors).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { answerChallenge } from '../../../../src/sip/auth/digest-client.js';
import { parseNameAddrList } from '../../../../src/sip/headers/name-addr.js';
import { MemoryBindingStore } from '../../../../src/sip/registrar/memory-binding-store.js';
import { RegisterPipeline } from '../../../../src/sip/registrar/register-pipeline.js';
import { Registrar } from '../../../../src/sip/registrar/registrar.js';
import { parseUri } from '../../../../src/sip/uri.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { parsedRequest } from '../vectors.js';
import { udpFlow } from './register-request.js';

const T = 1_700_000_000_000;

function registrar() {
  const store = new MemoryBindingStore();
  return { store, registrar: new Registrar({ domain: 'example.com', minExpires: 60, maxExpires: 3600, defaultExpires: 3600, store }) };
}

test('regaut01: an unknown Authorization scheme is ignored and answered 401 with Digest challenges, no failure counted (RFC 4475 §3.3.7)', () => {
  const clock = new FakeClock(T);
  const pipeline = new RegisterPipeline({
    domain: 'example.com',
    auth: {},
    security: { maxAuthFailures: 1 },
    registrar: { minExpires: 60, maxExpires: 3600, defaultExpires: 3600 },
    lookup: (u) => (u === 'j.user' ? { secret: 'pw', enabled: true } : undefined),
    store: new MemoryBindingStore(),
    clock,
  });
  const req = parsedRequest('semantic', 'regaut01');
  const out = pipeline.handleRegister(req, udpFlow('192.0.2.253'));
  assert.is(out.response.status, 401);
  const challenges = out.response.headers.getAll('WWW-Authenticate');
  assert.is(challenges.length, 2);
  assert.ok(challenges.every((c) => c.startsWith('Digest ') && c.includes('realm="example.com"')));
  assert.equal(out.events, []);
  assert.is(pipeline.throttle.trackedCount, 0);
  // The same request with Digest credentials added is a query (it has no Contact): 200.
  req.headers.append('Authorization', answerChallenge(challenges[0]!, { username: 'j.user', password: 'pw', method: 'REGISTER', uri: req.uri, nc: 1 }));
  const ok = pipeline.handleRegister(req, udpFlow('192.0.2.253'));
  assert.is(ok.response.status, 200);
  assert.equal(ok.response.headers.getAll('Contact'), []);
});

test('regescrt: a Contact URI with an escaped Route header is stored and echoed with the escaping intact (RFC 4475 §3.3.14)', () => {
  const { store, registrar: r } = registrar();
  const res = r.register(parsedRequest('semantic', 'regescrt'), { username: 'user', flow: udpFlow(), now: T });
  assert.is(res.status, 200);
  assert.is(store.all()[0]!.contact, 'sip:user@example.com?Route=%3Csip:sip.example.com%3E');
  const [echoed] = parseNameAddrList(res.headers.get('Contact')!);
  assert.is(echoed!.uri, 'sip:user@example.com?Route=%3Csip:sip.example.com%3E');
  const u = parseUri(echoed!.uri);
  assert.ok(u.scheme === 'sip' && u.headers.get('Route') === '<sip:sip.example.com>');
});

test('cparam01: ;unknownparam after a bare Contact URI is a contact-param: the bound URI lacks it, the 200 echoes it as a parameter (RFC 4475 §3.3.12)', () => {
  const { store, registrar: r } = registrar();
  const res = r.register(parsedRequest('semantic', 'cparam01'), { username: 'watson', flow: udpFlow(), now: T });
  assert.is(res.status, 200);
  assert.is(store.all()[0]!.contact, 'sip:+19725552222@gw1.example.net');
  const [c] = parseNameAddrList(res.headers.get('Contact')!);
  assert.is(c!.uri, 'sip:+19725552222@gw1.example.net');
  assert.ok(c!.params.has('unknownparam'));
  assert.is(c!.params.get('expires'), '3600');
});

test('cparam02: ;unknownparam inside <> stays a URI parameter, also when the binding is read back (RFC 4475 §3.3.13)', () => {
  const { registrar: r } = registrar();
  const res = r.register(parsedRequest('semantic', 'cparam02'), { username: 'watson', flow: udpFlow(), now: T });
  assert.is(res.status, 200);
  const query = parsedRequest('semantic', 'cparam02');
  query.headers.remove('Contact');
  const later = r.register(query, { username: 'watson', flow: udpFlow(), now: T + 1000 });
  for (const response of [res, later]) {
    const [c] = parseNameAddrList(response.headers.get('Contact')!);
    assert.is(c!.uri, 'sip:+19725552222@gw1.example.net;unknownparam');
    assert.not.ok(c!.params.has('unknownparam'));
  }
});

test('unksm2: a To with a non-SIP scheme is refused with 400 (RFC 4475 §3.3.4)', () => {
  const { store, registrar: r } = registrar();
  const res = r.register(parsedRequest('semantic', 'unksm2'), { username: '1001', flow: udpFlow(), now: T });
  assert.is(res.status, 400);
  assert.equal(store.all(), []);
});

test.run();
