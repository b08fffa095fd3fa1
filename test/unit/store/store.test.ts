import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../../src/store/store.js';
import { MIGRATIONS, migrate, SCHEMA_VERSION, type Migration } from '../../../src/store/migrations.js';
import { openDatabase } from '../../../src/store/database.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'softswitch-store-'));

test('creates the data directory 0700 and softswitch.db 0600', () => {
  const dataDir = join(tempDir(), 'nested', 'data');
  const store = openStore(dataDir);
  store.close();
  assert.is(statSync(dataDir).mode & 0o777, 0o700);
  assert.is(statSync(join(dataDir, 'softswitch.db')).mode & 0o777, 0o600);
  assert.is(store.path, join(dataDir, 'softswitch.db'));
});

test('opens in WAL mode with busy_timeout 5000, foreign keys on and synchronous=NORMAL', () => {
  const store = openStore(tempDir());
  assert.is(store.db.pragma('journal_mode', { simple: true }), 'wal');
  assert.is(store.db.pragma('busy_timeout', { simple: true }), 5000);
  assert.is(store.db.pragma('foreign_keys', { simple: true }), 1);
  assert.is(store.db.pragma('synchronous', { simple: true }), 1); // 1 = NORMAL
  store.close();
});

test('applies every migration once and records it in schema_version', () => {
  const dir = tempDir();
  const first = openStore(dir);
  assert.is(first.schemaVersion, SCHEMA_VERSION);
  first.close();
  const again = openStore(dir);
  const rows = again.db.prepare('SELECT version FROM schema_version ORDER BY version').all() as Array<{ version: number }>;
  assert.equal(rows.map((r) => r.version), Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
  again.close();
});

test('migration 2 upgrades a version-1 database in place: rows kept, auth_algorithms and contact_params NULL', () => {
  const dir = tempDir();
  const v1 = openDatabase(dir);
  assert.is(migrate(v1, MIGRATIONS.slice(0, 1)), 1);
  v1.exec(`INSERT INTO users (id, ext, name, created_at, updated_at) VALUES (1, '1001', 'Alice', 0, 0);
    INSERT INTO devices (id, user_id, ext, secret, created_at, updated_at) VALUES (1, 1, '1001', 'desk-secret', 0, 0);
    INSERT INTO registrations (aor, contact, call_id, cseq, expires_at, protocol, remote_address, remote_port, local_address, local_port, updated_at)
      VALUES ('1001', 'sip:1001@192.0.2.10', 'c1', 1, 9999999999999, 'udp', '192.0.2.10', 5060, '192.0.2.1', 5060, 0);`);
  v1.close();
  const store = openStore(dir);
  assert.is(store.schemaVersion, SCHEMA_VERSION, 'migrated to the latest version');
  assert.equal(store.devices.findForAuth('1001'), { ext: '1001', secret: 'desk-secret', enabled: true, userId: 1, userExt: '1001', authAlgorithms: null });
  const [b] = store.registrations.bindings('1001', 0);
  assert.is(b!.contact, 'sip:1001@192.0.2.10');
  assert.is(b!.contactParams, undefined);
  store.close();
});

test('refuses a database written by a newer softswitch', () => {
  const dir = tempDir();
  const store = openStore(dir);
  store.db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, 0)').run(SCHEMA_VERSION + 1);
  store.close();
  assert.throws(() => openStore(dir), /schema version \d+ is newer than this softswitch supports/);
});

test('a failing migration leaves the database at the previous version with nothing half-applied', () => {
  const db = new Database(join(tempDir(), 'm.db'));
  const steps: Migration[] = [
    { version: 1, description: 'one', sql: 'CREATE TABLE a (x INTEGER);' },
    { version: 2, description: 'broken', sql: 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);' },
  ];
  assert.throws(() => migrate(db, steps), /no such table: nowhere/);
  const version = db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number };
  assert.is(version.v, 1);
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
  assert.ok(tables.includes('a'));
  assert.not.ok(tables.includes('b'), 'table b of the failed step must be rolled back');
  db.close();
});

test('migrations run in version order and skip those already applied', () => {
  const db = new Database(join(tempDir(), 'm.db'));
  const applied: number[] = [];
  const step = (version: number): Migration => ({ version, description: `v${version}`, sql: `CREATE TABLE t${version} (x INTEGER);` });
  assert.is(migrate(db, [step(1)], () => { applied.push(1); return 0; }), 1);
  assert.is(migrate(db, [step(1), step(2), step(3)], () => { applied.push(applied.length + 1); return 0; }), 3);
  assert.equal(applied, [1, 2, 3]);
  db.close();
});

test.run();
