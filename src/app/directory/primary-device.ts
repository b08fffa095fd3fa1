/**
 * The primary-device rules of the product documents:
 * - marking a device primary un-marks the user's previous primary device, and when the
 *   device's extension differs from the user's main extension, the main extension takes
 *   the value of the device's extension;
 * - a device whose extension equals the main extension becomes primary on its own when the
 *   user has no primary device yet.
 */
import type { DeviceRecord, UserRecord } from '../../store/store.js';
import { nowMs, type DirectoryContext } from './directory-context.js';
import type { DirectoryEffect } from './directory-effects.js';

export function makePrimary(ctx: DirectoryContext, device: DeviceRecord, user: UserRecord): DirectoryEffect[] {
  const { store } = ctx;
  const effects: DirectoryEffect[] = [];
  const previous = store.devices.primaryOf(user.id);
  if (previous?.id !== device.id) {
    store.devices.setPrimary(device.id, nowMs(ctx));
    effects.push({ kind: 'primary-set', device: device.ext, user: user.name, ...(previous ? { previous: previous.ext } : {}) });
  }
  if (device.ext !== user.ext) {
    // Only this device (the user's own) holds its extension, but ask the plan all the same:
    // a later owner of numbers (rooms) must not be bypassed.
    ctx.numbering.assertAvailable(device.ext, { kind: 'user', id: user.id });
    store.users.update(user.id, { ext: device.ext }, nowMs(ctx));
    effects.push({ kind: 'main-extension-changed', user: user.name, from: user.ext, to: device.ext });
  }
  return effects;
}

/** Marks the user's device that carries the main extension primary, if the user has no primary. */
export function adoptPrimaryIfNone(ctx: DirectoryContext, user: UserRecord): DirectoryEffect[] {
  const { store } = ctx;
  if (store.devices.primaryOf(user.id)) return [];
  const device = store.devices.findByExt(user.ext);
  if (!device || device.userId !== user.id) return [];
  store.devices.setPrimary(device.id, nowMs(ctx));
  return [{ kind: 'primary-set', device: device.ext, user: user.name }];
}

export function clearPrimary(ctx: DirectoryContext, device: DeviceRecord, user: UserRecord): DirectoryEffect[] {
  if (!device.primary) return [];
  ctx.store.devices.clearPrimary(device.id, nowMs(ctx));
  return [{ kind: 'primary-cleared', device: device.ext, user: user.name }];
}
