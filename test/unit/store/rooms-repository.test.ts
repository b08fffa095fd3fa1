// Rows of rooms and conference_ranges (migration 4): the repositories, and the constraints
// that hold even for a writer that skips src/app/rooms.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../src/store/database.js';
import { MIGRATIONS, migrate, SCHEMA_VERSION } from '../../../src/store/migrations.js';
import { openStore, type NewRoom, type Store } from '../../../src/store/store.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'softswitch-rooms-'));
const T = 1_700_000_000_000;

const publicRoom = (number: string, over: Partial<NewRoom> = {}): NewRoom => ({
  number, name: `Room ${number}`, kind: 'public', ownerUserId: null, pin: null, adminPin: null, language: null, maxParticipants: null, ...over,
});

function withAlice(): { store: Store; aliceId: number } {
  const store = openStore(tempDir());
  const alice = store.users.insert({ ext: '1001', name: 'Alice', callerId: null, mobile: null }, T);
  return { store, aliceId: alice.id };
}

function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: Error) => pattern.test(err.message));
}

test('migration 4 upgrades a version-3 database in place: users kept, no rooms, no ranges', () => {
  const dir = tempDir();
  const v3 = openDatabase(dir);
  assert.is(migrate(v3, MIGRATIONS.slice(0, 3)), 3);
  v3.exec("INSERT INTO users (id, ext, name, created_at, updated_at) VALUES (1, '1001', 'Alice', 0, 0)");
  v3.close();
  const store = openStore(dir);
  assert.ok(SCHEMA_VERSION >= 4);
  assert.is(store.schemaVersion, SCHEMA_VERSION);
  assert.is(store.users.findByExt('1001')!.name, 'Alice');
  assert.equal([store.rooms.list(), store.conferenceRanges.list()], [[], []]);
  store.close();
});

test('insert returns the stored room with every field; findByNumber, findById; absent values are null', () => {
  const { store, aliceId } = withAlice();
  const room = store.rooms.insert({ number: '8001', name: 'Team', kind: 'private', ownerUserId: aliceId, pin: '0042', adminPin: null, language: 'it', maxParticipants: 12 }, T);
  assert.equal(room, {
    id: room.id, number: '8001', name: 'Team', kind: 'private', ownerUserId: aliceId, pin: '0042', adminPin: null, language: 'it', maxParticipants: 12, createdAt: T, updatedAt: T,
  });
  assert.equal(store.rooms.findByNumber('8001'), room);
  assert.equal(store.rooms.findById(room.id), room);
  assert.is(store.rooms.findByNumber('8002'), undefined);
  store.close();
});

test('update changes only the given fields and stamps updatedAt; remove says whether a row went', () => {
  const { store } = withAlice();
  const room = store.rooms.insert(publicRoom('8000', { pin: '1234' }), T);
  store.rooms.update(room.id, { name: 'Lobby', adminPin: '9999', number: '8005' }, T + 5);
  assert.equal(store.rooms.findById(room.id), { ...room, name: 'Lobby', adminPin: '9999', number: '8005', updatedAt: T + 5 });
  store.rooms.update(room.id, { pin: null }, T + 6);
  assert.is(store.rooms.findById(room.id)!.pin, null);
  assert.throws(() => store.rooms.update(room.id + 100, { name: 'x' }, T), /no room with id/);
  assert.is(store.rooms.remove(room.id), true);
  assert.is(store.rooms.remove(room.id), false);
  assert.equal(store.rooms.list(), []);
  store.close();
});

test('list is in number order, shorter numbers first; listByOwner keeps one user\'s private rooms', () => {
  const { store, aliceId } = withAlice();
  for (const n of ['8010', '901', '8002']) store.rooms.insert(publicRoom(n), T);
  store.rooms.insert(publicRoom('8001', { kind: 'private', ownerUserId: aliceId }), T);
  store.rooms.insert(publicRoom('800', { kind: 'private', ownerUserId: aliceId }), T);
  assert.equal(store.rooms.list().map((r) => r.number), ['800', '901', '8001', '8002', '8010']);
  assert.equal(store.rooms.listByOwner(aliceId).map((r) => r.number), ['800', '8001']);
  store.close();
});

