/**
 * The users-and-devices directory: every change an operator makes goes through here, so the
 * product rules (formats, one numbering plan, primary device and main extension) hold
 * whoever calls. Each change runs in one IMMEDIATE transaction: its checks and writes are
 * atomic, and a CLI and a running switch on the same file cannot interleave them.
 */
import { systemClock, type Clock } from '../../time/clock.js';
import type { DeviceRecord, Store, UserRecord } from '../../store/store.js';
import { requireDevice, requireUser, type DirectoryContext } from './directory-context.js';
import { addDevice, editDevice, removeDevice, type DeviceChange, type DeviceEdit, type NewDeviceInput, type RemovedDevice } from './device-changes.js';
import { numberOwners } from './number-owners.js';
import { Numbering } from './numbering.js';
import { addUser, editUser, removeUser, type NewUserInput, type RemovedUser, type UserChange, type UserEdit } from './user-changes.js';

export interface UserView {
  user: UserRecord;
  devices: DeviceRecord[];
}

export interface DeviceView {
  device: DeviceRecord;
  user: UserRecord;
}

export class Directory {
  private readonly ctx: DirectoryContext;

  constructor(store: Store, clock: Clock = systemClock) {
    this.ctx = { store, clock, numbering: new Numbering(numberOwners(store)) };
  }

  get numbering(): Numbering {
    return this.ctx.numbering;
  }

  addUser(input: NewUserInput): UserChange {
    return addUser(this.ctx, input);
  }

  editUser(ext: string, edit: UserEdit): UserChange {
    return editUser(this.ctx, ext, edit);
  }

  removeUser(ext: string, opts: { force?: boolean } = {}): RemovedUser {
    return removeUser(this.ctx, ext, opts);
  }

  addDevice(input: NewDeviceInput): DeviceChange {
    return addDevice(this.ctx, input);
  }

  editDevice(ext: string, edit: DeviceEdit): DeviceChange {
    return editDevice(this.ctx, ext, edit);
  }

  removeDevice(ext: string): RemovedDevice {
    return removeDevice(this.ctx, ext);
  }

  /** The user with main extension `ext` and its devices; throws DirectoryError('not-found'). */
  user(ext: string): UserView {
    const user = requireUser(this.ctx, ext);
    return { user, devices: this.ctx.store.devices.listByUser(user.id) };
  }

  users(): UserView[] {
    return this.ctx.store.users.list().map((user) => ({ user, devices: this.ctx.store.devices.listByUser(user.id) }));
  }

  /** The device with extension `ext` and its user; throws DirectoryError('not-found'). */
  device(ext: string): DeviceView {
    const device = requireDevice(this.ctx, ext);
    return { device, user: this.ctx.store.users.findById(device.userId)! };
  }

  /** Every device, or those of the user with main extension `userExt`. */
  devices(userExt?: string): DeviceView[] {
    const { store } = this.ctx;
    if (userExt !== undefined) {
      const user = requireUser(this.ctx, userExt);
      return store.devices.listByUser(user.id).map((device) => ({ device, user }));
    }
    const users = new Map(store.users.list().map((u) => [u.id, u]));
    return store.devices.list().map((device) => ({ device, user: users.get(device.userId)! }));
  }
}

export { DirectoryError, type DirectoryErrorKind } from './directory-error.js';
export { describeEffect, type DirectoryEffect } from './directory-effects.js';
export { Numbering, type NumberClaim, type NumberOwner, type NumberUse } from './numbering.js';
export type { NewUserInput, UserEdit, UserChange, RemovedUser } from './user-changes.js';
export type { NewDeviceInput, DeviceEdit, DeviceChange, RemovedDevice } from './device-changes.js';
