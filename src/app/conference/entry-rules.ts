/**
 * Who enters a conference room, and how (issue 5, "Conference rooms"). Pure: the room, who
 * calls and the room's live state in, a decision out.
 *
 *   private room, the owner (any device of theirs) ......... joins as admin, no PIN, even
 *                                                            when locked or full (decided: it
 *                                                            is theirs)
 *   locked ................................................ "the conference is locked", BYE
 *   maxParticipants reached ............................... "the conference is full", BYE
 *   brought in by the owner's blind transfer .............. joins, no PIN
 *   public room, user PIN (and maybe admin PIN) ........... asked: user PIN joins, admin PIN
 *                                                            joins as admin
 *   public room, admin PIN only ........................... asked: an empty entry (#) joins,
 *                                                            the admin PIN joins as admin
 *   public room, no PIN ................................... joins
 *   private room, anyone else (or the owner's consultation
 *   call while the owner is in the room on another call) .. asked for the room's PIN if it
 *                                                            has one, else joins
 */
import type { RoomRecord } from '../../store/records.js';

export type Role = 'admin' | 'participant';

export interface EntryContext {
  room: RoomRecord;
  /** The calling user's id; null for a caller that is no user of ours. */
  callerUserId: number | null;
  /** The owner already has a leg in the room: this call of theirs is a consultation call (attended transfer). */
  ownerAlreadyIn: boolean;
  /** Brought in by a blind transfer from the private room's owner. */
  transferredByOwner: boolean;
  locked: boolean;
  /** Participants in the room now. */
  participants: number;
}

export type EntryDecision =
  | { kind: 'join'; role: Role }
  | { kind: 'ask-pin'; pins: ReadonlyMap<string, Role>; emptyEntry: Role | undefined }
  | { kind: 'refuse'; prompt: 'conf-locked' | 'conf-full'; reason: string };

export function isOwner(room: RoomRecord, userId: number | null): boolean {
  return room.kind === 'private' && userId !== null && room.ownerUserId === userId;
}

export function decideEntry(c: EntryContext): EntryDecision {
  const { room } = c;
  if (isOwner(room, c.callerUserId) && !c.ownerAlreadyIn) return { kind: 'join', role: 'admin' };
  const refusal = refusalOf(c);
  if (refusal) return refusal;
  if (c.transferredByOwner) return { kind: 'join', role: 'participant' };
  const pins = new Map<string, Role>();
  if (room.pin !== null) pins.set(room.pin, 'participant');
  if (room.kind === 'public' && room.adminPin !== null) pins.set(room.adminPin, 'admin');
  if (pins.size === 0) return { kind: 'join', role: 'participant' };
  const emptyEntry = room.kind === 'public' && room.pin === null ? 'participant' : undefined;
  return { kind: 'ask-pin', pins, emptyEntry };
}

/** Checked again when a caller who entered a PIN is about to join (the room may have filled or locked meanwhile). */
export function refusalOf(c: Pick<EntryContext, 'room' | 'callerUserId' | 'ownerAlreadyIn' | 'transferredByOwner' | 'locked' | 'participants'>): EntryDecision | undefined {
  if (isOwner(c.room, c.callerUserId) && !c.ownerAlreadyIn) return undefined;
  if (c.locked && !c.transferredByOwner) return { kind: 'refuse', prompt: 'conf-locked', reason: 'room locked' };
  if (c.room.maxParticipants !== null && c.participants >= c.room.maxParticipants) return { kind: 'refuse', prompt: 'conf-full', reason: 'room full' };
  return undefined;
}