test('the schema refuses what the rules refuse: duplicate number, owner rules, admin PIN of a private room, PIN = admin PIN, unknown language', () => {
  const { store, aliceId } = withAlice();
  store.rooms.insert(publicRoom('8000'), T);
  rejects(() => store.rooms.insert(publicRoom('8000'), T), /UNIQUE/);
  rejects(() => store.rooms.insert(publicRoom('8001', { kind: 'private' }), T), /CHECK/);
  rejects(() => store.rooms.insert(publicRoom('8001', { ownerUserId: aliceId }), T), /CHECK/);
  rejects(() => store.rooms.insert(publicRoom('8001', { kind: 'private', ownerUserId: aliceId, adminPin: '1234' }), T), /CHECK/);
  rejects(() => store.rooms.insert(publicRoom('8001', { pin: '1234', adminPin: '1234' }), T), /CHECK/);
  rejects(() => store.rooms.insert(publicRoom('8001', { language: 'de' as 'en' }), T), /CHECK/);
  rejects(() => store.rooms.insert(publicRoom('8001', { maxParticipants: 0 }), T), /CHECK/);
  rejects(() => store.rooms.insert(publicRoom('8001', { kind: 'private', ownerUserId: aliceId + 99 }), T), /FOREIGN KEY/);
  assert.equal(store.rooms.list().map((r) => r.number), ['8000']);
  store.close();
});

test('a private room goes with its owner (ON DELETE CASCADE); public rooms stay', () => {
  const { store, aliceId } = withAlice();
  store.rooms.insert(publicRoom('8001', { kind: 'private', ownerUserId: aliceId }), T);
  store.rooms.insert(publicRoom('8000'), T);
  store.users.remove(aliceId);
  assert.equal(store.rooms.list().map((r) => r.number), ['8000']);
  store.close();
});

test('conference ranges: set replaces the whole set; list is in number order', () => {
  const store = openStore(tempDir());
  store.conferenceRanges.set([{ from: '9500', to: '9599' }, { from: '800', to: '899' }, { from: '8000', to: '8999' }]);
  assert.equal(store.conferenceRanges.list(), [{ from: '800', to: '899' }, { from: '8000', to: '8999' }, { from: '9500', to: '9599' }]);
  store.conferenceRanges.set([{ from: '70', to: '79' }]);
  assert.equal(store.conferenceRanges.list(), [{ from: '70', to: '79' }]);
  store.conferenceRanges.set([]);
  assert.equal(store.conferenceRanges.list(), []);
  store.close();
});

test('conference ranges: a set the schema refuses leaves the previous set whole (ends of unequal length, start above end, duplicate)', () => {
  const store = openStore(tempDir());
  store.conferenceRanges.set([{ from: '8000', to: '8999' }]);
  rejects(() => store.conferenceRanges.set([{ from: '7000', to: '7099' }, { from: '800', to: '8999' }]), /CHECK/);
  rejects(() => store.conferenceRanges.set([{ from: '8999', to: '8000' }]), /CHECK/);
  rejects(() => store.conferenceRanges.set([{ from: '7000', to: '7099' }, { from: '7000', to: '7050' }]), /UNIQUE|PRIMARY/);
  assert.equal(store.conferenceRanges.list(), [{ from: '8000', to: '8999' }]);
  store.close();
});

test('a room written by one connection is seen by another at once (CLI and running switch share the file)', () => {
  const dir = tempDir();
  const cli = openStore(dir);
  const sw = openStore(dir);
  assert.is(sw.rooms.findByNumber('8000'), undefined);
  cli.rooms.insert(publicRoom('8000', { pin: '2468' }), T);
  assert.is(sw.rooms.findByNumber('8000')!.pin, '2468');
  cli.close();
  sw.close();
});

test.run();
