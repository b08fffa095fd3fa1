/** Rows of the `users` table. No rules here: the directory (src/app/directory) owns them. */
import type { SqliteDatabase } from './database.js';
import type { UserRecord } from './records.js';

interface UserRow {
  id: number;
  ext: string;
  name: string;
  caller_id: string | null;
  mobile: string | null;
  created_at: number;
  updated_at: number;
}

export interface NewUser {
  ext: string;
  name: string;
  callerId: string | null;
  mobile: string | null;
}

export type UserChanges = Partial<NewUser>;

export interface UserRepository {
  insert(user: NewUser, now: number): UserRecord;
  update(id: number, changes: UserChanges, now: number): void;
  remove(id: number): boolean;
  findByExt(ext: string): UserRecord | undefined;
  findById(id: number): UserRecord | undefined;
  /** Every user, ordered by main extension. */
  list(): UserRecord[];
}

const COLUMNS = 'id, ext, name, caller_id, mobile, created_at, updated_at';

function toRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    ext: row.ext,
    name: row.name,
    callerId: row.caller_id,
    mobile: row.mobile,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createUserRepository(db: SqliteDatabase): UserRepository {
  const insert = db.prepare<[string, string, string | null, string | null, number, number]>(
    'INSERT INTO users (ext, name, caller_id, mobile, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare<{ id: number; ext: string; name: string; caller_id: string | null; mobile: string | null; now: number }>(
    'UPDATE users SET ext = @ext, name = @name, caller_id = @caller_id, mobile = @mobile, updated_at = @now WHERE id = @id',
  );
  const remove = db.prepare<[number]>('DELETE FROM users WHERE id = ?');
  const byExt = db.prepare<[string], UserRow>(`SELECT ${COLUMNS} FROM users WHERE ext = ?`);
  const byId = db.prepare<[number], UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = ?`);
  const all = db.prepare<[], UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY length(ext), ext`);

  const findById = (id: number): UserRecord | undefined => {
    const row = byId.get(id);
    return row && toRecord(row);
  };

  return {
    insert(user, now) {
      const { lastInsertRowid } = insert.run(user.ext, user.name, user.callerId, user.mobile, now, now);
      return findById(Number(lastInsertRowid))!;
    },
    update(id, changes, now) {
      const current = findById(id);
      if (!current) throw new Error(`no user with id ${id}`);
      const next = { ...current, ...changes };
      update.run({ id, ext: next.ext, name: next.name, caller_id: next.callerId, mobile: next.mobile, now });
    },
    remove: (id) => remove.run(id).changes > 0,
    findByExt(ext) {
      const row = byExt.get(ext);
      return row && toRecord(row);
    },
    findById,
    list: () => all.all().map(toRecord),
  };
}
