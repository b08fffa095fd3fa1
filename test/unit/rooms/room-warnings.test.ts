// Public rooms that anyone can join (issue 5, "Public room": operators are warned, CLI and log).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { describeRoomWarning, logRoomsWithoutPin } from '../../../src/app/rooms/rooms.js';
import { createLogger } from '../../../src/log/logger.js';
import { roomsFixture } from './support.js';

test('a public room with no PIN at all is warned about on add and on the edit that leaves it open', () => {
  const f = roomsFixture();
  const added = f.rooms.addRoom({ number: '8000', name: 'Lobby', kind: 'public' });
  assert.equal(added.warnings.map(describeRoomWarning), ['public room 8000 has no PIN: anyone who dials it joins']);
  assert.equal(f.rooms.editRoom('8000', { pin: '1234' }).warnings, []);
  assert.equal(f.rooms.editRoom('8000', { pin: null }).warnings, [{ kind: 'no-pin', room: '8000' }]);
  assert.equal(f.rooms.editRoom('8000', { name: 'Hall' }).warnings, [{ kind: 'no-pin', room: '8000' }], 'still open after an unrelated edit');
});

test('an admin PIN alone, or a private room without PIN, is not "open to anyone"', () => {
  const f = roomsFixture();
  assert.equal(f.rooms.addRoom({ number: '8000', name: 'A', kind: 'public', adminPin: '9999' }).warnings, []);
  assert.equal(f.rooms.addRoom({ number: '8001', name: 'B', kind: 'private', ownerExt: '1001' }).warnings, []);
  assert.equal(f.rooms.roomsWithoutPin(), []);
});

test('roomsWithoutPin lists exactly the open public rooms, in number order', () => {
  const f = roomsFixture();
  f.rooms.addRoom({ number: '9500', name: 'Open 2', kind: 'public' });
  f.rooms.addRoom({ number: '8001', name: 'Closed', kind: 'public', pin: '1234' });
  f.rooms.addRoom({ number: '8000', name: 'Open 1', kind: 'public' });
  assert.equal(f.rooms.roomsWithoutPin().map((r) => r.number), ['8000', '9500']);
});

test('logRoomsWithoutPin: one warn line per open room, with event room.no_pin, for the switch at start', () => {
  const f = roomsFixture();
  f.rooms.addRoom({ number: '8000', name: 'Lobby', kind: 'public' });
  f.rooms.addRoom({ number: '8001', name: 'Closed', kind: 'public', pin: '1234' });
  const lines: string[] = [];
  const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const count = logRoomsWithoutPin(f.store.rooms.list(), createLogger({ level: 'info', destination }));
  assert.is(count, 1);
  const entries = lines.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(entries.map((e) => [e.level, e.event, e.room, e.name, e.msg]), [[40, 'room.no_pin', '8000', 'Lobby', 'public room 8000 has no PIN: anyone who dials it joins']]);
});

test.run();
