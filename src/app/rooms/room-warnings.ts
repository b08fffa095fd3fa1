/**
 * What an operator is warned about without being refused (issue 5, "Public room"): a public
 * room with no PIN at all lets anyone who dials it in, an internal phone or, later, any
 * external caller an inbound rule sends there. The CLI prints the warning on `room add` and
 * `room edit` and marks the room in `room list`; the switch logs it when it starts.
 */
import type { Logger } from '../../log/logger.js';
import type { RoomRecord } from '../../store/store.js';

export type RoomWarning = { kind: 'no-pin'; room: string };

/** A public room with neither a user PIN nor an admin PIN. */
export function isOpenToAnyone(room: RoomRecord): boolean {
  return room.kind === 'public' && room.pin === null && room.adminPin === null;
}

export function warningsOf(room: RoomRecord): RoomWarning[] {
  return isOpenToAnyone(room) ? [{ kind: 'no-pin', room: room.number }] : [];
}

export function describeRoomWarning(warning: RoomWarning): string {
  switch (warning.kind) {
    case 'no-pin':
      return `public room ${warning.room} has no PIN: anyone who dials it joins`;
  }
}

/** For the switch at start: one warning log line per room open to anyone; returns how many. */
export function logRoomsWithoutPin(rooms: readonly RoomRecord[], log: Logger): number {
  let count = 0;
  for (const room of rooms) {
    for (const warning of warningsOf(room)) {
      log.warn({ event: 'room.no_pin', room: room.number, name: room.name }, describeRoomWarning(warning));
      count++;
    }
  }
  return count;
}
