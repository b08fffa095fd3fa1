/**
 * Rows of the `devices` table. `findForAuth` sits on the REGISTER hot path: one prepared
 * `get` per request, no cache, so a change made by the CLI is seen by the very next
 * request of the running switch.
 */
import { decodeAuthAlgorithms, encodeAuthAlgorithms } from './auth-algorithms-column.js';
import type { SqliteDatabase } from './database.js';
import type { AuthAlgorithm, DeviceAuth, DeviceRecord } from './records.js';

interface DeviceRow {
  id: number;
  user_id: number;
  ext: string;
  secret: string;
  model: string | null;
  mac: string | null;
  enabled: number;
  is_primary: number;
  auth_algorithms: string | null;
  created_at: number;
  updated_at: number;
}

export interface NewDevice {
  userId: number;
  ext: string;
  secret: string;
  model: string | null;
  mac: string | null;
  enabled: boolean;
  /** Default `null`: the configured `auth.algorithms`. */
  authAlgorithms?: AuthAlgorithm[] | null;
}

export type DeviceChanges = Partial<Pick<DeviceRecord, 'userId' | 'secret' | 'model' | 'mac' | 'enabled' | 'authAlgorithms'>>;

export interface DeviceRepository {
  insert(device: NewDevice, now: number): DeviceRecord;
  update(id: number, changes: DeviceChanges, now: number): void;
  remove(id: number): boolean;
  findByExt(ext: string): DeviceRecord | undefined;
  findById(id: number): DeviceRecord | undefined;
  findForAuth(ext: string): DeviceAuth | undefined;
  /** A user's devices, primary first, then by extension. */
  listByUser(userId: number): DeviceRecord[];
  /** Every device, grouped by user (main extension order), primary first. */
  list(): DeviceRecord[];
  primaryOf(userId: number): DeviceRecord | undefined;
  /** Makes `deviceId` the only primary device of its user. */
  setPrimary(deviceId: number, now: number): void;
  clearPrimary(deviceId: number, now: number): void;
}

const COLUMNS = 'd.id, d.user_id, d.ext, d.secret, d.model, d.mac, d.enabled, d.is_primary, d.auth_algorithms, d.created_at, d.updated_at';
const ORDER = 'd.is_primary DESC, length(d.ext), d.ext';

function toRecord(row: DeviceRow): DeviceRecord {
  return {
    id: row.id,
    userId: row.user_id,
    ext: row.ext,
    secret: row.secret,
    model: row.model,
    mac: row.mac,
    enabled: row.enabled === 1,
    primary: row.is_primary === 1,
    authAlgorithms: decodeAuthAlgorithms(row.auth_algorithms),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createDeviceRepository(db: SqliteDatabase): DeviceRepository {
  const insert = db.prepare<[number, string, string, string | null, string | null, number, string | null, number, number]>(
    'INSERT INTO devices (user_id, ext, secret, model, mac, enabled, auth_algorithms, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare<{
    id: number; user_id: number; secret: string; model: string | null; mac: string | null; enabled: number; auth_algorithms: string | null; now: number;
  }>(
    'UPDATE devices SET user_id = @user_id, secret = @secret, model = @model, mac = @mac, enabled = @enabled, ' +
      'auth_algorithms = @auth_algorithms, updated_at = @now WHERE id = @id',
  );
  const remove = db.prepare<[number]>('DELETE FROM devices WHERE id = ?');
  const byExt = db.prepare<[string], DeviceRow>(`SELECT ${COLUMNS} FROM devices d WHERE d.ext = ?`);
  const byId = db.prepare<[number], DeviceRow>(`SELECT ${COLUMNS} FROM devices d WHERE d.id = ?`);
  const byUser = db.prepare<[number], DeviceRow>(`SELECT ${COLUMNS} FROM devices d WHERE d.user_id = ? ORDER BY ${ORDER}`);
  const all = db.prepare<[], DeviceRow>(
    `SELECT ${COLUMNS} FROM devices d JOIN users u ON u.id = d.user_id ORDER BY length(u.ext), u.ext, ${ORDER}`,
  );
  const primary = db.prepare<[number], DeviceRow>(`SELECT ${COLUMNS} FROM devices d WHERE d.user_id = ? AND d.is_primary = 1`);
  // Raw rows (arrays): better-sqlite3 builds them faster than keyed objects, and this runs on
  // every REGISTER, with credentials or without (the challenge offers the device's algorithms).
  const forAuth = db
    .prepare<[string], [ext: string, secret: string, enabled: number, userId: number, userExt: string, authAlgorithms: string | null]>(
      'SELECT d.ext, d.secret, d.enabled, d.user_id, u.ext, d.auth_algorithms FROM devices d JOIN users u ON u.id = d.user_id WHERE d.ext = ?',
    )
    .raw();
  const unmarkOthers = db.prepare<[number, number, number]>(
    'UPDATE devices SET is_primary = 0, updated_at = ? WHERE user_id = (SELECT user_id FROM devices WHERE id = ?) AND is_primary = 1 AND id <> ?',
  );
  const mark = db.prepare<[number, number]>('UPDATE devices SET is_primary = 1, updated_at = ? WHERE id = ? AND is_primary = 0');
  const unmark = db.prepare<[number, number]>('UPDATE devices SET is_primary = 0, updated_at = ? WHERE id = ? AND is_primary = 1');
  // Unmark first: the partial unique index allows one primary per user at every statement.
  const setPrimary = db.transaction((deviceId: number, now: number) => {
    unmarkOthers.run(now, deviceId, deviceId);
    mark.run(now, deviceId);
  });

  const findById = (id: number): DeviceRecord | undefined => {
    const row = byId.get(id);
    return row && toRecord(row);
  };

  return {
    insert(device, now) {
      const algorithms = encodeAuthAlgorithms(device.authAlgorithms ?? null);
      const { lastInsertRowid } = insert.run(device.userId, device.ext, device.secret, device.model, device.mac, device.enabled ? 1 : 0, algorithms, now, now);
      return findById(Number(lastInsertRowid))!;
    },
    update(id, changes, now) {
      const current = findById(id);
      if (!current) throw new Error(`no device with id ${id}`);
      const next = { ...current, ...changes };
      update.run({
        id, user_id: next.userId, secret: next.secret, model: next.model, mac: next.mac, enabled: next.enabled ? 1 : 0,
        auth_algorithms: encodeAuthAlgorithms(next.authAlgorithms), now,
      });
    },
    remove: (id) => remove.run(id).changes > 0,
    findByExt(ext) {
      const row = byExt.get(ext);
      return row && toRecord(row);
    },
    findById,
    findForAuth(ext) {
      const row = forAuth.get(ext);
      if (!row) return undefined;
      return { ext: row[0], secret: row[1], enabled: row[2] === 1, userId: row[3], userExt: row[4], authAlgorithms: decodeAuthAlgorithms(row[5]) };
    },
    listByUser: (userId) => byUser.all(userId).map(toRecord),
    list: () => all.all().map(toRecord),
    primaryOf(userId) {
      const row = primary.get(userId);
      return row && toRecord(row);
    },
    setPrimary: (deviceId, now) => setPrimary.immediate(deviceId, now),
    clearPrimary: (deviceId, now) => void unmark.run(now, deviceId),
  };
}
