// Rooms in the one numbering plan: users and devices can no longer take a room's number,
// and removing a user who owns private rooms needs --force (issue 5, "Conference numbering").
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeEffect } from '../../../src/app/directory/directory.js';
import { roomNumberOwner } from '../../../src/app/directory/number-owners.js';
import { fails, roomsFixture } from './support.js';

test('the room owner claims a room number with kind "room", no userId, described by its name', () => {
  const f = roomsFixture();
  const { room } = f.rooms.addRoom({ number: '8000', name: 'Team', kind: 'private', ownerExt: '1001' });
  assert.equal(roomNumberOwner(f.store).claimsOn('8000'), [{ kind: 'room', id: room.id, description: 'conference room Team' }]);
  assert.equal(roomNumberOwner(f.store).claimsOn('8001'), []);
  assert.equal(f.dir.numbering.claims('8000').map((c) => c.kind), ['room']);
});

test("users and devices cannot take a room's number: add user, edit --ext, add device, device --primary", () => {
  const f = roomsFixture();
  f.rooms.addRoom({ number: '8000', name: 'Team', kind: 'private', ownerExt: '1001' });
  const taken = 'extension 8000 is already used by conference room Team';
  fails(() => f.dir.addUser({ ext: '8000', name: 'Carol' }), 'conflict', taken);
  fails(() => f.dir.editUser('2001', { ext: '8000' }), 'conflict', taken);
  fails(() => f.dir.addDevice({ ext: '8000', userExt: '1001', secret: 'alice-soft-9' }), 'conflict', taken); // not even the owner's
  assert.is(f.dir.user('2001').user.ext, '2001');
  assert.is(f.store.devices.findByExt('8000'), undefined);
});

test('looking up a room number as a user or device says it is a room', () => {
  const f = roomsFixture();
  f.rooms.addRoom({ number: '8000', name: 'Lobby', kind: 'public', pin: '1234' });
  fails(() => f.dir.user('8000'), 'not-found', 'unknown user 8000 (8000 is used by conference room Lobby)');
  fails(() => f.dir.device('8000'), 'not-found', 'unknown device 8000 (8000 is used by conference room Lobby)');
});

test('removing a user who owns private rooms needs force, naming the rooms; devices and rooms are named together', () => {
  const f = roomsFixture();
  f.rooms.addRoom({ number: '8001', name: 'Bob team', kind: 'private', ownerExt: '2001' });
  f.rooms.addRoom({ number: '8000', name: 'Alice team', kind: 'private', ownerExt: '1001' });
  f.rooms.addRoom({ number: '8002', name: 'Alice 1:1', kind: 'private', ownerExt: '1001' });
  fails(() => f.dir.removeUser('2001'), 'refused', 'user 2001 (Bob) owns 1 private room (8001); add --force to remove the user with its rooms');
  fails(
    () => f.dir.removeUser('1001'),
    'refused',
    'user 1001 (Alice) has 1 device (1001) and owns 2 private rooms (8000, 8002); add --force to remove the user with its devices and rooms',
  );
  assert.is(f.rooms.rooms().length, 3, 'nothing removed');
});

test('forced removal takes the private rooms too and says so in its effects; public rooms stay', () => {
  const f = roomsFixture();
  f.rooms.addRoom({ number: '8000', name: 'Alice team', kind: 'private', ownerExt: '1001' });
  f.rooms.addRoom({ number: '8003', name: 'Lobby', kind: 'public', pin: '1234' });
  const removed = f.dir.removeUser('1001', { force: true });
  assert.equal(removed.rooms.map((r) => r.number), ['8000']);
  assert.equal(removed.effects.map(describeEffect), ['private room 8000 (Alice team) of Alice removed']);
  assert.equal(f.rooms.rooms().map((v) => v.room.number), ['8003']);
  f.dir.addUser({ ext: '8000', name: 'Carol' }); // the number is free again
});

test('a user without devices or rooms needs no force, and has no effects', () => {
  const f = roomsFixture();
  const removed = f.dir.removeUser('2001');
  assert.equal([removed.rooms, removed.effects], [[], []]);
});

test.run();
