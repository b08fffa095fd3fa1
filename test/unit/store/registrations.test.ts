import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type BindingRecord, type Store } from '../../../src/store/store.js';

const T = 1_700_000_000_000;

function seeded(): Store {
  const store = openStore(mkdtempSync(join(tmpdir(), 'softswitch-reg-')));
  const alice = store.users.insert({ ext: '1001', name: 'Alice', callerId: null, mobile: null }, T);
  const bob = store.users.insert({ ext: '2001', name: 'Bob', callerId: null, mobile: null }, T);
  store.devices.insert({ userId: alice.id, ext: '1001', secret: 'desk-secret', model: null, mac: null, enabled: true }, T);
  store.devices.insert({ userId: alice.id, ext: '1002', secret: 'dect-secret', model: null, mac: null, enabled: true }, T);
  store.devices.insert({ userId: bob.id, ext: '2001', secret: 'bobs-secret', model: null, mac: null, enabled: true }, T);
  return store;
}

function binding(aor: string, contact: string, over: Partial<BindingRecord> = {}): BindingRecord {
  return {
    aor,
    contact,
    callId: `call-${contact}`,
    cseq: 1,
    expiresAt: T + 3_600_000,
    path: [],
    flow: { protocol: 'udp', remoteAddress: '192.0.2.10', remotePort: 5060, localAddress: '192.0.2.1', localPort: 5060 },
    updatedAt: T,
    ...over,
  };
}

test('upsert stores every field and reads it back unchanged, optional ones included', () => {
  const store = seeded();
  const full = binding('1001', 'sip:1001@192.0.2.10:5062;transport=tcp', {
    instanceId: '<urn:uuid:00000000-0000-1000-8000-000a95a0e128>',
    regId: 1,
    q: 0.7,
    path: ['<sip:edge1.example.com;lr>', '<sip:edge2.example.com;lr>'],
    flow: { protocol: 'tls', remoteAddress: '2001:db8::10', remotePort: 41234, localAddress: '2001:db8::1', localPort: 5061, connectionId: 42 },
    userAgent: 'Yealink SIP-T54W 96.86.0.70',
    contactParams: ';+sip.ice;unknownparam;video',
  });
  store.registrations.upsert(full);
  const minimal = binding('1002', 'sip:1002@192.0.2.11');
  store.registrations.upsert(minimal);
  assert.equal(store.registrations.bindings('1001', T), [full]);
  assert.equal(store.registrations.bindings('1002', T), [minimal]);
  store.close();
});

test('contact parameters round-trip, and a refresh without them clears them (RFC 4475 §3.3.12 cparam01)', () => {
  const store = seeded();
  store.registrations.upsert(binding('1001', 'sip:+19725552222@gw1.example.net', { contactParams: ';unknownparam' }));
  assert.is(store.registrations.bindings('1001', T)[0]!.contactParams, ';unknownparam');
  assert.is(store.registrations.live(T)[0]!.contactParams, ';unknownparam');
  store.registrations.upsert(binding('1001', 'sip:+19725552222@gw1.example.net', { cseq: 2 }));
  const [refreshed] = store.registrations.bindings('1001', T);
  assert.is(refreshed!.cseq, 2);
  assert.not.ok('contactParams' in refreshed!, 'absent, not undefined: the record keeps its shape');
  store.close();
});

test('upsert with the same (aor, contact) replaces the binding (RFC 3261 §10.3 step 7)', () => {
  const store = seeded();
  store.registrations.upsert(binding('1001', 'sip:a@x', { cseq: 1 }));
  store.registrations.upsert(binding('1001', 'sip:a@x', { cseq: 2, expiresAt: T + 60_000, updatedAt: T + 5 }));
  const list = store.registrations.bindings('1001', T);
  assert.is(list.length, 1);
  assert.is(list[0]!.cseq, 2);
  assert.is(list[0]!.expiresAt, T + 60_000);
  store.close();
});

