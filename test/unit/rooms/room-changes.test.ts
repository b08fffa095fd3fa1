// Adding, editing and removing rooms through the rules (issue 5, "Conference rooms").
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fails, roomsFixture } from './support.js';

test('adds a public room with every optional value, stamped with the clock', () => {
  const f = roomsFixture();
  const { room, owner, warnings } = f.rooms.addRoom({
    number: '8000', name: ' All hands ', kind: 'public', pin: '4711', adminPin: '90210', language: 'IT', maxParticipants: '50',
  });
  assert.equal(room, {
    id: room.id, number: '8000', name: 'All hands', kind: 'public', ownerUserId: null, pin: '4711', adminPin: '90210',
    language: 'it', maxParticipants: 50, createdAt: f.clock.now(), updatedAt: f.clock.now(),
  });
  assert.equal([owner, warnings], [null, []]);
});

test('adds a private room owned by a user given by main extension; the owner comes back', () => {
  const f = roomsFixture();
  const { room, owner, warnings } = f.rooms.addRoom({ number: '9500', name: 'Team', kind: 'private', ownerExt: '1001', pin: '1234' });
  assert.equal([room.kind, room.ownerUserId, owner?.name, room.adminPin, warnings], ['private', f.store.users.findByExt('1001')!.id, 'Alice', null, []]);
});

test('a number outside every range is refused naming the ranges', () => {
  const f = roomsFixture();
  fails(() => f.rooms.addRoom({ number: '7000', name: 'X', kind: 'public' }), 'refused', 'room number 7000 is outside the conference ranges (8000-8999, 9500-9599)');
  fails(() => f.rooms.addRoom({ number: '80000', name: 'X', kind: 'public' }), 'refused', 'room number 80000 is outside the conference ranges (8000-8999, 9500-9599)');
  f.rooms.setConferenceRanges(['8000-8999']);
  fails(() => f.rooms.addRoom({ number: '9500', name: 'X', kind: 'public' }), 'refused', 'room number 9500 is outside the conference range (8000-8999)');
  assert.equal(f.store.rooms.list(), []);
});

test('with no conference range set, no room can be added, and the message says how to set one', () => {
  const f = roomsFixture();
  f.rooms.setConferenceRanges([]);
  fails(() => f.rooms.addRoom({ number: '8000', name: 'X', kind: 'public' }), 'refused', 'no conference range is set; set one first with conference-range set <from>-<to>');
});

test('a number held by a user, a device or another room is refused naming the holder', () => {
  const f = roomsFixture();
  f.dir.addUser({ ext: '8001', name: 'Carol' });
  f.dir.addDevice({ ext: '8002', userExt: '2001', secret: 'bob-soft-22' });
  f.rooms.addRoom({ number: '8003', name: 'Sales', kind: 'public', pin: '1234' });
  fails(() => f.rooms.addRoom({ number: '8001', name: 'X', kind: 'public' }), 'conflict', 'extension 8001 is already used by user Carol');
  fails(() => f.rooms.addRoom({ number: '8002', name: 'X', kind: 'public' }), 'conflict', 'extension 8002 is already used by device of Bob');
  fails(() => f.rooms.addRoom({ number: '8003', name: 'X', kind: 'public' }), 'conflict', 'extension 8003 is already used by conference room Sales');
  // the owner's own device number is no exception for the owner's private room
  f.dir.addDevice({ ext: '8004', userExt: '1001', secret: 'alice-soft-4' });
  fails(() => f.rooms.addRoom({ number: '8004', name: 'X', kind: 'private', ownerExt: '1001' }), 'conflict', 'extension 8004 is already used by device of Alice');
});

test('the owner must be an existing user, given by main extension', () => {
  const f = roomsFixture();
  f.dir.addDevice({ ext: '1002', userExt: '1001', secret: 'alice-dect-2' });
  fails(() => f.rooms.addRoom({ number: '8000', name: 'X', kind: 'private', ownerExt: '3001' }), 'not-found', 'owner 3001 is not a user');
  fails(() => f.rooms.addRoom({ number: '8000', name: 'X', kind: 'private', ownerExt: '1002' }), 'not-found', 'owner 1002 is not a user (1002 is used by device of Alice)');
});

