/**
 * The `room.*` control methods (contract: src/app/control/room-control.ts) on the live
 * rooms: `softswitch room live | mute | unmute | kick | lock | unlock <number> ...`.
 * A number that is no configured room, or a participant id not in the room now, is one
 * line of error (ControlMethodError). Locking an empty room is refused: a lock lasts as long
 * as the room's session (live-room.ts).
 */
import type { RoomRecord } from '../../store/records.js';
import type { ControlMethods } from '../control/control-protocol.js';
import { ControlMethodError } from '../control/control-server.js';
import { ROOM_KICK, ROOM_LIVE, ROOM_LOCK, ROOM_MUTE, ROOM_UNLOCK, ROOM_UNMUTE, type LockResult, type ParticipantResult } from '../control/room-control.js';
import { emptyRoomView, participantView, type LiveRoom, type Participant } from './live-room.js';

export interface LiveRooms {
  liveRoom(number: string): LiveRoom | undefined;
}

export function roomControlMethods(rooms: LiveRooms, findRoom: (number: string) => RoomRecord | undefined): ControlMethods {
  const record = (params: Record<string, unknown>): RoomRecord => {
    const number = params['number'];
    if (typeof number !== 'string' || number === '') throw new ControlMethodError('room methods need { number }');
    const r = findRoom(number);
    if (!r) throw new ControlMethodError(`no conference room ${number}`);
    return r;
  };
  const participant = (params: Record<string, unknown>): { room: LiveRoom; p: Participant } => {
    const r = record(params);
    const id = params['participant'];
    if (typeof id !== 'string' || id === '') throw new ControlMethodError('room participant methods need { number, participant }');
    const room = rooms.liveRoom(r.number);
    const p = room?.byId(id);
    if (!room || !p) throw new ControlMethodError(`no participant ${id} in room ${r.number}`);
    return { room, p };
  };
  const mute = (muted: boolean) => (params: Record<string, unknown>): ParticipantResult => {
    const { room, p } = participant(params);
    const changed = room.setMuted(p, muted);
    if (changed) p.call.say?.([muted ? 'conf-muted' : 'conf-unmuted']);
    return { participant: participantView(p), changed };
  };
  const lock = (locked: boolean) => (params: Record<string, unknown>): LockResult => {
    const r = record(params);
    const room = rooms.liveRoom(r.number);
    if (!room) {
      if (!locked) return { number: r.number, locked: false, changed: false };
      throw new ControlMethodError(`room ${r.number} is empty: nothing to lock`);
    }
    const changed = room.locked !== locked;
    room.locked = locked;
    return { number: r.number, locked, changed };
  };
  return {
    [ROOM_LIVE]: (params) => {
      const r = record(params);
      return rooms.liveRoom(r.number)?.view() ?? emptyRoomView(r);
    },
    [ROOM_MUTE]: mute(true),
    [ROOM_UNMUTE]: mute(false),
    [ROOM_KICK]: (params): ParticipantResult => {
      const { p } = participant(params);
      const view = participantView(p);
      p.call.kick('removed by the operator');
      return { participant: view, changed: true };
    },
    [ROOM_LOCK]: lock(true),
    [ROOM_UNLOCK]: lock(false),
  };
}
