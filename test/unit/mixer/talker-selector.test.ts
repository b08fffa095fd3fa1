import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TalkerSelector, energyOfDbov, pickLoudest } from '../../../src/mixer/mix/talker-selector.js';

const loud = energyOfDbov(-10);
const mid = energyOfDbov(-20);
const soft = energyOfDbov(-30);
const quietNoise = energyOfDbov(-60);

function tick(sel: TalkerSelector, energies: number[]): number[] {
  energies.forEach((e, slot) => sel.update(slot, e));
  const out = new Int32Array(sel.maxTalkers);
  const n = sel.select(out);
  return Array.from(out.subarray(0, n));
}

test('selects the N loudest talkers, loudest first; noise below the VAD threshold never enters', () => {
  const sel = new TalkerSelector({ maxTalkers: 3 });
  const chosen = tick(sel, [soft, quietNoise, loud, mid, energyOfDbov(-35), quietNoise]);
  assert.equal(chosen, [2, 3, 0]);
});

test('hangover keeps a talker in the mix through a pause shorter than the hangover', () => {
  const sel = new TalkerSelector({ maxTalkers: 3, hangoverTicks: 5 });
  tick(sel, [loud, 0]);
  for (let i = 0; i < 4; i++) assert.equal(tick(sel, [0, 0]), [0], `pause tick ${i}`);
  assert.equal(tick(sel, [loud, 0]), [0]);
});

test('a talker silent for longer than the hangover leaves the mix and stops talking', () => {
  const events: string[] = [];
  const sel = new TalkerSelector({ maxTalkers: 3, hangoverTicks: 3 });
  sel.onTalking = (slot, talking) => events.push(`${slot}:${talking}`);
  tick(sel, [loud]);
  assert.equal(tick(sel, [0]), [0]);
  assert.equal(tick(sel, [0]), [0]);
  assert.equal(tick(sel, [0]), []);
  assert.equal(events, ['0:true', '0:false']);
  assert.not.ok(sel.isTalking(0));
});

test('incumbents keep their seat against a newcomer only slightly louder (hysteresis)', () => {
  const sel = new TalkerSelector({ maxTalkers: 2, incumbentBonus: 2 });
  tick(sel, [mid, mid, 0]);
  // Slot 2 is 1.5 dB louder than the incumbents: not enough to take a seat.
  assert.equal(tick(sel, [mid, mid, mid * 1.4]).sort(), [0, 1]);
  // Much louder: it takes the seat of one incumbent.
  assert.ok(tick(sel, [mid, mid, loud]).includes(2));
});

test('ties are broken by the lower slot, so the choice is deterministic', () => {
  const sel = new TalkerSelector({ maxTalkers: 2 });
  assert.equal(tick(sel, [0, mid, mid, mid]), [1, 2]);
});

test('a removed participant is forgotten at once', () => {
  const sel = new TalkerSelector({ maxTalkers: 3 });
  tick(sel, [loud, mid]);
  sel.remove(0);
  assert.equal(tick(sel, [0, mid]), [1]);
});

test('pickLoudest: top n of a candidate list by score, ties to the lower id', () => {
  const out = new Int32Array(3);
  const n = pickLoudest([10, 11, 12, 13, 14], [5, 9, 9, 1, 7], 5, 3, out);
  assert.is(n, 3);
  assert.equal(Array.from(out), [11, 12, 14]);
  assert.is(pickLoudest([4], [1], 1, 3, out), 1);
});

test.run();
