// devices.auth_algorithms (migration 2): the Digest algorithms offered to one device, for phones
// that give up when any challenge names SHA-256 (RFC 8760 §2.4, RFC 7616 §3.7).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAuthAlgorithms, encodeAuthAlgorithms } from '../../../src/store/auth-algorithms-column.js';
import { openStore, type Store } from '../../../src/store/store.js';

const T = 1_700_000_000_000;

function seeded(dir = mkdtempSync(join(tmpdir(), 'softswitch-algos-'))): Store {
  const store = openStore(dir);
  const alice = store.users.insert({ ext: '1001', name: 'Alice', callerId: null, mobile: null }, T);
  store.devices.insert({ userId: alice.id, ext: '1001', secret: 'desk-secret', model: null, mac: null, enabled: true }, T);
  store.devices.insert({ userId: alice.id, ext: '1002', secret: 'dect-secret', model: null, mac: null, enabled: true, authAlgorithms: ['MD5'] }, T);
  store.devices.insert({ userId: alice.id, ext: '1003', secret: 'soft-secret', model: null, mac: null, enabled: true, authAlgorithms: ['SHA-256', 'MD5'] }, T);
  return store;
}

test('a device without an override reads back null (the configured default) in findByExt and findForAuth', () => {
  const store = seeded();
  assert.is(store.devices.findByExt('1001')!.authAlgorithms, null);
  assert.is(store.devices.findForAuth('1001')!.authAlgorithms, null);
  assert.is(store.db.prepare<[], { a: string | null }>("SELECT auth_algorithms AS a FROM devices WHERE ext = '1001'").get()!.a, null);
  store.close();
});

test('an override is kept in challenge order (RFC 7616 §3.7: the client takes the first it supports)', () => {
  const store = seeded();
  assert.equal(store.devices.findByExt('1002')!.authAlgorithms, ['MD5']);
  assert.equal(store.devices.findForAuth('1003')!.authAlgorithms, ['SHA-256', 'MD5']);
  assert.equal(store.devices.list().map((d) => d.authAlgorithms), [null, ['MD5'], ['SHA-256', 'MD5']]);
  const raw = store.db.prepare<[], { a: string }>("SELECT auth_algorithms AS a FROM devices WHERE ext = '1003'").get()!.a;
  assert.is(raw, 'SHA-256,MD5');
  store.close();
});

test('each read returns its own list: changing one does not change what the next lookup sees', () => {
  const store = seeded();
  store.devices.findForAuth('1003')!.authAlgorithms!.reverse();
  store.devices.findByExt('1003')!.authAlgorithms!.pop();
  assert.equal(store.devices.findForAuth('1003')!.authAlgorithms, ['SHA-256', 'MD5']);
  store.close();
});

test('update sets and clears the override; other changes keep it', () => {
  const store = seeded();
  const d = store.devices.findByExt('1001')!;
  store.devices.update(d.id, { authAlgorithms: ['MD5'] }, T + 1);
  assert.equal(store.devices.findForAuth('1001')!.authAlgorithms, ['MD5']);
  store.devices.update(d.id, { secret: 'rotated-secret' }, T + 2);
  assert.equal(store.devices.findByExt('1001')!.authAlgorithms, ['MD5']);
  store.devices.update(d.id, { authAlgorithms: null }, T + 3);
  assert.is(store.devices.findByExt('1001')!.authAlgorithms, null);
  store.close();
});

test('a change by another connection (the CLI) is seen by the very next findForAuth (no cache)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'softswitch-algos-'));
  const switchSide = seeded(dir);
  const cliSide = openStore(dir);
  assert.is(switchSide.devices.findForAuth('1001')!.authAlgorithms, null);
  cliSide.devices.update(cliSide.devices.findByExt('1001')!.id, { authAlgorithms: ['MD5'] }, T + 1);
  assert.equal(switchSide.devices.findForAuth('1001')!.authAlgorithms, ['MD5']);
  switchSide.close();
  cliSide.close();
});

test('the repository refuses to write an empty list, an unknown name or a duplicate', () => {
  const store = seeded();
  const d = store.devices.findByExt('1001')!;
  for (const bad of [[], ['MD5', 'MD5'], ['SHA-512-256'], ['md5']] as never[]) {
    assert.throws(() => store.devices.update(d.id, { authAlgorithms: bad }, T + 1), /invalid auth_algorithms/);
  }
  assert.is(store.devices.findByExt('1001')!.authAlgorithms, null);
  store.close();
});

test('column codec: names joined by commas, NULL for the default; text it did not write is refused', () => {
  assert.is(encodeAuthAlgorithms(null), null);
  assert.is(encodeAuthAlgorithms(['MD5', 'SHA-256']), 'MD5,SHA-256');
  assert.is(decodeAuthAlgorithms(null), null);
  assert.equal(decodeAuthAlgorithms('SHA-256'), ['SHA-256']);
  for (const bad of ['', 'MD5,', 'MD5,MD5', 'sha-256', 'MD5;SHA-256']) assert.throws(() => decodeAuthAlgorithms(bad), /invalid auth_algorithms/);
});

test.run();
