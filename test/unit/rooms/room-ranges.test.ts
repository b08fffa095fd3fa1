// Replacing the conference numbering (issue 5, "Conference numbering").
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fails, roomsFixture } from './support.js';

test('set replaces the ranges, returns them in number order with the previous set', () => {
  const f = roomsFixture();
  const change = f.rooms.setConferenceRanges(['9600-9699', '700-799']);
  assert.equal(change.ranges, [{ from: '700', to: '799' }, { from: '9600', to: '9699' }]);
  assert.equal(change.previous, [{ from: '8000', to: '8999' }, { from: '9500', to: '9599' }]);
  assert.equal(f.rooms.conferenceRanges(), change.ranges);
});

test('a set that would leave a room outside every range is refused naming the room, and nothing changes', () => {
  const f = roomsFixture();
  f.rooms.addRoom({ number: '9510', name: 'Sales', kind: 'public', pin: '1234' });
  fails(() => f.rooms.setConferenceRanges(['8000-8999']), 'refused', 'conference room 9510 (Sales) would be outside every new range (8000-8999); move or remove it first');
  fails(() => f.rooms.setConferenceRanges(['9511-9599', '9500-9509']), 'refused', 'conference room 9510 (Sales) would be outside every new range (9500-9509, 9511-9599); move or remove it first');
  fails(() => f.rooms.setConferenceRanges([]), 'refused', 'conference room 9510 (Sales) would be without a conference range; move or remove it first');
  assert.equal(f.rooms.conferenceRanges(), [{ from: '8000', to: '8999' }, { from: '9500', to: '9599' }]);
  f.rooms.setConferenceRanges(['9510-9510']); // a range of one number keeps it
});

test('several orphaned rooms are named, five at most, then "and N more"', () => {
  const f = roomsFixture();
  for (let i = 0; i < 7; i++) f.rooms.addRoom({ number: `950${i}`, name: `R${i}`, kind: 'public', pin: '1234' });
  fails(
    () => f.rooms.setConferenceRanges(['8000-8999', '9503-9503']),
    'refused',
    'conference rooms 9500 (R0), 9501 (R1), 9502 (R2), 9504 (R4), 9505 (R5) and 1 more would be outside every new range (8000-8999, 9503-9503); move or remove them first',
  );
});

test('format, overlap and count are checked before the store is touched', () => {
  const f = roomsFixture();
  fails(() => f.rooms.setConferenceRanges(['8000-8999', '950-9599']), 'invalid', 'conference range 950-9599: both ends must have the same number of digits');
  fails(() => f.rooms.setConferenceRanges(['8000-8999', '8900-9099']), 'invalid', 'conference ranges 8000-8999 and 8900-9099 overlap');
  fails(() => f.rooms.setConferenceRanges(['8000-8999', 'x']), 'invalid', 'conference range must be <from>-<to> in digits (e.g. 8000-8999), got "x"');
  fails(() => f.rooms.setConferenceRanges(Array.from({ length: 21 }, (_, i) => `${10 + i}00-${10 + i}99`)), 'invalid', 'at most 20 conference ranges, got 21');
  assert.equal(f.rooms.conferenceRanges().length, 2);
});

test('extensions of users and devices inside the new ranges are reported: no room can take them', () => {
  const f = roomsFixture();
  f.dir.addUser({ ext: '8100', name: 'Carol' });
  f.dir.addDevice({ ext: '8100', userExt: '8100', secret: 'carol-desk-1' }); // named once, as the user
  f.dir.addDevice({ ext: '8050', userExt: '2001', secret: 'bob-soft-22' });
  f.rooms.addRoom({ number: '8001', name: 'Sales', kind: 'public', pin: '1234' }); // rooms are not "taken"
  const change = f.rooms.setConferenceRanges(['8000-8999']);
  assert.equal(change.taken, [{ number: '8050', holder: 'device of Bob' }, { number: '8100', holder: 'user Carol' }]);
  assert.equal(f.rooms.setConferenceRanges(['8000-8049', '8101-8999']).taken, []);
});

test.run();
