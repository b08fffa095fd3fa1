import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCallHistoryRepository } from '../../../src/store/calls-repository.js';
import { openDatabase } from '../../../src/store/database.js';
import { MIGRATIONS, migrate, SCHEMA_VERSION } from '../../../src/store/migrations.js';
import { openStore, type CallParty, type CallRecord, type Store } from '../../../src/store/store.js';

const T0 = 1_700_000_000_000;
const tempDir = () => mkdtempSync(join(tmpdir(), 'softswitch-calls-'));

function call(id: string, over: Partial<CallRecord> = {}): CallRecord {
  return {
    id,
    callerNumber: '1001',
    callerName: 'Alice',
    callerDevice: '1001',
    dialled: '2001',
    calleeUser: '2001',
    answeredBy: null,
    startedAt: T0,
    answeredAt: null,
    endedAt: null,
    disposition: null,
    endReason: null,
    ...over,
  };
}

const party = (callId: string, userExt: string, role: CallParty['role'], missed = false): CallParty => ({ callId, userExt, role, missed });

/** Alice (1001) calls Bob (2001): the parties the call core records at start. */
function startCall(store: Store, id: string, over: Partial<CallRecord> = {}): void {
  const r = call(id, over);
  const parties = [party(id, r.callerNumber, 'caller')];
  if (r.calleeUser) parties.push(party(id, r.calleeUser, 'callee'));
  store.calls.insert(r, parties);
}

const ids = (entries: Array<{ id: string }>) => entries.map((e) => e.id);

test('a call is inserted live (no disposition, no end) with its parties and read back as written', () => {
  const store = openStore(tempDir());
  startCall(store, 'c1', { callerName: null });
  assert.equal(store.calls.get('c1'), {
    ...call('c1', { callerName: null }),
    parties: [party('c1', '1001', 'caller'), party('c1', '2001', 'callee')],
  });
  assert.is(store.calls.get('nope'), undefined);
  store.close();
});

test('update at answer and at end changes only the fields given; unknown id -> false', () => {
  const store = openStore(tempDir());
  startCall(store, 'c1');
  assert.ok(store.calls.update('c1', { answeredAt: T0 + 4000, answeredBy: '2002' }));
  assert.ok(store.calls.update('c1', { endedAt: T0 + 64_000, disposition: 'answered', endReason: 'callee hung up' }));
  const c = store.calls.get('c1')!;
  assert.equal([c.callerName, c.answeredBy, c.answeredAt, c.endedAt, c.disposition, c.endReason], ['Alice', '2002', T0 + 4000, T0 + 64_000, 'answered', 'callee hung up']);
  assert.is(store.calls.update('c9', { endedAt: T0 }), false);
  store.close();
});

test('missedUsers marks those callee users missed, adding a callee party not listed at insert', () => {
  const store = openStore(tempDir());
  startCall(store, 'c1');
  store.calls.update('c1', { endedAt: T0 + 30_000, disposition: 'no-answer', endReason: 'no answer' }, ['2001', '3001']);
  assert.equal(store.calls.get('c1')!.parties, [party('c1', '1001', 'caller'), party('c1', '2001', 'callee', true), party('c1', '3001', 'callee', true)]);
  store.close();
});

test('insert refuses a party of another call and writes nothing then (one transaction)', () => {
  const store = openStore(tempDir());
  assert.throws(() => store.calls.insert(call('c1'), [party('c1', '1001', 'caller'), party('c2', '2001', 'callee')]), /belongs to call c2/);
  assert.is(store.calls.get('c1'), undefined);
  store.close();
});

test('the disposition column takes only the five dispositions', () => {
  const store = openStore(tempDir());
  startCall(store, 'c1');
  assert.throws(() => store.calls.update('c1', { disposition: 'lost' as never }), /CHECK constraint failed/);
  store.close();
});

test('list: newest first, same start time in insertion order reversed, default limit 50', () => {
  const store = openStore(tempDir());
  for (let i = 0; i < 60; i++) startCall(store, `c${i}`, { startedAt: T0 + Math.floor(i / 2) * 1000 });
  const all = store.calls.list();
  assert.is(all.length, 50);
  assert.equal(ids(all.slice(0, 4)), ['c59', 'c58', 'c57', 'c56']);
  assert.equal(ids(store.calls.list({ limit: 3 })), ['c59', 'c58', 'c57']);
  assert.is(store.calls.list({ limit: 1000 }).length, 60);
  store.close();
});

test('list rejects a limit that is not an integer 1-10000', () => {
  const store = openStore(tempDir());
  for (const limit of [0, -1, 1.5, 10_001, Number.NaN]) assert.throws(() => store.calls.list({ limit }), /limit must be an integer 1-10000/);
  store.close();
});

test('list --user: calls of the user as caller or as callee, each once, with all their parties', () => {
  const store = openStore(tempDir());
  startCall(store, 'a-to-b', { startedAt: T0 });
  startCall(store, 'b-to-c', { startedAt: T0 + 1000, callerNumber: '2001', dialled: '3001', calleeUser: '3001' });
  startCall(store, 'c-to-a', { startedAt: T0 + 2000, callerNumber: '3001', dialled: '1001', calleeUser: '1001' });
  // Alice calls her own main number from her desk phone (rings her DECT): caller and callee.
  startCall(store, 'a-to-a', { startedAt: T0 + 3000, dialled: '1001', calleeUser: '1001' });
  assert.equal(ids(store.calls.list({ userExt: '1001' })), ['a-to-a', 'c-to-a', 'a-to-b']);
  assert.equal(ids(store.calls.list({ userExt: '2001' })), ['b-to-c', 'a-to-b']);
  assert.equal(ids(store.calls.list({ userExt: '9999' })), []);
  assert.equal(store.calls.list({ userExt: '1001', limit: 1 })[0]!.parties, [party('a-to-a', '1001', 'caller'), party('a-to-a', '1001', 'callee')]);
  store.close();
});

