// The registrar core, step by step through RFC 3261 §10.3, with the in-memory store.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseNameAddrList } from '../../../../src/sip/headers/name-addr.js';
import type { SipResponse } from '../../../../src/sip/message.js';
import { MemoryBindingStore } from '../../../../src/sip/registrar/memory-binding-store.js';
import { Registrar, type RegistrarOptions } from '../../../../src/sip/registrar/registrar.js';
import type { Flow } from '../../../../src/sip/transport/flow.js';
import { register, udpFlow, type RegisterSpec } from './register-request.js';

const T = 1_700_000_000_000;

function setup(over: Partial<RegistrarOptions> = {}) {
  const store = new MemoryBindingStore();
  const registrar = new Registrar({ domain: 'pbx.local', minExpires: 60, maxExpires: 3600, defaultExpires: 1800, store, ...over });
  const send = (spec: RegisterSpec = {}, now = T, flow: Flow = udpFlow(), username = spec.user ?? '1001') =>
    registrar.register(register(spec), { username, flow, now });
  return { store, registrar, send };
}

/** Contact values of a response as [uri, expires] pairs. */
function listed(res: SipResponse): Array<[string, string | null | undefined]> {
  return res.headers.getAll('Contact').flatMap((v) => parseNameAddrList(v)).map((c) => [c.uri, c.params.get('expires')]);
}

test('registers a contact and answers 200 listing it with expires and a Date (RFC 3261 §10.3 step 8)', () => {
  const { store, send } = setup();
  const res = send({ expires: 600 });
  assert.is(res.status, 200);
  assert.equal(listed(res), [['sip:1001@192.0.2.10:5060', '600']]);
  assert.is(res.headers.get('Date'), 'Tue, 14 Nov 2023 22:13:20 GMT');
  assert.ok(res.headers.get('To')!.includes(';tag='));
  assert.not.ok(res.headers.has('Record-Route'));
  const [b] = store.all();
  assert.is(b!.aor, '1001');
  assert.is(b!.expiresAt, T + 600_000);
  assert.is(b!.callId, 'reg-call-1@192.0.2.10');
  assert.is(b!.cseq, 1);
  assert.is(b!.userAgent, 'TestPhone/1.0');
  assert.equal(b!.path, []);
});

test('records the flow actually seen, so a phone behind NAT is reachable (RFC 5626 §3)', () => {
  const { store, send } = setup();
  const natted: Flow = { protocol: 'tcp', remoteAddress: '203.0.113.5', remotePort: 41234, localAddress: '192.0.2.1', localPort: 5060, connectionId: 17 };
  send({ contact: '<sip:1001@10.0.0.23:5060;transport=tcp>' }, T, natted);
  assert.equal(store.all()[0]!.flow, natted);
});

test('accepts a Request-URI naming the domain, the address the request arrived on, or a configured alias (RFC 3261 §10.3 step 1)', () => {
  const { send } = setup({ localAddresses: ['198.51.100.1', 'pbx.example.com', '2001:db8::1'] });
  assert.is(send({ ruri: 'sip:PBX.LOCAL' }).status, 200);
  assert.is(send({ ruri: 'sip:192.0.2.1:5060', cseq: 2 }).status, 200); // udpFlow's local address
  assert.is(send({ ruri: 'sip:198.51.100.1', cseq: 3 }).status, 200);
  assert.is(send({ ruri: 'sip:pbx.example.com;transport=udp', cseq: 4 }).status, 200);
  assert.is(send({ ruri: 'sip:[2001:db8::1]', cseq: 5 }).status, 200);
  assert.is(send({ ruri: 'sip:1001@pbx.local', cseq: 6 }).status, 200); // userinfo tolerated
});