test('owner and kind: a private room needs an owner, a public room has none', () => {
  const f = roomsFixture();
  fails(() => f.rooms.addRoom({ number: '8000', name: 'X', kind: 'private' }), 'invalid', 'a private room needs an owner: the main extension of an existing user');
  fails(() => f.rooms.addRoom({ number: '8000', name: 'X', kind: 'public', ownerExt: '1001' }), 'invalid', 'a public room has no owner; only a private room belongs to a user');
});

test('admin PIN only for public rooms (the owner administers a private room), and never equal to the PIN', () => {
  const f = roomsFixture();
  fails(() => f.rooms.addRoom({ number: '8000', name: 'X', kind: 'private', ownerExt: '1001', adminPin: '1234' }), 'invalid', 'a private room has no admin PIN: its owner is its administrator');
  fails(() => f.rooms.addRoom({ number: '8000', name: 'X', kind: 'public', pin: '1234', adminPin: '1234' }), 'invalid', 'the admin PIN must differ from the PIN');
  f.rooms.addRoom({ number: '8000', name: 'X', kind: 'public', pin: '1234', adminPin: '12345' }); // a longer PIN with the same start is another PIN
  fails(() => f.rooms.editRoom('8000', { pin: '12345' }), 'invalid', 'the admin PIN must differ from the PIN');
});

test('values are checked before the store is touched: PIN digits, name, language, limit', () => {
  const f = roomsFixture();
  fails(() => f.rooms.addRoom({ number: '8000', name: 'X', kind: 'public', pin: '12ab' }), 'invalid', 'PIN must be digits only (0-9)');
  fails(() => f.rooms.addRoom({ number: '8000', name: '  ', kind: 'public' }), 'invalid', 'name must not be empty');
  fails(() => f.rooms.addRoom({ number: '8000', name: 'X', kind: 'public', language: 'fr' }), 'invalid', 'language must be one of en, it, ru, got "fr"');
  fails(() => f.rooms.addRoom({ number: '8000', name: 'X', kind: 'public', maxParticipants: '1' }), 'invalid', 'max participants must be a whole number from 2 to 10000, got "1"');
  fails(() => f.rooms.addRoom({ number: '8x', name: 'X', kind: 'public' }), 'invalid', 'room number must be 2 to 10 digits, got "8x"');
  assert.equal(f.store.rooms.list(), []);
});

test('edit: absent values stay, null clears, the clock stamps updatedAt', () => {
  const f = roomsFixture();
  const { room: before } = f.rooms.addRoom({ number: '8000', name: 'Sales', kind: 'public', pin: '1234', adminPin: '4321', language: 'ru', maxParticipants: 10 });
  f.clock.advance(1000);
  const { room } = f.rooms.editRoom('8000', { name: 'Sales EU', pin: null, language: null, maxParticipants: null });
  assert.equal(room, { ...before, name: 'Sales EU', pin: null, language: null, maxParticipants: null, updatedAt: before.createdAt + 1000 });
});

test('edit --number renumbers within the rules: in a range, free; the old number becomes free', () => {
  const f = roomsFixture();
  f.rooms.addRoom({ number: '8000', name: 'Sales', kind: 'public', pin: '1234' });
  f.rooms.addRoom({ number: '8001', name: 'Support', kind: 'public', pin: '1234' });
  fails(() => f.rooms.editRoom('8000', { number: '8001' }), 'conflict', 'extension 8001 is already used by conference room Support');
  fails(() => f.rooms.editRoom('8000', { number: '7000' }), 'refused', 'room number 7000 is outside the conference ranges (8000-8999, 9500-9599)');
  fails(() => f.rooms.editRoom('8000', { number: '2001' }), 'refused', 'room number 2001 is outside the conference ranges (8000-8999, 9500-9599)');
  assert.is(f.rooms.editRoom('8000', { number: '9500' }).room.number, '9500');
  assert.is(f.rooms.editRoom('9500', { number: '9500', name: 'Sales' }).room.number, '9500', 'its own number is no conflict');
  f.dir.addUser({ ext: '8000', name: 'Carol' }); // freed
});

