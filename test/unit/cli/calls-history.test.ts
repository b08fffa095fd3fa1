// `softswitch history` in-process: reads the database directly, the switch is not running.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { controlSocketPath } from '../../../src/app/control/control-protocol.js';
import type { CallParty, CallRecord, Store } from '../../../src/store/store.js';
import { CliHarness, NOW, type CliResult } from './cli-harness.js';

function ok(r: CliResult): CliResult {
  assert.is(r.stderr, '');
  assert.is(r.code, 0);
  return r;
}

function record(id: string, over: Partial<CallRecord>): CallRecord {
  return {
    id, callerNumber: '1001', callerName: 'Alice', callerDevice: '1001', dialled: '2001', calleeUser: '2001', answeredBy: null,
    startedAt: NOW, answeredAt: null, endedAt: null, disposition: null, endReason: null, ...over,
  };
}

function add(store: Store, r: CallRecord, missed: string[] = []): void {
  const parties: CallParty[] = [{ callId: r.id, userExt: r.callerNumber, role: 'caller', missed: false }];
  if (r.calleeUser) parties.push({ callId: r.id, userExt: r.calleeUser, role: 'callee', missed: missed.includes(r.calleeUser) });
  store.calls.insert(r, parties);
}

/** Four calls as the call core would have recorded them (times in UTC; the harness sets TZ=UTC). */
function withHistory(): CliHarness {
  const h = new CliHarness();
  h.env.TZ = 'UTC';
  const store = h.openStore();
  add(store, record('aaaa1111-answered', { startedAt: NOW - 3_600_000, answeredBy: '2002', answeredAt: NOW - 3_595_000, endedAt: NOW - 3_470_000, disposition: 'answered', endReason: 'callee hung up' }));
  add(store, record('bbbb2222-busy', { startedAt: NOW - 1_800_000, endedAt: NOW - 1_799_000, disposition: 'busy', endReason: '486 Busy Here' }));
  add(store, record('cccc3333-missed', { callerNumber: '+4930123456', callerName: null, callerDevice: null, dialled: '1001', calleeUser: '1001', startedAt: NOW - 600_000, endedAt: NOW - 570_000, disposition: 'no-answer', endReason: 'no answer' }), ['1001']);
  add(store, record('dddd4444-live', { callerNumber: '2001', callerName: 'Bob \u001b[2J', callerDevice: '2001', dialled: '3001', calleeUser: '3001', startedAt: NOW - 5_000 }));
  store.close();
  return h;
}

test('history: newest first, with start time, caller, dialled, answered by, talk time, result, missed by and reason', async () => {
  const h = withHistory();
  assert.is(
    ok(await h.cli('history')).stdout,
    'STARTED              ID        CALLER              DIALLED  ANSWERED BY  TALK   RESULT     MISSED BY  REASON\n' +
      '2023-11-14 22:13:15  dddd4444  2001 (Bob \\x1b[2J)  3001     -            -      live       -          -\n' +
      '2023-11-14 22:03:20  cccc3333  +4930123456         1001     -            -      no-answer  1001       no answer\n' +
      '2023-11-14 21:43:20  bbbb2222  1001 (Alice)        2001     -            -      busy       -          486 Busy Here\n' +
      '2023-11-14 21:13:20  aaaa1111  1001 (Alice)        2001     2002         2m05s  answered   -          callee hung up\n',
  );
});

test('history works with the switch stopped: no control socket is needed or created', async () => {
  const h = withHistory();
  ok(await h.cli('history'));
  assert.not.ok(existsSync(controlSocketPath(h.dataDir)));
});

test('history --user: the user\'s calls as caller or callee; --missed: only their missed ones', async () => {
  const h = withHistory();
  const ids = async (...args: string[]) => JSON.parse(ok(await h.cli('history', '--json', ...args)).stdout).map((c: { id: string }) => c.id);
  assert.equal(await ids('--user', '1001'), ['cccc3333-missed', 'bbbb2222-busy', 'aaaa1111-answered']);
  assert.equal(await ids('--user', '2001'), ['dddd4444-live', 'bbbb2222-busy', 'aaaa1111-answered']);
  assert.equal(await ids('--user', '1001', '--missed'), ['cccc3333-missed']);
  assert.equal(await ids('--user', '2001', '--missed'), [], 'busy is not a missed call');
  assert.equal(await ids('--missed'), ['cccc3333-missed']);
  assert.equal(await ids('--limit', '2'), ['dddd4444-live', 'cccc3333-missed']);
});

test('history with nothing to show says what was asked for', async () => {
  const h = withHistory();
  assert.is(ok(await h.cli('history', '--user', '2001', '--missed')).stdout, 'no missed calls for user 2001\n');
  assert.is(ok(await new CliHarness().cli('history')).stdout, 'no calls\n');
});

test('history --json: every field, times as ISO strings, talk seconds, who missed it, the parties', async () => {
  const h = withHistory();
  const list = JSON.parse(ok(await h.cli('history', '--json')).stdout);
  assert.equal(list[3], {
    id: 'aaaa1111-answered',
    callerNumber: '1001',
    callerName: 'Alice',
    callerDevice: '1001',
    dialled: '2001',
    calleeUser: '2001',
    answeredBy: '2002',
    startedAt: new Date(NOW - 3_600_000).toISOString(),
    answeredAt: new Date(NOW - 3_595_000).toISOString(),
    endedAt: new Date(NOW - 3_470_000).toISOString(),
    talkSeconds: 125,
    disposition: 'answered',
    endReason: 'callee hung up',
    missedBy: [],
    parties: [{ user: '1001', role: 'caller', missed: false }, { user: '2001', role: 'callee', missed: false }],
  });
  assert.equal([list[0].disposition, list[0].endedAt, list[0].talkSeconds], [null, null, null], 'a live call');
  assert.equal(list[1].missedBy, ['1001']);
});

test('history shows start times in $TZ', async () => {
  const h = withHistory();
  h.env.TZ = 'Europe/Berlin';
  assert.match(ok(await h.cli('history', '--limit', '1')).stdout, /\n2023-11-14 23:13:15  dddd4444/);
});

test('history --limit takes an integer 1-10000; anything else is one error line, exit 1', async () => {
  const h = withHistory();
  for (const bad of ['0', '10001', 'ten', '2.5', '-3']) {
    const r = await h.cli('history', `--limit=${bad}`);
    assert.equal([r.code, r.stdout, r.stderr], [1, '', `error: --limit must be an integer 1-10000, got "${bad}"\n`], bad);
  }
});

test.run();