test('on a wildcard-bound transport any IP literal names this PBX, names still must match (RFC 3261 §10.3 step 1)', () => {
  const { send } = setup();
  const wildcard: Flow = { ...udpFlow(), localAddress: '0.0.0.0' };
  assert.is(send({ ruri: 'sip:192.0.2.77', host: '192.0.2.77' }, T, wildcard).status, 200);
  assert.is(send({ ruri: 'sip:[2001:db8::5]', cseq: 2 }, T, { ...wildcard, localAddress: '::' }).status, 200);
  assert.is(send({ ruri: 'sip:other.example', cseq: 3 }, T, wildcard).status, 404);
  assert.is(send({ ruri: 'sip:192.0.2.77', cseq: 4 }, T, udpFlow()).status, 404); // bound to 192.0.2.1
});

test('answers 404 for a Request-URI of another domain: this registrar forwards nothing (RFC 3261 §10.3 step 1)', () => {
  const { store, send } = setup();
  const res = send({ ruri: 'sip:example.org' });
  assert.is(res.status, 404);
  assert.is(res.reason, 'Domain not served here');
  assert.equal(store.all(), []);
});

test('answers 403 when the To AOR is not the authenticated user (RFC 3261 §10.3 step 4)', () => {
  const { store, send } = setup();
  const res = send({ user: '1002' }, T, udpFlow(), '1001');
  assert.is(res.status, 403);
  assert.equal(store.all(), []);
});

test('answers 404 when the To AOR is in another domain (RFC 3261 §10.3 step 5)', () => {
  const { send } = setup();
  assert.is(send({ host: 'example.org' }).status, 404);
});

test('answers 400 for a To that is no SIP or SIPS URI (RFC 3261 §10.2, RFC 4475 §3.3.4 unksm2)', () => {
  const { registrar } = setup({ domain: 'example.com' });
  const req = register();
  req.headers.set('To', 'isbn:2983792873');
  req.uri = 'sip:example.com';
  const res = registrar.register(req, { username: '1001', flow: udpFlow(), now: T });
  assert.is(res.status, 400);
});

test('takes the expiry from the Contact expires parameter over the Expires header (RFC 3261 §10.3 step 7)', () => {
  const { send } = setup();
  assert.equal(listed(send({ contact: '<sip:1001@192.0.2.10>;expires=120', expires: 900 })), [['sip:1001@192.0.2.10', '120']]);
});

test('takes the Expires header when the contact has no expires, else the default (RFC 3261 §10.3 step 7)', () => {
  const a = setup();
  assert.equal(listed(a.send({ expires: 900 })), [['sip:1001@192.0.2.10:5060', '900']]);
  const b = setup();
  assert.equal(listed(b.send()), [['sip:1001@192.0.2.10:5060', '1800']]);
});

test('answers 423 with Min-Expires for an expiry under minExpires, changing nothing (RFC 3261 §10.3 step 7, §20.23)', () => {
  const { store, send } = setup();
  const res = send({ contact: ['<sip:1001@192.0.2.10>;expires=600', '<sip:1001@192.0.2.11>;expires=30'] });
  assert.is(res.status, 423);
  assert.is(res.reason, 'Interval Too Brief');
  assert.is(res.headers.get('Min-Expires'), '60');
  assert.equal(store.all(), []);
});

test('shortens an expiry above maxExpires (RFC 3261 §10.3 step 7)', () => {
  const { store, send } = setup();
  assert.equal(listed(send({ expires: 86400 })), [['sip:1001@192.0.2.10:5060', '3600']]);
  assert.is(store.all()[0]!.expiresAt, T + 3_600_000);
});

test('expires 0 removes that binding only and is never too brief (RFC 3261 §10.3 step 7)', () => {
  const { store, send } = setup();
  send({ contact: ['<sip:1001@192.0.2.10>', '<sip:1001@192.0.2.11>'] });
  const res = send({ contact: '<sip:1001@192.0.2.10>;expires=0', cseq: 2 });
  assert.is(res.status, 200);
  assert.equal(listed(res), [['sip:1001@192.0.2.11', '1800']]);
  assert.equal(store.bindings('1001', T).map((b) => b.contact), ['sip:1001@192.0.2.11']);
});