test('edit kind: private needs an owner; public drops the owner; an admin PIN must go first', () => {
  const f = roomsFixture();
  f.rooms.addRoom({ number: '8000', name: 'Sales', kind: 'public', pin: '1234', adminPin: '4321' });
  fails(() => f.rooms.editRoom('8000', { kind: 'private' }), 'invalid', 'a private room needs an owner: the main extension of an existing user');
  fails(
    () => f.rooms.editRoom('8000', { kind: 'private', ownerExt: '1001' }),
    'invalid',
    'room 8000 has an admin PIN, which a private room has not (its owner is its administrator); remove it with --no-admin-pin',
  );
  fails(() => f.rooms.editRoom('8000', { ownerExt: '1001' }), 'invalid', 'a public room has no owner; only a private room belongs to a user');
  const priv = f.rooms.editRoom('8000', { kind: 'private', ownerExt: '1001', adminPin: null });
  assert.equal([priv.room.kind, priv.owner?.name, priv.room.adminPin, priv.room.pin], ['private', 'Alice', null, '1234']);
  assert.is(f.rooms.editRoom('8000', { ownerExt: '2001' }).owner?.name, 'Bob', 'a private room changes hands');
  fails(() => f.rooms.editRoom('8000', { adminPin: '5555' }), 'invalid', 'a private room has no admin PIN: its owner is its administrator');
  const pub = f.rooms.editRoom('8000', { kind: 'public' });
  assert.equal([pub.room.kind, pub.room.ownerUserId, pub.owner], ['public', null, null]);
});

test('a refused edit changes nothing', () => {
  const f = roomsFixture();
  const { room } = f.rooms.addRoom({ number: '8000', name: 'Sales', kind: 'public', pin: '1234' });
  f.clock.advance(5);
  fails(() => f.rooms.editRoom('8000', { name: 'New', number: '7000' }), 'refused', 'room number 7000 is outside the conference ranges (8000-8999, 9500-9599)');
  assert.equal(f.store.rooms.findByNumber('8000'), room);
});

test('unknown rooms: edit, remove and show say what the number is instead', () => {
  const f = roomsFixture();
  fails(() => f.rooms.editRoom('8000', { name: 'x' }), 'not-found', 'unknown room 8000');
  fails(() => f.rooms.removeRoom('1001'), 'not-found', 'unknown room 1001 (1001 is used by user Alice)');
  fails(() => f.rooms.room('2001'), 'not-found', 'unknown room 2001 (2001 is used by user Bob)');
});

test('remove returns the room and its owner; the number is free again', () => {
  const f = roomsFixture();
  f.rooms.addRoom({ number: '8000', name: 'Team', kind: 'private', ownerExt: '2001' });
  const removed = f.rooms.removeRoom('8000');
  assert.equal([removed.room.number, removed.owner?.name], ['8000', 'Bob']);
  assert.equal(f.rooms.rooms(), []);
  assert.is(f.rooms.findRoom('8000'), undefined);
  f.dir.addUser({ ext: '8000', name: 'Carol' });
});

test('rooms() lists every room in number order with owner and warnings', () => {
  const f = roomsFixture();
  f.rooms.addRoom({ number: '9500', name: 'Team', kind: 'private', ownerExt: '1001' });
  f.rooms.addRoom({ number: '8000', name: 'Lobby', kind: 'public' });
  assert.equal(
    f.rooms.rooms().map((v) => [v.room.number, v.owner?.ext ?? null, v.warnings]),
    [['8000', null, [{ kind: 'no-pin', room: '8000' }]], ['9500', '1001', []]],
  );
});

test.run();
