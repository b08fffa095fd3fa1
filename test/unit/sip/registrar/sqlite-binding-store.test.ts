// The store's SQLite RegistrationStore is a BindingStore: the pipeline runs on it unchanged,
// with the store's devices.findForAuth as the credential lookup.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerChallenge } from '../../../../src/sip/auth/digest-client.js';
import { parseNameAddrList } from '../../../../src/sip/headers/name-addr.js';
import type { BindingStore } from '../../../../src/sip/registrar/binding-store.js';
import { RegisterPipeline } from '../../../../src/sip/registrar/register-pipeline.js';
import { Registrar } from '../../../../src/sip/registrar/registrar.js';
import { openStore } from '../../../../src/store/store.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { parsedRequest } from '../vectors.js';
import { register, udpFlow } from './register-request.js';

const T = 1_700_000_000_000;

test('store.registrations passes as BindingStore, and a REGISTER exchange writes, refreshes and removes through SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'softswitch-registrar-'));
  const store = openStore(dir);
  try {
    const user = store.users.insert({ ext: '1001', name: 'Alice', callerId: null, mobile: null }, T);
    store.devices.insert({ userId: user.id, ext: '1001', secret: 'pw-1001', model: null, mac: null, enabled: true }, T);
    const bindings: BindingStore = store.registrations; // compile-time: structurally compatible
    const clock = new FakeClock(T);
    const pipeline = new RegisterPipeline({
      domain: 'pbx.local',
      auth: { realm: 'pbx.local', algorithms: ['MD5', 'SHA-256'], nonceLifetime: 300 },
      security: { maxAuthFailures: 5, failureWindow: 60, blockTime: 300, trustedNetworks: [] },
      registrar: { minExpires: 60, maxExpires: 3600, defaultExpires: 3600 },
      lookup: (ext) => store.devices.findForAuth(ext),
      store: bindings,
      clock,
    });
    const challenge = pipeline.handleRegister(register(), udpFlow()).response;
    const auth = (nc: number) =>
      answerChallenge(challenge.headers.get('WWW-Authenticate')!, { username: '1001', password: 'pw-1001', method: 'REGISTER', uri: 'sip:pbx.local', nc });
    const contact = '<sip:1001@10.0.0.5:5060>;+sip.instance="<urn:uuid:1>";reg-id=1';
    const ok = pipeline.handleRegister(register({ cseq: 2, contact, authorization: auth(1), extra: ['Path: <sip:edge.example;lr>'] }), udpFlow('203.0.113.5', 40000));
    assert.is(ok.response.status, 200);
    const [b] = store.registrations.bindings('1001', T);
    assert.is(b!.contact, 'sip:1001@10.0.0.5:5060');
    assert.is(b!.instanceId, '<urn:uuid:1>');
    assert.is(b!.regId, 1);
    assert.equal(b!.path, ['<sip:edge.example;lr>']);
    assert.is(b!.flow.remoteAddress, '203.0.113.5');
    assert.is(b!.flow.remotePort, 40000);
    assert.is(b!.userAgent, 'TestPhone/1.0');
    // The phone moves: same instance, new URI; the old binding goes.
    clock.advance(60_000);
    const moved = '<sip:1001@10.0.0.6:5060>;+sip.instance="<urn:uuid:1>";reg-id=1';
    assert.is(pipeline.handleRegister(register({ cseq: 3, contact: moved, authorization: auth(2) }), udpFlow()).response.status, 200);
    assert.equal(store.registrations.bindings('1001', clock.now()).map((x) => x.contact), ['sip:1001@10.0.0.6:5060']);
    // A refused update leaves the database as it was.
    assert.is(pipeline.handleRegister(register({ cseq: 3, contact: moved, expires: 0, authorization: auth(3) }), udpFlow()).response.status, 400);
    assert.is(store.registrations.bindings('1001', clock.now()).length, 1);
    const gone = pipeline.handleRegister(register({ cseq: 4, contact: '*', expires: 0, authorization: auth(4) }), udpFlow());
    assert.is(gone.response.status, 200);
    assert.equal(store.registrations.bindings('1001', clock.now()), []);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the store lookup carries a device override into the challenge: an MD5-only device gets no SHA-256 challenge (RFC 8760 §2.4)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'softswitch-registrar-'));
  const store = openStore(dir);
  try {
    const user = store.users.insert({ ext: '1001', name: 'Alice', callerId: null, mobile: null }, T);
    store.devices.insert({ userId: user.id, ext: '1001', secret: 'pw-1001', model: null, mac: null, enabled: true, authAlgorithms: ['MD5'] }, T);
    store.devices.insert({ userId: user.id, ext: '1002', secret: 'pw-1002', model: null, mac: null, enabled: true }, T);
    const pipeline = new RegisterPipeline({
      domain: 'pbx.local',
      auth: { realm: 'pbx.local', algorithms: ['MD5', 'SHA-256'], nonceLifetime: 300 },
      security: { maxAuthFailures: 5, failureWindow: 60, blockTime: 300, trustedNetworks: [] },
      registrar: { minExpires: 60, maxExpires: 3600, defaultExpires: 3600 },
      lookup: (ext) => store.devices.findForAuth(ext),
      store: store.registrations,
      clock: new FakeClock(T),
    });
    const algorithms = (user: string) =>
      pipeline.handleRegister(register({ user }), udpFlow()).response.headers.getAll('WWW-Authenticate').map((v) => /algorithm=([A-Z0-9-]+)/.exec(v)![1]);
    assert.equal(algorithms('1001'), ['MD5']);
    assert.equal(algorithms('1002'), ['MD5', 'SHA-256']);
    assert.equal(algorithms('4711'), ['MD5', 'SHA-256']);
    store.devices.update(store.devices.findByExt('1001')!.id, { authAlgorithms: null }, T + 1);
    assert.equal(algorithms('1001'), ['MD5', 'SHA-256']);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cparam01 on the SQLite store: ;unknownparam is stored as a contact parameter and echoed, also when read back later (RFC 4475 §3.3.12)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'softswitch-registrar-'));
  const store = openStore(dir);
  try {
    const user = store.users.insert({ ext: 'watson', name: 'Watson', callerId: null, mobile: null }, T);
    store.devices.insert({ userId: user.id, ext: 'watson', secret: 'pw-watson', model: null, mac: null, enabled: true }, T);
    const registrar = new Registrar({ domain: 'example.com', minExpires: 60, maxExpires: 3600, defaultExpires: 3600, store: store.registrations });
    const echoed = (res: ReturnType<Registrar['register']>) => {
      assert.is(res.status, 200);
      const [c] = parseNameAddrList(res.headers.get('Contact')!);
      assert.is(c!.uri, 'sip:+19725552222@gw1.example.net');
      assert.ok(c!.params.has('unknownparam'), `no ;unknownparam in ${res.headers.get('Contact')}`);
    };
    echoed(registrar.register(parsedRequest('semantic', 'cparam01'), { username: 'watson', flow: udpFlow(), now: T }));
    const row = store.db.prepare<[], { contact: string; contact_params: string | null }>('SELECT contact, contact_params FROM registrations').get()!;
    assert.equal(row, { contact: 'sip:+19725552222@gw1.example.net', contact_params: ';unknownparam' });
    // A query (no Contact) answered from what SQLite holds, by a registrar that never saw the
    // first request (a restarted switch): the parameter is still echoed.
    const query = parsedRequest('semantic', 'cparam01');
    query.headers.remove('Contact');
    const reopened = openStore(dir);
    try {
      const restarted = new Registrar({ domain: 'example.com', minExpires: 60, maxExpires: 3600, defaultExpires: 3600, store: reopened.registrations });
      echoed(restarted.register(query, { username: 'watson', flow: udpFlow(), now: T + 1000 }));
    } finally {
      reopened.close();
    }
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
