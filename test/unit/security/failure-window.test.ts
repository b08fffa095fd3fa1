// FailureWindow: the sliding window of failures per key and the blocks ("brute force is
// throttled"), shared by the digest throttle and the conference PIN throttle (issue 5).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FailureWindow } from '../../../src/security/failure-window.js';

const T0 = 1_700_000_000_000;

test('maxFailures failures inside the window block the key for blockMs; other keys are not blocked', () => {
  const w = new FailureWindow({ maxFailures: 3, windowMs: 60_000, blockMs: 300_000 });
  assert.equal(w.recordFailure('a', T0), { count: 1 });
  assert.equal(w.recordFailure('a', T0 + 1000), { count: 2 });
  assert.is(w.blockedUntil('a', T0 + 1000), undefined);
  assert.equal(w.recordFailure('a', T0 + 2000), { count: 3, blockedUntil: T0 + 302_000 });
  assert.is(w.blockedUntil('a', T0 + 301_999), T0 + 302_000);
  assert.is(w.blockedUntil('b', T0 + 2000), undefined);
  assert.is(w.trackedCount, 0, 'the blocking failure clears the record');
});

test('the window slides: failures older than windowMs do not count', () => {
  const w = new FailureWindow({ maxFailures: 2, windowMs: 60_000, blockMs: 1000 });
  w.recordFailure('a', T0);
  assert.equal(w.recordFailure('a', T0 + 60_000), { count: 1 }, 'exactly windowMs old: out');
  assert.equal(w.recordFailure('a', T0 + 119_999), { count: 2, blockedUntil: T0 + 120_999 });
});

test('a block ends at its end time, lazily (told as expired) or by sweep; the count then starts from zero', () => {
  const w = new FailureWindow({ maxFailures: 1, windowMs: 600_000, blockMs: 60_000 });
  w.recordFailure('a', T0);
  w.recordFailure('b', T0 + 10);
  assert.is(w.nextDeadline(), T0 + 60_000);
  const ended: string[] = [];
  assert.is(w.blockedUntil('a', T0 + 60_000, (k, why) => ended.push(`${k} ${why}`)), undefined);
  w.sweep(T0 + 60_009, (k, why) => ended.push(`${k} ${why}`));
  assert.equal(ended, ['a expired']);
  w.sweep(T0 + 60_010, (k, why) => ended.push(`${k} ${why}`));
  assert.equal(ended, ['a expired', 'b expired']);
  assert.is(w.nextDeadline(), undefined);
  assert.equal(w.recordFailure('a', T0 + 70_000).count, 1);
});

test('the caps bound memory: oldest records and first-ending blocks are evicted', () => {
  const w = new FailureWindow({ maxFailures: 2, windowMs: 60_000, blockMs: 60_000, maxTracked: 3, maxBlocked: 2 });
  for (const k of ['a', 'b', 'c', 'd']) w.recordFailure(k, T0);
  assert.is(w.trackedCount, 3);
  assert.equal(w.recordFailure('a', T0 + 1).count, 1, 'a was evicted (least recently failed)');
  w.recordFailure('x', T0);
  w.recordFailure('x', T0 + 1);
  w.recordFailure('y', T0 + 2);
  w.recordFailure('y', T0 + 3);
  assert.equal(w.recordFailure('d', T0 + 4), { count: 2, blockedUntil: T0 + 60_004, evicted: 'x' });
  assert.is(w.blockedCount, 2);
  assert.is(w.blockedUntil('x', T0 + 5), undefined);
});

test('settings must be positive', () => {
  assert.throws(() => new FailureWindow({ maxFailures: 0, windowMs: 1, blockMs: 1 }), /positive/);
  assert.throws(() => new FailureWindow({ maxFailures: 1, windowMs: 0, blockMs: 1 }), /positive/);
  assert.throws(() => new FailureWindow({ maxFailures: 1, windowMs: 1, blockMs: -5 }), /positive/);
});

test.run();
