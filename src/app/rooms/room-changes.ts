/**
 * Adding, editing and removing conference rooms. Every change is checked as a whole room
 * (`checkRoom`), inside the same IMMEDIATE transaction as its write, so the rules hold
 * whatever combination of options an edit brings and whoever writes at the same moment:
 *
 * - the number falls in a conference range and no user, device or other room holds it;
 * - a private room belongs to an existing user (by main extension) and has no admin PIN:
 *   its owner is its administrator; a public room belongs to nobody;
 * - PIN and admin PIN are 4-12 digits and differ from each other.
 */
import type { NewRoom, RoomChanges, RoomKind, RoomRecord, UserRecord } from '../../store/store.js';
import { nowMs, type DirectoryContext } from '../directory/directory-context.js';
import { DirectoryError, invalid } from '../directory/directory-error.js';
import { parseName } from '../directory/field-rules.js';
import { describeRanges, inAnyRange } from './conference-ranges.js';
import { parseLanguage, parseMaxParticipants, parsePin, parseRoomNumber } from './room-fields.js';
import { warningsOf, type RoomWarning } from './room-warnings.js';

export interface NewRoomInput {
  number: string;
  name: string;
  kind: RoomKind;
  /** Private rooms: the owner's main extension. */
  ownerExt?: string;
  pin?: string;
  /** Public rooms only. */
  adminPin?: string;
  /** `en`, `it` or `ru`; absent = the system's `ivr.language`. */
  language?: string;
  /** Absent = no limit. */
  maxParticipants?: number | string;
}

/** Absent = unchanged; `null` = cleared. Changing `kind` to private needs `ownerExt`. */
export interface RoomEdit {
  number?: string;
  name?: string;
  kind?: RoomKind;
  ownerExt?: string;
  pin?: string | null;
  adminPin?: string | null;
  language?: string | null;
  maxParticipants?: number | string | null;
}

export interface RoomChange {
  room: RoomRecord;
  owner: UserRecord | null;
  warnings: RoomWarning[];
}

export interface RemovedRoom {
  room: RoomRecord;
  owner: UserRecord | null;
}

export function addRoom(ctx: DirectoryContext, input: NewRoomInput): RoomChange {
  const number = parseRoomNumber(input.number);
  const fields = parseFields(input);
  return ctx.store.transaction(() => {
    const owner = input.ownerExt === undefined ? null : requireOwner(ctx, input.ownerExt);
    const room: NewRoom = {
      number, name: parseName(input.name), kind: input.kind, ownerUserId: owner?.id ?? null,
      pin: fields.pin ?? null, adminPin: fields.adminPin ?? null, language: fields.language ?? null, maxParticipants: fields.maxParticipants ?? null,
    };
    checkRoom(ctx, room);
    return settled(ctx, ctx.store.rooms.insert(room, nowMs(ctx)).id);
  });
}

export function editRoom(ctx: DirectoryContext, currentNumber: string, edit: RoomEdit): RoomChange {
  const changes: RoomChanges = parseFields(edit);
  if (edit.number !== undefined) changes.number = parseRoomNumber(edit.number, 'new room number');
  if (edit.name !== undefined) changes.name = parseName(edit.name);
  if (edit.kind !== undefined) changes.kind = edit.kind;
  return ctx.store.transaction(() => {
    const before = requireRoom(ctx, currentNumber);
    if (edit.ownerExt !== undefined) changes.ownerUserId = requireOwner(ctx, edit.ownerExt).id;
    else if (changes.kind === 'public') changes.ownerUserId = null; // a room made public belongs to nobody
    const next = { ...before, ...changes };
    if (next.kind === 'private' && next.ownerUserId !== null && before.adminPin !== null && changes.adminPin === undefined) {
      throw invalid(`room ${before.number} has an admin PIN, which a private room has not (its owner is its administrator); remove it with --no-admin-pin`);
    }
    checkRoom(ctx, next, before.id);
    ctx.store.rooms.update(before.id, changes, nowMs(ctx));
    return settled(ctx, before.id);
  });
}

export function removeRoom(ctx: DirectoryContext, number: string): RemovedRoom {
  return ctx.store.transaction(() => {
    const room = requireRoom(ctx, number);
    ctx.store.rooms.remove(room.id);
    return { room, owner: ownerOf(ctx, room) };
  });
}

/** The room with number `number`, or an error that says what `number` is instead. */
export function requireRoom(ctx: DirectoryContext, number: string): RoomRecord {
  const room = ctx.store.rooms.findByNumber(number);
  if (room) return room;
  const other = ctx.numbering.claims(number)[0];
  throw new DirectoryError('not-found', `unknown room ${number}${other ? ` (${number} is used by ${other.description})` : ''}`);
}

export function ownerOf(ctx: DirectoryContext, room: RoomRecord): UserRecord | null {
  return room.ownerUserId === null ? null : (ctx.store.users.findById(room.ownerUserId) ?? null);
}

/** The values that add and edit parse alike; `null` clears, absent stays absent. */
function parseFields(input: NewRoomInput | RoomEdit): Pick<RoomChanges, 'pin' | 'adminPin' | 'language' | 'maxParticipants'> {
  const out: Pick<RoomChanges, 'pin' | 'adminPin' | 'language' | 'maxParticipants'> = {};
  if (input.pin != null) out.pin = parsePin(input.pin, 'PIN');
  else if (input.pin === null) out.pin = null;
  if (input.adminPin != null) out.adminPin = parsePin(input.adminPin, 'admin PIN');
  else if (input.adminPin === null) out.adminPin = null;
  if (input.language != null) out.language = parseLanguage(input.language);
  else if (input.language === null) out.language = null;
  if (input.maxParticipants != null) out.maxParticipants = parseMaxParticipants(input.maxParticipants);
  else if (input.maxParticipants === null) out.maxParticipants = null;
  return out;
}

function requireOwner(ctx: DirectoryContext, ext: string): UserRecord {
  const user = ctx.store.users.findByExt(ext);
  if (user) return user;
  const other = ctx.numbering.claims(ext)[0];
  throw new DirectoryError('not-found', `owner ${ext} is not a user${other ? ` (${ext} is used by ${other.description})` : ''}`);
}

/** The rules a stored room must satisfy, checked on the room as it would be after the change. */
function checkRoom(ctx: DirectoryContext, room: NewRoom, id?: number): void {
  if (room.kind === 'private' && room.ownerUserId === null) throw invalid('a private room needs an owner: the main extension of an existing user');
  if (room.kind === 'public' && room.ownerUserId !== null) throw invalid('a public room has no owner; only a private room belongs to a user');
  if (room.kind === 'private' && room.adminPin !== null) throw invalid('a private room has no admin PIN: its owner is its administrator');
  if (room.pin !== null && room.pin === room.adminPin) throw invalid('the admin PIN must differ from the PIN');
  const ranges = ctx.store.conferenceRanges.list();
  if (ranges.length === 0) throw new DirectoryError('refused', 'no conference range is set; set one first with conference-range set <from>-<to>');
  if (!inAnyRange(room.number, ranges)) {
    throw new DirectoryError('refused', `room number ${room.number} is outside the conference range${ranges.length === 1 ? '' : 's'} (${describeRanges(ranges)})`);
  }
  ctx.numbering.assertAvailable(room.number, id === undefined ? { kind: 'room' } : { kind: 'room', id });
}

function settled(ctx: DirectoryContext, id: number): RoomChange {
  const room = ctx.store.rooms.findById(id)!;
  return { room, owner: ownerOf(ctx, room), warnings: warningsOf(room) };
}
