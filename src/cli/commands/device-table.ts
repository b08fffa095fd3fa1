/** The device table shared by `device list` and `user show`. */
import type { DeviceRecord, UserRecord } from '../../store/store.js';
import { orDash, type Column } from '../table.js';

export interface DeviceRow {
  device: DeviceRecord;
  user: UserRecord;
  contacts: number;
}

export function deviceRows(devices: DeviceRecord[], user: UserRecord, contactsOf: (ext: string) => number): DeviceRow[] {
  return devices.map((device) => ({ device, user, contacts: contactsOf(device.ext) }));
}

export function deviceColumns(opts: { withUser: boolean }): Array<Column<DeviceRow>> {
  const columns: Array<Column<DeviceRow>> = [{ header: 'EXT', cell: (r) => r.device.ext }];
  if (opts.withUser) {
    columns.push({ header: 'USER', cell: (r) => r.user.ext }, { header: 'NAME', cell: (r) => r.user.name });
  }
  columns.push(
    { header: 'MODEL', cell: (r) => orDash(r.device.model) },
    { header: 'MAC', cell: (r) => orDash(r.device.mac) },
    { header: 'STATE', cell: (r) => (r.device.enabled ? 'enabled' : 'disabled') },
    { header: 'PRIMARY', cell: (r) => (r.device.primary ? 'yes' : '-') },
    { header: 'AUTH', cell: (r) => r.device.authAlgorithms?.join(',') ?? 'default' },
    { header: 'CONTACTS', cell: (r) => String(r.contacts) },
  );
  return columns;
}