test('list missed only: by anyone, or by one user; busy and answered calls are not missed', () => {
  const store = openStore(tempDir());
  startCall(store, 'answered', { startedAt: T0 });
  store.calls.update('answered', { answeredAt: T0 + 1, endedAt: T0 + 9, disposition: 'answered' });
  startCall(store, 'busy', { startedAt: T0 + 1000 });
  store.calls.update('busy', { endedAt: T0 + 1001, disposition: 'busy', endReason: '486 Busy Here' });
  startCall(store, 'no-answer', { startedAt: T0 + 2000 });
  store.calls.update('no-answer', { endedAt: T0 + 32_000, disposition: 'no-answer' }, ['2001']);
  startCall(store, 'cancelled-3001', { startedAt: T0 + 3000, dialled: '3001', calleeUser: '3001' });
  store.calls.update('cancelled-3001', { endedAt: T0 + 5000, disposition: 'cancelled', endReason: 'caller hung up' }, ['3001']);
  assert.equal(ids(store.calls.list({ missedOnly: true })), ['cancelled-3001', 'no-answer']);
  assert.equal(ids(store.calls.list({ missedOnly: true, userExt: '2001' })), ['no-answer']);
  assert.equal(ids(store.calls.list({ missedOnly: true, userExt: '1001' })), [], 'the caller never missed its own call');
  store.close();
});

test('before: the next page starts strictly before the given start time', () => {
  const store = openStore(tempDir());
  for (let i = 0; i < 5; i++) startCall(store, `c${i}`, { startedAt: T0 + i * 1000 });
  const first = store.calls.list({ limit: 2 });
  assert.equal(ids(first), ['c4', 'c3']);
  assert.equal(ids(store.calls.list({ limit: 2, before: first[1]!.startedAt })), ['c2', 'c1']);
  assert.equal(ids(store.calls.list({ userExt: '2001', before: T0 + 1000 })), ['c0']);
  store.close();
});

test('closeDangling ends the rows a crash left live as failed, "switch restarted", and leaves ended ones alone', () => {
  const store = openStore(tempDir());
  startCall(store, 'ended');
  store.calls.update('ended', { answeredAt: T0 + 1, endedAt: T0 + 2, disposition: 'answered', endReason: 'caller hung up' });
  startCall(store, 'ringing');
  startCall(store, 'talking');
  store.calls.update('talking', { answeredAt: T0 + 3000, answeredBy: '2001' });
  assert.is(store.calls.closeDangling(T0 + 99_000), 2);
  for (const id of ['ringing', 'talking']) {
    const c = store.calls.get(id)!;
    assert.equal([c.endedAt, c.disposition, c.endReason], [T0 + 99_000, 'failed', 'switch restarted'], id);
  }
  assert.equal(store.calls.get('talking')!.answeredBy, '2001');
  assert.equal(store.calls.get('ended')!.endReason, 'caller hung up');
  assert.is(store.calls.closeDangling(T0 + 100_000), 0);
  store.close();
});

test('history is by extension at call time: it stays when the user is removed', () => {
  const store = openStore(tempDir());
  const alice = store.users.insert({ ext: '1001', name: 'Alice', callerId: null, mobile: null }, T0);
  startCall(store, 'c1');
  store.users.remove(alice.id);
  assert.equal(ids(store.calls.list({ userExt: '1001' })), ['c1']);
  store.close();
});

test('the four list queries and closeDangling run on indexes: no table scan, no full sort', () => {
  const db = openDatabase(tempDir());
  migrate(db);
  const texts: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((text: string) => (texts.push(text), prepare(text))) as typeof db.prepare;
  createCallHistoryRepository(db);
  db.prepare = prepare;
  const reads = texts.filter((t) => /LIMIT @limit|WHERE ended_at IS NULL/.test(t));
  assert.is(reads.length, 5);
  for (const text of reads) {
    const explain = prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${text}`);
    const rows = text.includes('@limit') ? explain.all({ before: 1, limit: 1, ...(text.includes('@user') ? { user: '1001' } : {}) }) : explain.all(1, 'x');
    const plan = rows.map((r) => r.detail);
    assert.ok(plan.some((d) => /USING (COVERING )?INDEX (calls_by_start|calls_live|call_parties_by_user|call_parties_missed)/.test(d)), plan.join('; '));
    assert.not.ok(plan.some((d) => /^SCAN (c|p|calls|call_parties)\b/.test(d) || d === 'USE TEMP B-TREE FOR ORDER BY'), plan.join('; '));
  }
  db.close();
});

test('migration 3 upgrades a version-2 database in place: users kept, call tables empty', () => {
  const dir = tempDir();
  const v2 = openDatabase(dir);
  assert.is(migrate(v2, MIGRATIONS.slice(0, 2)), 2);
  v2.exec("INSERT INTO users (id, ext, name, created_at, updated_at) VALUES (1, '1001', 'Alice', 0, 0)");
  v2.close();
  const store = openStore(dir);
  assert.is(store.schemaVersion, SCHEMA_VERSION); // and on to the newest (migration 4: rooms)
  assert.is(store.users.findByExt('1001')!.name, 'Alice');
  assert.equal(store.calls.list(), []);
  store.close();
});

test.run();