test('a refresh extends the binding and records the new flow (RFC 3261 §10.3 step 7)', () => {
  const { store, send } = setup();
  send({ expires: 600 });
  const res = send({ expires: 600, cseq: 2 }, T + 500_000, udpFlow('192.0.2.10', 5099));
  assert.equal(listed(res), [['sip:1001@192.0.2.10:5060', '600']]);
  const [b] = store.all();
  assert.is(b!.expiresAt, T + 1_100_000);
  assert.is(b!.flow.remotePort, 5099);
  assert.is(b!.cseq, 2);
});

test('lists the remaining time of bindings not in the request (RFC 3261 §10.3 step 8)', () => {
  const { send } = setup();
  send({ contact: '<sip:1001@192.0.2.10>', expires: 600, callId: 'desk' });
  const res = send({ contact: '<sip:1001@192.0.2.11>', expires: 600, callId: 'dect' }, T + 100_000);
  assert.equal(listed(res).sort(), [['sip:1001@192.0.2.10', '500'], ['sip:1001@192.0.2.11', '600']]);
});

test('refuses with 400 a REGISTER with the same Call-ID and a CSeq not higher than the binding\'s (RFC 3261 §10.3 step 7)', () => {
  const { store, send } = setup();
  send({ cseq: 5, expires: 600 });
  for (const cseq of [5, 4]) {
    const res = send({ cseq, expires: 0 });
    assert.is(res.status, 400);
    assert.match(res.reason, /CSeq/);
  }
  assert.is(store.all()[0]!.expiresAt, T + 600_000); // untouched
  assert.is(send({ cseq: 6, expires: 0 }).status, 200);
  assert.equal(store.bindings('1001', T), []);
});

test('a different Call-ID may update a binding whatever its CSeq (RFC 3261 §10.3 step 7)', () => {
  const { store, send } = setup();
  send({ cseq: 50, callId: 'before-reboot' });
  assert.is(send({ cseq: 1, callId: 'after-reboot', expires: 300 }).status, 200);
  assert.is(store.all()[0]!.callId, 'after-reboot');
});

test('Contact * with Expires: 0 removes every binding of the AOR (RFC 3261 §10.3 step 6)', () => {
  const { store, send } = setup();
  send({ contact: ['<sip:1001@192.0.2.10>', '<sip:1001@192.0.2.11>'] });
  send({ user: '1002', contact: '<sip:1002@192.0.2.12>' });
  const res = send({ contact: '*', expires: 0, cseq: 2 });
  assert.is(res.status, 200);
  assert.equal(res.headers.getAll('Contact'), []);
  assert.equal(store.bindings('1001', T), []);
  assert.is(store.bindings('1002', T).length, 1);
});

test('Contact * without Expires: 0 is answered 400 (RFC 3261 §10.3 step 6)', () => {
  const { store, send } = setup();
  send();
  assert.is(send({ contact: '*', cseq: 2 }).status, 400);
  assert.is(send({ contact: '*', expires: 60, cseq: 3 }).status, 400);
  assert.is(store.all().length, 1);
});

test('Contact * among other contacts is answered 400 (RFC 3261 §10.3 step 6)', () => {
  // The parser already answers 400 for such a message off the wire ...
  assert.throws(() => register({ contact: ['*', '<sip:1001@192.0.2.10>'], expires: 0 }), /must be the only Contact/);
  // ... and the registrar does too for one built in code.
  const { registrar, store } = setup();
  const req = register({ expires: 0 });
  req.headers.set('Contact', ['*', '<sip:1001@192.0.2.10>']);
  assert.is(registrar.register(req, { username: '1001', flow: udpFlow(), now: T }).status, 400);
  assert.equal(store.all(), []);
});

