import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DirectoryError } from '../../../src/app/directory/directory-error.js';
import { Numbering, type NumberClaim, type NumberOwner } from '../../../src/app/directory/numbering.js';

/** An owner holding claims[i] on numbers[i]. */
function owner(claims: NumberClaim[], numbers: string[]): NumberOwner {
  return { claimsOn: (n) => claims.filter((_, i) => numbers[i] === n) };
}

// Alice (user id 1) has main 1001 and device 1001 (id 10); Bob (user 2) has device 2002 (id 20);
// room "Sales" (id 7) holds 500: a third owner, as conference rooms will be.
const users = owner([{ kind: 'user', id: 1, userId: 1, description: 'user Alice' }, { kind: 'user', id: 2, userId: 2, description: 'user Bob' }], ['1001', '2001']);
const devices = owner([{ kind: 'device', id: 10, userId: 1, description: 'device of Alice' }, { kind: 'device', id: 20, userId: 2, description: 'device of Bob' }], ['1001', '2002']);
const rooms = owner([{ kind: 'room', id: 7, description: 'room Sales' }], ['500']);
const plan = new Numbering([users, devices, rooms]);

function conflict(fn: () => void, message: string): void {
  try {
    fn();
  } catch (err) {
    assert.instance(err, DirectoryError);
    assert.is((err as DirectoryError).kind, 'conflict');
    assert.is((err as Error).message, message);
    return;
  }
  assert.unreachable('expected a conflict');
}

test('claims asks every owner of numbers', () => {
  assert.equal(plan.claims('1001').map((c) => c.description), ['user Alice', 'device of Alice']);
  assert.equal(plan.claims('500').map((c) => c.description), ['room Sales']);
  assert.equal(plan.claims('9999'), []);
});

test('a free number is available for anything', () => {
  plan.assertAvailable('9999', { kind: 'user' });
  plan.assertAvailable('9999', { kind: 'device', userId: 2 });
  plan.assertAvailable('9999', { kind: 'room' });
});

test("a user's main extension may equal one of the user's own devices, in both directions", () => {
  plan.assertAvailable('2001', { kind: 'device', userId: 2 }); // Bob adds a device 2001 like his main extension
  plan.assertAvailable('2002', { kind: 'user', id: 2 }); // Bob takes his device's 2002 as main extension
  plan.assertAvailable('1001', { kind: 'user', id: 1 }); // Alice keeps 1001, shared with her own device
});

test("another user's device or main extension is a conflict, named in the message", () => {
  conflict(() => plan.assertAvailable('1001', { kind: 'device', userId: 1 }), 'extension 1001 is already used by device of Alice');
  conflict(() => plan.assertAvailable('2002', { kind: 'device', userId: 1 }), 'extension 2002 is already used by device of Bob');
  conflict(() => plan.assertAvailable('1001', { kind: 'device', userId: 2 }), 'extension 1001 is already used by user Alice');
  conflict(() => plan.assertAvailable('2002', { kind: 'user', id: 1 }), 'extension 2002 is already used by device of Bob');
  conflict(() => plan.assertAvailable('1001', { kind: 'user' }), 'extension 1001 is already used by user Alice');
});

test('a holder does not conflict with itself (renaming to the same number)', () => {
  plan.assertAvailable('2001', { kind: 'user', id: 2 });
  plan.assertAvailable('2002', { kind: 'device', id: 20, userId: 2 });
});

test('rooms plug in as one more owner: their numbers conflict with users and devices, and back', () => {
  conflict(() => plan.assertAvailable('500', { kind: 'user' }), 'extension 500 is already used by room Sales');
  conflict(() => plan.assertAvailable('500', { kind: 'device', userId: 1 }), 'extension 500 is already used by room Sales');
  conflict(() => plan.assertAvailable('1001', { kind: 'room' }), 'extension 1001 is already used by user Alice');
  plan.assertAvailable('500', { kind: 'room', id: 7 });
});

test.run();
