// Write-behind bindings: served from memory at once, written to the backing store in batches.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BindingRecord } from '../../../../src/sip/registrar/binding-store.js';
import { BufferedBindingStore } from '../../../../src/sip/registrar/buffered-binding-store.js';
import { MemoryBindingStore } from '../../../../src/sip/registrar/memory-binding-store.js';
import { Registrar } from '../../../../src/sip/registrar/registrar.js';
import { openStore } from '../../../../src/store/store.js';
import { register, udpFlow } from './register-request.js';

const T = 1_700_000_000_000;

function binding(aor: string, contact: string, over: Partial<BindingRecord> = {}): BindingRecord {
  return {
    aor, contact, callId: 'c', cseq: 1, expiresAt: T + 3_600_000, path: [],
    flow: udpFlow(), updatedAt: T, ...over,
  };
}

test('changes are visible at once and reach the backing store only at flush', () => {
  const backing = new MemoryBindingStore();
  const s = new BufferedBindingStore(backing);
  s.upsert(binding('1001', 'sip:a@x'));
  s.upsert(binding('1001', 'sip:b@x'));
  s.remove('1001', 'sip:a@x');
  assert.equal(s.bindings('1001', T).map((b) => b.contact), ['sip:b@x']);
  assert.equal(backing.all(), []);
  assert.is(s.pending, 2, 'a: upsert then remove is one pending change; b: one');
  assert.is(s.flush(), 2);
  assert.equal(backing.all().map((b) => b.contact), ['sip:b@x']);
  assert.is(s.pending, 0);
  assert.is(s.flush(), 0);
});

test('a binding refreshed several times between flushes is written once, in its latest state', () => {
  const writes: string[] = [];
  const backing = new MemoryBindingStore();
  const upsert = backing.upsert.bind(backing);
  backing.upsert = (b) => (writes.push(`${b.contact} cseq ${b.cseq}`), upsert(b));
  const s = new BufferedBindingStore(backing);
  for (let cseq = 1; cseq <= 5; cseq++) s.upsert(binding('1001', 'sip:a@x', { cseq }));
  assert.is(s.pending, 1);
  s.flush();
  assert.equal(writes, ['sip:a@x cseq 5']);
  assert.is(backing.all()[0]!.cseq, 5);
});

test('a wildcard removal stays ordered against the changes around it (RFC 3261 §10.3 step 6)', () => {
  const backing = new MemoryBindingStore();
  const s = new BufferedBindingStore(backing);
  s.upsert(binding('1001', 'sip:a@x'));
  s.removeAll('1001');
  s.upsert(binding('1001', 'sip:a@x', { cseq: 2 })); // registered again after the wildcard
  s.flush();
  assert.equal(backing.all().map((b) => [b.contact, b.cseq]), [['sip:a@x', 2]]);
  s.upsert(binding('1001', 'sip:b@x'));
  s.removeAll('1001');
  s.flush();
  assert.equal(backing.all(), []);
});

test('bindings already in the backing store are loaded on first use', () => {
  const backing = new MemoryBindingStore();
  backing.upsert(binding('1001', 'sip:old@x'));
  const s = new BufferedBindingStore(backing);
  s.upsert(binding('1001', 'sip:new@x'));
  assert.equal(s.bindings('1001', T).map((b) => b.contact).sort(), ['sip:new@x', 'sip:old@x']);
  s.removeAll('1001');
  s.flush();
  assert.equal(backing.all(), []);
});

test('a transaction that throws leaves neither the cache nor the queue changed', () => {
  const backing = new MemoryBindingStore();
  backing.upsert(binding('1001', 'sip:old@x'));
  const s = new BufferedBindingStore(backing);
  assert.throws(() =>
    s.transaction(() => {
      s.bindings('1001', T);
      s.removeAll('1001');
      s.upsert(binding('1001', 'sip:new@x'));
      throw new Error('refused');
    }),
  );
  assert.is(s.pending, 0);
  assert.equal(s.bindings('1001', T).map((b) => b.contact), ['sip:old@x']);
});

test('invalidate flushes, then reloads what the database holds', () => {
  const backing = new MemoryBindingStore();
  const s = new BufferedBindingStore(backing);
  s.upsert(binding('1001', 'sip:a@x'));
  backing.upsert(binding('1001', 'sip:by-cli@x')); // written behind the cache's back
  s.invalidate('1001');
  assert.equal(s.bindings('1001', T).map((b) => b.contact).sort(), ['sip:a@x', 'sip:by-cli@x']);
});

test('over SQLite: the registrar writes through it, and a change for a deleted device is dropped alone at flush', () => {
  const dir = mkdtempSync(join(tmpdir(), 'softswitch-buffered-'));
  const store = openStore(dir);
  try {
    const u = store.users.insert({ ext: '1001', name: 'A', callerId: null, mobile: null }, T);
    store.devices.insert({ userId: u.id, ext: '1001', secret: 's', model: null, mac: null, enabled: true }, T);
    const gone = store.devices.insert({ userId: u.id, ext: '1002', secret: 's', model: null, mac: null, enabled: true }, T);
    const errors: unknown[] = [];
    const buffered = new BufferedBindingStore(store.registrations, (e) => errors.push(e));
    const registrar = new Registrar({ domain: 'pbx.local', minExpires: 60, maxExpires: 3600, defaultExpires: 3600, store: buffered });
    assert.is(registrar.register(register({ user: '1001' }), { username: '1001', flow: udpFlow(), now: T }).status, 200);
    assert.is(registrar.register(register({ user: '1002' }), { username: '1002', flow: udpFlow(), now: T }).status, 200);
    assert.equal(store.registrations.bindings('1001', T), []); // not yet written
    store.devices.remove(gone.id);
    assert.is(buffered.flush(), 2);
    assert.is(store.registrations.bindings('1001', T).length, 1);
    assert.is(errors.length, 1);
    assert.match(String(errors[0]), /no device with extension 1002/);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
