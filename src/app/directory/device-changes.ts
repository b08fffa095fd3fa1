/** Adding, editing and removing devices, with the numbering and primary-device rules. */
import type { DeviceChanges, DeviceRecord, UserRecord } from '../../store/store.js';
import { liveBindingCount, nowMs, requireDevice, requireUser, type DirectoryContext } from './directory-context.js';
import type { DirectoryEffect } from './directory-effects.js';
import { parseAuthAlgorithms, parseExtension, parseMac, parseModel, parseSecret } from './field-rules.js';
import { adoptPrimaryIfNone, clearPrimary, makePrimary } from './primary-device.js';

export interface NewDeviceInput {
  ext: string;
  /** Main extension of the owning user. */
  userExt: string;
  secret: string;
  model?: string;
  mac?: string;
  primary?: boolean;
  /** Default true. */
  enabled?: boolean;
  /**
   * Digest algorithms offered to this device, in challenge order (`MD5`, `SHA-256`, any case);
   * absent or `null` = the configured `auth.algorithms`. For phones that give up when any
   * challenge names SHA-256.
   */
  authAlgorithms?: readonly string[] | null;
}

/** Absent = unchanged; `null` = cleared. `primary: false` un-marks the device. */
export interface DeviceEdit {
  secret?: string;
  model?: string | null;
  mac?: string | null;
  primary?: boolean;
  enabled?: boolean;
  /** Move the device to the user with this main extension. */
  userExt?: string;
  /** Its own digest algorithms (see NewDeviceInput); `null` = back to `auth.algorithms`. */
  authAlgorithms?: readonly string[] | null;
}

export interface DeviceChange {
  device: DeviceRecord;
  user: UserRecord;
  effects: DirectoryEffect[];
}

export interface RemovedDevice {
  device: DeviceRecord;
  user: UserRecord;
  registrations: number;
  effects: DirectoryEffect[];
}

export function addDevice(ctx: DirectoryContext, input: NewDeviceInput): DeviceChange {
  const ext = parseExtension(input.ext);
  const secret = parseSecret(input.secret, ext);
  const model = input.model === undefined ? null : parseModel(input.model);
  const mac = input.mac === undefined ? null : parseMac(input.mac);
  const authAlgorithms = input.authAlgorithms == null ? null : parseAuthAlgorithms(input.authAlgorithms);
  return ctx.store.transaction(() => {
    const owner = requireUser(ctx, input.userExt);
    ctx.numbering.assertAvailable(ext, { kind: 'device', userId: owner.id });
    const inserted = ctx.store.devices.insert({ userId: owner.id, ext, secret, model, mac, enabled: input.enabled ?? true, authAlgorithms }, nowMs(ctx));
    const effects = input.primary ? makePrimary(ctx, inserted, owner) : adoptPrimaryIfNone(ctx, owner);
    return settled(ctx, inserted.id, effects);
  });
}

export function editDevice(ctx: DirectoryContext, ext: string, edit: DeviceEdit): DeviceChange {
  const changes: DeviceChanges = {};
  if (edit.secret !== undefined) changes.secret = parseSecret(edit.secret, ext);
  if (edit.model !== undefined) changes.model = edit.model === null ? null : parseModel(edit.model);
  if (edit.mac !== undefined) changes.mac = edit.mac === null ? null : parseMac(edit.mac);
  if (edit.enabled !== undefined) changes.enabled = edit.enabled;
  if (edit.authAlgorithms !== undefined) changes.authAlgorithms = edit.authAlgorithms === null ? null : parseAuthAlgorithms(edit.authAlgorithms);
  return ctx.store.transaction(() => {
    const before = requireDevice(ctx, ext);
    const effects: DirectoryEffect[] = [];
    let owner = ctx.store.users.findById(before.userId)!;
    if (edit.userExt !== undefined && edit.userExt !== owner.ext) {
      const target = requireUser(ctx, edit.userExt);
      ctx.numbering.assertAvailable(before.ext, { kind: 'device', id: before.id, userId: target.id });
      effects.push(...clearPrimary(ctx, before, owner));
      effects.push({ kind: 'device-moved', device: before.ext, from: `${owner.name} (${owner.ext})`, to: `${target.name} (${target.ext})` });
      changes.userId = target.id;
      owner = target;
    }
    ctx.store.devices.update(before.id, changes, nowMs(ctx));
    if (before.enabled && edit.enabled === false) effects.push(...dropRegistrations(ctx, before.ext));
    const device = ctx.store.devices.findById(before.id)!;
    if (edit.primary === true) effects.push(...makePrimary(ctx, device, owner));
    if (edit.primary === false) effects.push(...clearPrimary(ctx, device, owner));
    return settled(ctx, before.id, effects);
  });
}

/** Removes the device and its registrations; removing the primary leaves the user without one. */
export function removeDevice(ctx: DirectoryContext, ext: string): RemovedDevice {
  return ctx.store.transaction(() => {
    const device = requireDevice(ctx, ext);
    const user = ctx.store.users.findById(device.userId)!;
    const registrations = liveBindingCount(ctx, device.ext);
    ctx.store.devices.remove(device.id); // registrations follow (ON DELETE CASCADE)
    const effects: DirectoryEffect[] = device.primary ? [{ kind: 'primary-cleared', device: device.ext, user: user.name }] : [];
    return { device, user, registrations, effects };
  });
}

/** A disabled device must not keep receiving calls: its bindings go at once. */
function dropRegistrations(ctx: DirectoryContext, deviceExt: string): DirectoryEffect[] {
  const count = liveBindingCount(ctx, deviceExt);
  ctx.store.registrations.removeAll(deviceExt);
  return count > 0 ? [{ kind: 'registrations-removed', device: deviceExt, count }] : [];
}

function settled(ctx: DirectoryContext, deviceId: number, effects: DirectoryEffect[]): DeviceChange {
  const device = ctx.store.devices.findById(deviceId)!;
  return { device, user: ctx.store.users.findById(device.userId)!, effects };
}
