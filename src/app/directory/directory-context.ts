/** What every directory operation works with: the store, the numbering plan and the time. */
import type { Clock } from '../../time/clock.js';
import type { DeviceRecord, Store, UserRecord } from '../../store/store.js';
import { DirectoryError } from './directory-error.js';
import type { Numbering } from './numbering.js';

export interface DirectoryContext {
  store: Store;
  numbering: Numbering;
  clock: Clock;
}

/** Stored timestamps are whole epoch milliseconds. */
export function nowMs(ctx: DirectoryContext): number {
  return Math.floor(ctx.clock.now());
}

/** The user whose main extension is `ext`, or an error that says what `ext` is instead. */
export function requireUser(ctx: DirectoryContext, ext: string): UserRecord {
  const user = ctx.store.users.findByExt(ext);
  if (user) return user;
  const other = ctx.numbering.claims(ext)[0];
  throw new DirectoryError('not-found', `unknown user ${ext}${other ? ` (${ext} is used by ${other.description})` : ''}`);
}

/** The device with extension `ext`, or an error that says what `ext` is instead. */
export function requireDevice(ctx: DirectoryContext, ext: string): DeviceRecord {
  const device = ctx.store.devices.findByExt(ext);
  if (device) return device;
  const other = ctx.numbering.claims(ext)[0];
  throw new DirectoryError('not-found', `unknown device ${ext}${other ? ` (${ext} is used by ${other.description})` : ''}`);
}

/** Bindings that are still live for a device: what an operator loses when it goes. */
export function liveBindingCount(ctx: DirectoryContext, deviceExt: string): number {
  return ctx.store.registrations.bindings(deviceExt, ctx.clock.now()).length;
}