test('bindings returns unexpired ones only, highest q first (absent q counts as 1.0)', () => {
  const store = seeded();
  store.registrations.upsert(binding('1001', 'sip:low@x', { q: 0.1 }));
  store.registrations.upsert(binding('1001', 'sip:none@x'));
  store.registrations.upsert(binding('1001', 'sip:mid@x', { q: 0.5 }));
  store.registrations.upsert(binding('1001', 'sip:gone@x', { expiresAt: T }));
  assert.equal(store.registrations.bindings('1001', T).map((b) => b.contact), ['sip:none@x', 'sip:mid@x', 'sip:low@x']);
  assert.equal(store.registrations.bindings('1001', T + 3_600_000), []);
  store.close();
});

test('remove deletes one contact, removeAll every contact of the aor only', () => {
  const store = seeded();
  store.registrations.upsert(binding('1001', 'sip:a@x'));
  store.registrations.upsert(binding('1001', 'sip:b@x'));
  store.registrations.upsert(binding('2001', 'sip:c@x'));
  store.registrations.remove('1001', 'sip:a@x');
  assert.equal(store.registrations.bindings('1001', T).map((b) => b.contact), ['sip:b@x']);
  store.registrations.removeAll('1001');
  assert.equal(store.registrations.bindings('1001', T), []);
  assert.is(store.registrations.bindings('2001', T).length, 1);
  store.close();
});

test('live joins each unexpired binding with its user, ordered by user then device', () => {
  const store = seeded();
  store.registrations.upsert(binding('2001', 'sip:bob@x'));
  store.registrations.upsert(binding('1002', 'sip:dect@x'));
  store.registrations.upsert(binding('1001', 'sip:desk@x'));
  store.registrations.upsert(binding('1001', 'sip:old@x', { expiresAt: T - 1 }));
  const live = store.registrations.live(T);
  assert.equal(live.map((b) => [b.aor, b.contact, b.userExt, b.userName]), [
    ['1001', 'sip:desk@x', '1001', 'Alice'],
    ['1002', 'sip:dect@x', '1001', 'Alice'],
    ['2001', 'sip:bob@x', '2001', 'Bob'],
  ]);
  store.close();
});

test('purgeExpired deletes expired bindings and says how many', () => {
  const store = seeded();
  store.registrations.upsert(binding('1001', 'sip:a@x', { expiresAt: T + 10 }));
  store.registrations.upsert(binding('1001', 'sip:b@x', { expiresAt: T + 20 }));
  store.registrations.upsert(binding('2001', 'sip:c@x', { expiresAt: T + 30 }));
  assert.is(store.registrations.purgeExpired(T + 20), 2);
  assert.is(store.registrations.purgeExpired(T + 20), 0);
  assert.equal(store.registrations.live(0).map((b) => b.contact), ['sip:c@x']);
  store.close();
});

test('transaction applies all changes or none', () => {
  const store = seeded();
  store.registrations.upsert(binding('1001', 'sip:keep@x'));
  assert.throws(() =>
    store.registrations.transaction(() => {
      store.registrations.remove('1001', 'sip:keep@x');
      store.registrations.upsert(binding('1001', 'sip:new@x'));
      throw new Error('REGISTER rejected half-way');
    }),
  );
  assert.equal(store.registrations.bindings('1001', T).map((b) => b.contact), ['sip:keep@x']);
  const result = store.registrations.transaction(() => {
    store.registrations.remove('1001', 'sip:keep@x');
    store.registrations.upsert(binding('1001', 'sip:new@x'));
    return 'done';
  });
  assert.is(result, 'done');
  assert.equal(store.registrations.bindings('1001', T).map((b) => b.contact), ['sip:new@x']);
  store.close();
});

test('upsert for an extension that has no device throws a clear error', () => {
  const store = seeded();
  assert.throws(() => store.registrations.upsert(binding('7777', 'sip:x@y')), /no device with extension 7777/);
  store.close();
});

test('bindings go away with their device, and with their user', () => {
  const store = seeded();
  store.registrations.upsert(binding('1001', 'sip:a@x'));
  store.registrations.upsert(binding('1002', 'sip:b@x'));
  store.registrations.upsert(binding('2001', 'sip:c@x'));
  store.devices.remove(store.devices.findByExt('2001')!.id);
  assert.equal(store.registrations.bindings('2001', T), []);
  store.users.remove(store.users.findByExt('1001')!.id);
  assert.equal(store.registrations.live(T), []);
  store.close();
});

test.run();