test('Contact * fails as a whole when a binding of the same Call-ID has a CSeq not lower (RFC 3261 §10.3 step 6)', () => {
  const { store, send } = setup();
  send({ contact: '<sip:1001@192.0.2.10>', cseq: 7, callId: 'a' });
  send({ contact: '<sip:1001@192.0.2.11>', cseq: 1, callId: 'b' });
  assert.is(send({ contact: '*', expires: 0, cseq: 7, callId: 'a' }).status, 400);
  assert.is(store.bindings('1001', T).length, 2);
  assert.is(send({ contact: '*', expires: 0, cseq: 8, callId: 'a' }).status, 200);
  assert.is(store.bindings('1001', T).length, 0);
});

test('a REGISTER without Contact is a query: 200 with the bindings, nothing changed (RFC 3261 §10.3 step 8)', () => {
  const { store, send } = setup();
  send({ expires: 600 });
  const res = send({ contact: null, cseq: 1 }, T + 60_000); // no ordering check for a query
  assert.is(res.status, 200);
  assert.equal(listed(res), [['sip:1001@192.0.2.10:5060', '540']]);
  assert.is(store.all()[0]!.cseq, 1);
});

test('matches an existing binding by URI equality, not by spelling (RFC 3261 §10.3 step 7, §19.1.4)', () => {
  const { store, send } = setup();
  send({ contact: '<sip:1001@Phone.Example:5060>' });
  send({ contact: '<sip:1001@phone.example:5060>;expires=0', cseq: 2 });
  assert.equal(store.bindings('1001', T), []);
});

test('a new contact with the same +sip.instance replaces the old one: no ghost after an address change (RFC 5626 §6)', () => {
  const { store, send } = setup();
  const inst = '+sip.instance="<urn:uuid:00000000-0000-1000-8000-000a95a0e128>"';
  send({ contact: `<sip:1001@192.0.2.10:5060>;${inst}` });
  const res = send({ contact: `<sip:1001@192.0.2.99:5060>;${inst}`, cseq: 2 }, T, udpFlow('192.0.2.99'));
  assert.equal(listed(res), [['sip:1001@192.0.2.99:5060', '1800']]);
  assert.match(res.headers.get('Contact')!, /;\+sip\.instance="<urn:uuid:00000000-0000-1000-8000-000a95a0e128>"/);
  const all = store.bindings('1001', T);
  assert.is(all.length, 1);
  assert.is(all[0]!.instanceId, '<urn:uuid:00000000-0000-1000-8000-000a95a0e128>');
});

test('one instance with two reg-ids keeps two flows; the same reg-id replaces; Require: outbound is answered (RFC 5626 §6)', () => {
  const { store, send } = setup();
  const inst = '+sip.instance="<urn:uuid:abc>"';
  const extra = ['Supported: path, outbound'];
  send({ contact: `<sip:1001@192.0.2.10:5060;ob>;${inst};reg-id=1`, extra });
  const res = send({ contact: `<sip:1001@192.0.2.10:5062;ob>;${inst};reg-id=2`, extra, callId: 'flow2' });
  assert.is(res.headers.get('Require'), 'outbound');
  assert.is(store.bindings('1001', T).length, 2);
  send({ contact: `<sip:1001@192.0.2.77:5060;ob>;${inst};reg-id=1`, extra, cseq: 2 });
  assert.equal(store.bindings('1001', T).map((b) => [b.contact, b.regId]).sort(), [
    ['sip:1001@192.0.2.10:5062;ob', 2],
    ['sip:1001@192.0.2.77:5060;ob', 1],
  ]);
  const plain = send({ contact: '<sip:1001@192.0.2.50>', callId: 'plain' });
  assert.not.ok(plain.headers.has('Require'));
});

test('reg-id without +sip.instance is ignored (RFC 5626 §6)', () => {
  const { store, send } = setup();
  send({ contact: '<sip:1001@192.0.2.10>;reg-id=1' });
  assert.is(store.all()[0]!.regId, undefined);
});

