/** Adding, editing and removing users, with the numbering and primary-device rules. */
import type { DeviceRecord, RoomRecord, UserRecord } from '../../store/store.js';
import { liveBindingCount, nowMs, requireUser, type DirectoryContext } from './directory-context.js';
import { DirectoryError } from './directory-error.js';
import type { DirectoryEffect } from './directory-effects.js';
import { parseExtension, parseName, parsePhoneNumber } from './field-rules.js';
import { adoptPrimaryIfNone } from './primary-device.js';

export interface NewUserInput {
  ext: string;
  name: string;
  callerId?: string;
  mobile?: string;
}

/** Absent = unchanged; `null` = cleared. */
export interface UserEdit {
  ext?: string;
  name?: string;
  callerId?: string | null;
  mobile?: string | null;
}

export interface UserChange {
  user: UserRecord;
  devices: DeviceRecord[];
  effects: DirectoryEffect[];
}

export interface RemovedUser {
  user: UserRecord;
  devices: DeviceRecord[];
  /** Live registrations that went with the devices. */
  registrations: number;
  /** The user's private rooms, removed with it. */
  rooms: RoomRecord[];
  /** One `room-removed` per private room. */
  effects: DirectoryEffect[];
}

export function addUser(ctx: DirectoryContext, input: NewUserInput): UserChange {
  const ext = parseExtension(input.ext);
  const name = parseName(input.name);
  const callerId = input.callerId === undefined ? null : parsePhoneNumber(input.callerId, 'caller ID');
  const mobile = input.mobile === undefined ? null : parsePhoneNumber(input.mobile, 'mobile number');
  return ctx.store.transaction(() => {
    ctx.numbering.assertAvailable(ext, { kind: 'user' });
    const user = ctx.store.users.insert({ ext, name, callerId, mobile }, nowMs(ctx));
    return { user, devices: [], effects: [] };
  });
}

export function editUser(ctx: DirectoryContext, currentExt: string, edit: UserEdit): UserChange {
  const ext = edit.ext === undefined ? undefined : parseExtension(edit.ext, 'new main extension');
  const name = edit.name === undefined ? undefined : parseName(edit.name);
  const callerId = edit.callerId == null ? edit.callerId : parsePhoneNumber(edit.callerId, 'caller ID');
  const mobile = edit.mobile == null ? edit.mobile : parsePhoneNumber(edit.mobile, 'mobile number');
  return ctx.store.transaction(() => {
    const before = requireUser(ctx, currentExt);
    const effects: DirectoryEffect[] = [];
    if (ext !== undefined && ext !== before.ext) {
      ctx.numbering.assertAvailable(ext, { kind: 'user', id: before.id });
      effects.push({ kind: 'main-extension-changed', user: name ?? before.name, from: before.ext, to: ext });
    }
    ctx.store.users.update(before.id, definedOnly({ ext, name, callerId, mobile }), nowMs(ctx));
    const user = ctx.store.users.findById(before.id)!;
    effects.push(...adoptPrimaryIfNone(ctx, user));
    return { user, devices: ctx.store.devices.listByUser(user.id), effects };
  });
}

/**
 * Removes the user, its devices and their registrations, and its private rooms; a user with
 * devices or private rooms needs `force`.
 */
export function removeUser(ctx: DirectoryContext, ext: string, opts: { force?: boolean } = {}): RemovedUser {
  return ctx.store.transaction(() => {
    const user = requireUser(ctx, ext);
    const devices = ctx.store.devices.listByUser(user.id);
    const rooms = ctx.store.rooms.listByOwner(user.id);
    if ((devices.length > 0 || rooms.length > 0) && !opts.force) throw new DirectoryError('refused', forceNeeded(user, devices, rooms));
    const registrations = devices.reduce((sum, d) => sum + liveBindingCount(ctx, d.ext), 0);
    ctx.store.users.remove(user.id); // devices, registrations and private rooms follow (ON DELETE CASCADE)
    const effects: DirectoryEffect[] = rooms.map((r) => ({ kind: 'room-removed', room: r.number, name: r.name, owner: user.name }));
    return { user, devices, registrations, rooms, effects };
  });
}

function forceNeeded(user: UserRecord, devices: DeviceRecord[], rooms: RoomRecord[]): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const has = devices.length ? `has ${plural(devices.length, 'device')} (${devices.map((d) => d.ext).join(', ')})` : '';
  const owns = rooms.length ? `owns ${plural(rooms.length, 'private room')} (${rooms.map((r) => r.number).join(', ')})` : '';
  const what = [devices.length ? 'devices' : '', rooms.length ? 'rooms' : ''].filter(Boolean).join(' and ');
  return `user ${user.ext} (${user.name}) ${[has, owns].filter(Boolean).join(' and ')}; add --force to remove the user with its ${what}`;
}

function definedOnly<T extends object>(changes: T): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<{ [K in keyof T]: Exclude<T[K], undefined> }>;
}
