/**
 * Who answers a dialled number, for call routing. A user's main extension wins over a
 * device extension when both are the same number (the usual "user 1001, desk phone
 * 1001"): calling 1001 rings the user, i.e. all of the user's devices.
 * Conference rooms will add a `{ kind: 'room' }` branch here.
 */
import type { DeviceRepository } from './devices-repository.js';
import type { DeviceRecord, UserRecord } from './records.js';
import type { UserRepository } from './users-repository.js';

export type ResolvedNumber =
  | { kind: 'user'; user: UserRecord; devices: DeviceRecord[] }
  | { kind: 'device'; device: DeviceRecord; user: UserRecord };

export function createNumberResolver(users: UserRepository, devices: DeviceRepository): (number: string) => ResolvedNumber | undefined {
  return (number) => {
    const user = users.findByExt(number);
    if (user) return { kind: 'user', user, devices: devices.listByUser(user.id) };
    const device = devices.findByExt(number);
    if (device) return { kind: 'device', device, user: users.findById(device.userId)! };
    return undefined;
  };
}