test('Path is stored, and echoed only when the phone supports it (RFC 3327 §5.3)', () => {
  const path = ['Path: <sip:edge.example.net;lr;ob>'];
  const a = setup();
  const quiet = a.send({ extra: path });
  assert.not.ok(quiet.headers.has('Path'));
  assert.equal(a.store.all()[0]!.path, ['<sip:edge.example.net;lr;ob>']);
  const b = setup();
  const echoed = b.send({ extra: [...path, 'Supported: path'] });
  assert.equal(echoed.headers.getAll('Path'), ['<sip:edge.example.net;lr;ob>']);
});

test('several contacts per AOR are kept and listed q first (RFC 3261 §10.3 step 8)', () => {
  const { send } = setup();
  const res = send({ contact: ['<sip:1001@192.0.2.10>;q=0.5', '<sip:1001@192.0.2.11>;q=0.9', '<sip:1001@192.0.2.12>'] });
  assert.equal(listed(res).map(([u]) => u), ['sip:1001@192.0.2.12', 'sip:1001@192.0.2.11', 'sip:1001@192.0.2.10']);
  assert.match(res.headers.getAll('Contact')[1]!, /;q=0\.9/);
});

test('refuses with 403 a contact beyond maxContactsPerAor, keeping the existing ones, refreshes still pass', () => {
  const { store, send } = setup({ maxContactsPerAor: 2 });
  send({ contact: ['<sip:1001@192.0.2.10>', '<sip:1001@192.0.2.11>'] });
  const res = send({ contact: '<sip:1001@192.0.2.12>', cseq: 2 });
  assert.is(res.status, 403);
  assert.match(res.reason, /Too many contacts \(at most 2/);
  assert.is(store.all().length, 2);
  assert.is(send({ contact: '<sip:1001@192.0.2.11>', cseq: 3 }).status, 200);
  // Replacing one within the same request stays under the cap.
  assert.is(send({ contact: ['<sip:1001@192.0.2.11>;expires=0', '<sip:1001@192.0.2.12>'], cseq: 4 }).status, 200);
});

test('malformed Contact values are answered 400, never thrown (RFC 3261 §10.3 step 7)', () => {
  for (const contact of [
    '<sip:1001@192.0.2.10>;expires=soon',
    '<sip:1001@192.0.2.10>;q=2',
    '<sip:1001@192.0.2.10>;+sip.instance=abc',
    '<sip:1001@192.0.2.10>;+sip.instance="<urn:uuid:1>";reg-id=0',
    '<tel:+15551234>',
    '<mailto:a@b.c>',
  ]) {
    const { store, send } = setup();
    const res = send({ contact });
    assert.is(res.status, 400, contact);
    assert.equal(store.all(), []);
  }
  const { registrar } = setup();
  for (const [name, value] of [['Contact', '<sip:1001@192.0.2.10'], ['Expires', 'tomorrow'], ['CSeq', 'x REGISTER'], ['To', '<sip:1001@pbx.local']]) {
    const req = register();
    req.headers.set(name!, value!);
    assert.is(registrar.register(req, { username: '1001', flow: udpFlow(), now: T }).status, 400, name);
  }
});

test('a failing store is answered 500 and reported, never thrown', () => {
  const store = new MemoryBindingStore();
  store.upsert = () => {
    throw new Error('disk full');
  };
  const errors: unknown[] = [];
  const registrar = new Registrar({ domain: 'pbx.local', minExpires: 60, maxExpires: 3600, defaultExpires: 1800, store, onError: (e) => errors.push(e) });
  const res = registrar.register(register(), { username: '1001', flow: udpFlow(), now: T });
  assert.is(res.status, 500);
  assert.is((errors[0] as Error).message, 'disk full');
});

test('expired bindings are neither listed nor counted against the cap', () => {
  const { send } = setup({ maxContactsPerAor: 1 });
  send({ contact: '<sip:1001@192.0.2.10>', expires: 60 });
  const res = send({ contact: '<sip:1001@192.0.2.11>', expires: 60, callId: 'other' }, T + 61_000);
  assert.is(res.status, 200);
  assert.equal(listed(res), [['sip:1001@192.0.2.11', '60']]);
});

test.run();
