/**
 * The owners of numbers known today, read from the store. The list returned by
 * `numberOwners` is the single place where a new kind (conference rooms) is added.
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

export function numberOwners(store: Store): NumberOwner[] {
  return [userNumberOwner(store), deviceNumberOwner(store)];
}
