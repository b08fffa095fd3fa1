import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../../src/store/store.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'softswitch-store-'));
const T = 1_700_000_000_000;

function seeded(dir = tempDir()): Store {
  const store = openStore(dir);
  const alice = store.users.insert({ ext: '1001', name: 'Alice', callerId: null, mobile: null }, T);
  store.devices.insert({ userId: alice.id, ext: '1001', secret: 'desk-secret', model: 'T54W', mac: null, enabled: true }, T);
  store.devices.insert({ userId: alice.id, ext: '1002', secret: 'dect-secret', model: null, mac: null, enabled: false }, T);
  return store;
}

test('findForAuth returns secret, enabled flag, user id, the user main extension and the digest algorithms (null = default)', () => {
  const store = seeded();
  const alice = store.users.findByExt('1001')!;
  assert.equal(store.devices.findForAuth('1001'), { ext: '1001', secret: 'desk-secret', enabled: true, userId: alice.id, userExt: '1001', authAlgorithms: null });
  assert.equal(store.devices.findForAuth('1002'), { ext: '1002', secret: 'dect-secret', enabled: false, userId: alice.id, userExt: '1001', authAlgorithms: null });
  assert.is(store.devices.findForAuth('9999'), undefined);
  store.close();
});

test('findForAuth sees a change committed by another connection on its very next call (no stale cache)', () => {
  const dir = tempDir();
  const switchSide = seeded(dir);
  const cliSide = openStore(dir);
  assert.is(switchSide.devices.findForAuth('1001')!.secret, 'desk-secret');
  const device = cliSide.devices.findByExt('1001')!;
  cliSide.devices.update(device.id, { secret: 'rotated-secret', enabled: false }, T + 1);
  assert.equal(switchSide.devices.findForAuth('1001')!.secret, 'rotated-secret');
  assert.is(switchSide.devices.findForAuth('1001')!.enabled, false);
  cliSide.devices.remove(device.id);
  assert.is(switchSide.devices.findForAuth('1001'), undefined);
  switchSide.close();
  cliSide.close();
});

test('at most one primary device per user; setPrimary moves the mark', () => {
  const store = seeded();
  const alice = store.users.findByExt('1001')!;
  const d1 = store.devices.findByExt('1001')!;
  const d2 = store.devices.findByExt('1002')!;
  store.devices.setPrimary(d1.id, T);
  assert.is(store.devices.primaryOf(alice.id)!.ext, '1001');
  store.devices.setPrimary(d2.id, T);
  assert.is(store.devices.primaryOf(alice.id)!.ext, '1002');
  assert.is(store.devices.findById(d1.id)!.primary, false);
  assert.throws(() => store.db.prepare('UPDATE devices SET is_primary = 1 WHERE id = ?').run(d1.id), /UNIQUE constraint failed/);
  store.devices.clearPrimary(d2.id, T);
  assert.is(store.devices.primaryOf(alice.id), undefined);
  store.close();
});

test('device and user extensions are unique within their tables (last line of defence)', () => {
  const store = seeded();
  const alice = store.users.findByExt('1001')!;
  assert.throws(() => store.users.insert({ ext: '1001', name: 'Other', callerId: null, mobile: null }, T), /UNIQUE/);
  assert.throws(() => store.devices.insert({ userId: alice.id, ext: '1002', secret: 'x-secret-1', model: null, mac: null, enabled: true }, T), /UNIQUE/);
  store.close();
});

test('removing a user removes its devices (ON DELETE CASCADE)', () => {
  const store = seeded();
  const alice = store.users.findByExt('1001')!;
  assert.ok(store.users.remove(alice.id));
  assert.is(store.devices.findByExt('1001'), undefined);
  assert.is(store.devices.list().length, 0);
  store.close();
});

test('resolveNumber: the main extension wins over a device with the same number', () => {
  const store = seeded();
  const r = store.resolveNumber('1001');
  assert.is(r?.kind, 'user');
  if (r?.kind === 'user') {
    assert.is(r.user.name, 'Alice');
    assert.equal(r.devices.map((d) => d.ext).sort(), ['1001', '1002']);
  }
  const d = store.resolveNumber('1002');
  assert.is(d?.kind, 'device');
  if (d?.kind === 'device') {
    assert.is(d.device.ext, '1002');
    assert.is(d.user.name, 'Alice');
  }
  assert.is(store.resolveNumber('5555'), undefined);
  store.close();
});

test('lists are ordered by extension as a number would be (2 digits before 3)', () => {
  const store = openStore(tempDir());
  for (const ext of ['200', '10', '1000', '99']) store.users.insert({ ext, name: `U${ext}`, callerId: null, mobile: null }, T);
  assert.equal(store.users.list().map((u) => u.ext), ['10', '99', '200', '1000']);
  store.close();
});

test('update keeps the fields it is not given and stamps updatedAt', () => {
  const store = seeded();
  const alice = store.users.findByExt('1001')!;
  store.users.update(alice.id, { callerId: '+4930123456' }, T + 5);
  const after = store.users.findById(alice.id)!;
  assert.equal({ ...after }, { ...alice, callerId: '+4930123456', updatedAt: T + 5 });
  store.close();
});

test.run();
