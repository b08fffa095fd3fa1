import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TickSchedule, type DueTick } from '../../../src/mixer/clock/tick-schedule.js';

const due = (): DueTick => ({ tick: 0, phase: 0, deadlineMs: 0, lateMs: 0 });

function drain(s: TickSchedule, now: number): DueTick[] {
  const out: DueTick[] = [];
  const d = due();
  while (s.poll(now, d)) out.push({ ...d });
  return out;
}

test('deadlines are absolute: lateness of one tick does not shift the next', () => {
  const s = new TickSchedule({ epochMs: 0, periodMs: 20, startMs: 0 });
  assert.equal(drain(s, 3).map((d) => d.tick), [0]);
  assert.is(s.nextDeadline(), 20);
  assert.equal(drain(s, 27).map((d) => [d.tick, d.lateMs]), [[1, 7]]);
  assert.is(s.nextDeadline(), 40);
});

test('a stalled loop catches up the missed ticks and counts them late', () => {
  const s = new TickSchedule({ epochMs: 0, periodMs: 20, startMs: 0, lateThresholdMs: 5 });
  drain(s, 0);
  const ran = drain(s, 75); // ticks 1 (20), 2 (40), 3 (60) are due
  assert.equal(ran.map((d) => d.tick), [1, 2, 3]);
  assert.is(s.lateTicks, 3); // 55, 35 and 15 ms late, all above the 5 ms threshold
  assert.is(s.caughtUp, 2);
  assert.is(s.ticks, 4);
});

test('a long stall skips the oldest ticks instead of bursting them', () => {
  const s = new TickSchedule({ epochMs: 0, periodMs: 20, startMs: 0, maxCatchUpTicks: 3 });
  drain(s, 0);
  const ran = drain(s, 1000);
  assert.ok(ran.length <= 4, `ran ${ran.length}`);
  assert.is(ran[ran.length - 1]!.tick, 50);
  assert.ok(s.skipped > 40);
});

test('two schedules with the same epoch agree on the tick number whenever they start', () => {
  const a = new TickSchedule({ epochMs: 1000, periodMs: 20, startMs: 1001 });
  const b = new TickSchedule({ epochMs: 1000, periodMs: 20, startMs: 1333 });
  assert.is(a.nextDeadline(), 1020);
  assert.is(b.nextDeadline(), 1340);
  assert.equal(drain(b, 1340).map((d) => d.tick), [17]);
});

test('phases: each tick runs phase 0 at the deadline and phase 1 at its offset', () => {
  const s = new TickSchedule({ epochMs: 0, periodMs: 20, startMs: 0, phaseOffsetsMs: [0, 6] });
  assert.equal(drain(s, 0).map((d) => [d.tick, d.phase]), [[0, 0]]);
  assert.is(s.nextDeadline(), 6);
  assert.equal(drain(s, 7).map((d) => [d.tick, d.phase]), [[0, 1]]);
  assert.equal(drain(s, 26).map((d) => [d.tick, d.phase]), [[1, 0], [1, 1]]);
  assert.is(s.ticks, 2);
});

test.run();
