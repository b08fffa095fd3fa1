// A real store in a temporary directory with the directory and the room rules on it (not a test file itself).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { Directory, DirectoryError, type DirectoryErrorKind } from '../../../src/app/directory/directory.js';
import { Rooms } from '../../../src/app/rooms/rooms.js';
import { openStore, type Store } from '../../../src/store/store.js';
import { FakeClock } from '../../support/fake-clock.js';

export interface RoomsFixture {
  store: Store;
  rooms: Rooms;
  dir: Directory;
  clock: FakeClock;
}

/** Ranges 8000-8999 and 9500-9599; Alice: main 1001 with device 1001; Bob: main 2001. */
export function roomsFixture(): RoomsFixture {
  const store = openStore(mkdtempSync(join(tmpdir(), 'softswitch-rooms-')));
  const clock = new FakeClock();
  const f = { store, clock, rooms: new Rooms(store, clock), dir: new Directory(store, clock) };
  f.rooms.setConferenceRanges(['8000-8999', '9500-9599']);
  f.dir.addUser({ ext: '1001', name: 'Alice' });
  f.dir.addDevice({ ext: '1001', userExt: '1001', secret: 'alice-desk-1' });
  f.dir.addUser({ ext: '2001', name: 'Bob' });
  return f;
}

export function fails(fn: () => unknown, kind: DirectoryErrorKind, message: string): void {
  try {
    fn();
  } catch (err) {
    assert.instance(err, DirectoryError, String(err));
    assert.is((err as Error).message, message);
    assert.is((err as DirectoryError).kind, kind);
    return;
  }
  assert.unreachable(`expected: ${message}`);
}
