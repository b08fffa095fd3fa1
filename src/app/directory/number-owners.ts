/**
 * The owners of numbers, read from the store: users' main extensions, devices, conference
 * rooms. The list returned by `numberOwners` is the single place where a new kind is added.
 */
import type { Store } from '../../store/store.js';
import type { NumberClaim, NumberOwner } from './numbering.js';

export function userNumberOwner(store: Store): NumberOwner {
  return {
    claimsOn(number): NumberClaim[] {
      const user = store.users.findByExt(number);
      return user ? [{ kind: 'user', id: user.id, userId: user.id, description: `user ${user.name}` }] : [];
    },
  };
}

export function deviceNumberOwner(store: Store): NumberOwner {
  return {
    claimsOn(number): NumberClaim[] {
      const device = store.devices.findByExt(number);
      if (!device) return [];
      const owner = store.users.findById(device.userId);
      return [{ kind: 'device', id: device.id, userId: device.userId, description: `device of ${owner?.name ?? 'an unknown user'}` }];
    },
  };
}

/**
 * Conference rooms hold their numbers outright: no user may take one as a main extension or
 * a device extension, and no room may take a user's or device's number. A private room's
 * owner gets no exception (its claim carries no `userId`).
 */
export function roomNumberOwner(store: Store): NumberOwner {
  return {
    claimsOn(number): NumberClaim[] {
      const room = store.rooms.findByNumber(number);
      return room ? [{ kind: 'room', id: room.id, description: `conference room ${room.name}` }] : [];
    },
  };
}

export function numberOwners(store: Store): NumberOwner[] {
  return [userNumberOwner(store), deviceNumberOwner(store), roomNumberOwner(store)];
}
