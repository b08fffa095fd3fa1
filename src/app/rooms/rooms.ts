/**
 * Conference rooms as configuration (issue 5): every change an operator makes to rooms and
 * to the conference numbering goes through here, so the rules hold whoever calls (the CLI
 * today, the switch's conference service when it reads a room). Rooms share the one
 * numbering plan of src/app/directory: a room's number is nobody else's, and back.
 */
import { systemClock, type Clock } from '../../time/clock.js';
import type { ConferenceRange, RoomRecord, Store, UserRecord } from '../../store/store.js';
import type { DirectoryContext } from '../directory/directory-context.js';
import { numberOwners } from '../directory/number-owners.js';
import { Numbering } from '../directory/numbering.js';
import { setConferenceRanges, type RangeChange } from './range-changes.js';
import { addRoom, editRoom, ownerOf, removeRoom, requireRoom, type NewRoomInput, type RemovedRoom, type RoomChange, type RoomEdit } from './room-changes.js';
import { isOpenToAnyone, warningsOf, type RoomWarning } from './room-warnings.js';

export interface RoomView {
  room: RoomRecord;
  /** Private rooms: the owning user; public: `null`. */
  owner: UserRecord | null;
  warnings: RoomWarning[];
}

export class Rooms {
  private readonly ctx: DirectoryContext;

  constructor(store: Store, clock: Clock = systemClock) {
    this.ctx = { store, clock, numbering: new Numbering(numberOwners(store)) };
  }

  get numbering(): Numbering {
    return this.ctx.numbering;
  }

  addRoom(input: NewRoomInput): RoomChange {
    return addRoom(this.ctx, input);
  }

  /** `number` is the room's current number. */
  editRoom(number: string, edit: RoomEdit): RoomChange {
    return editRoom(this.ctx, number, edit);
  }

  removeRoom(number: string): RemovedRoom {
    return removeRoom(this.ctx, number);
  }

  /** The room with this number; throws DirectoryError('not-found'). */
  room(number: string): RoomView {
    return this.view(requireRoom(this.ctx, number));
  }

  /** The room with this number, or undefined: for the switch, on each call to a number. */
  findRoom(number: string): RoomRecord | undefined {
    return this.ctx.store.rooms.findByNumber(number);
  }

  /** Every room, in number order. */
  rooms(): RoomView[] {
    return this.ctx.store.rooms.list().map((room) => this.view(room));
  }

  /** Public rooms with neither a PIN nor an admin PIN: anyone who dials them joins. */
  roomsWithoutPin(): RoomRecord[] {
    return this.ctx.store.rooms.list().filter(isOpenToAnyone);
  }

  conferenceRanges(): ConferenceRange[] {
    return this.ctx.store.conferenceRanges.list();
  }

  /** Replaces the ranges (`8000-8999` each); refuses a set that leaves a room outside. */
  setConferenceRanges(ranges: readonly string[]): RangeChange {
    return setConferenceRanges(this.ctx, ranges);
  }

  private view(room: RoomRecord): RoomView {
    return { room, owner: ownerOf(this.ctx, room), warnings: warningsOf(room) };
  }
}

export { describeRoomWarning, isOpenToAnyone, logRoomsWithoutPin, type RoomWarning } from './room-warnings.js';
export { describeRange, describeRanges, inAnyRange, MAX_CONFERENCE_RANGES, parseConferenceRange, rangeSize } from './conference-ranges.js';
export { PIN_MAX_DIGITS, PIN_MIN_DIGITS, ROOM_LANGUAGES } from './room-fields.js';
export type { NewRoomInput, RoomEdit, RoomChange, RemovedRoom } from './room-changes.js';
export type { RangeChange, TakenNumber } from './range-changes.js';
