/** Rows of the `rooms` table. No rules here: src/app/rooms owns them. */
import type { SqliteDatabase } from './database.js';
import type { RoomKind, RoomLanguage, RoomRecord } from './records.js';

interface RoomRow {
  id: number;
  number: string;
  name: string;
  kind: RoomKind;
  owner_user_id: number | null;
  pin: string | null;
  admin_pin: string | null;
  language: RoomLanguage | null;
  max_participants: number | null;
  created_at: number;
  updated_at: number;
}

export type NewRoom = Omit<RoomRecord, 'id' | 'createdAt' | 'updatedAt'>;

export type RoomChanges = Partial<NewRoom>;

export interface RoomRepository {
  insert(room: NewRoom, now: number): RoomRecord;
  update(id: number, changes: RoomChanges, now: number): void;
  remove(id: number): boolean;
  findByNumber(number: string): RoomRecord | undefined;
  findById(id: number): RoomRecord | undefined;
  /** Every room, in number order (shorter numbers first). */
  list(): RoomRecord[];
  /** The private rooms of a user, in number order. */
  listByOwner(userId: number): RoomRecord[];
}

const COLUMNS = 'id, number, name, kind, owner_user_id, pin, admin_pin, language, max_participants, created_at, updated_at';
const ORDER = 'length(number), number';

function toRecord(row: RoomRow): RoomRecord {
  return {
    id: row.id,
    number: row.number,
    name: row.name,
    kind: row.kind,
    ownerUserId: row.owner_user_id,
    pin: row.pin,
    adminPin: row.admin_pin,
    language: row.language,
    maxParticipants: row.max_participants,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

type RoomValues = Omit<RoomRow, 'id' | 'created_at' | 'updated_at'>;

function toValues(room: NewRoom): RoomValues {
  return {
    number: room.number,
    name: room.name,
    kind: room.kind,
    owner_user_id: room.ownerUserId,
    pin: room.pin,
    admin_pin: room.adminPin,
    language: room.language,
    max_participants: room.maxParticipants,
  };
}

export function createRoomRepository(db: SqliteDatabase): RoomRepository {
  const insert = db.prepare<RoomValues & { now: number }>(
    'INSERT INTO rooms (number, name, kind, owner_user_id, pin, admin_pin, language, max_participants, created_at, updated_at) ' +
      'VALUES (@number, @name, @kind, @owner_user_id, @pin, @admin_pin, @language, @max_participants, @now, @now)',
  );
  const update = db.prepare<RoomValues & { id: number; now: number }>(
    'UPDATE rooms SET number = @number, name = @name, kind = @kind, owner_user_id = @owner_user_id, pin = @pin, admin_pin = @admin_pin, ' +
      'language = @language, max_participants = @max_participants, updated_at = @now WHERE id = @id',
  );
  const remove = db.prepare<[number]>('DELETE FROM rooms WHERE id = ?');
  const byNumber = db.prepare<[string], RoomRow>(`SELECT ${COLUMNS} FROM rooms WHERE number = ?`);
  const byId = db.prepare<[number], RoomRow>(`SELECT ${COLUMNS} FROM rooms WHERE id = ?`);
  const byOwner = db.prepare<[number], RoomRow>(`SELECT ${COLUMNS} FROM rooms WHERE owner_user_id = ? ORDER BY ${ORDER}`);
  const all = db.prepare<[], RoomRow>(`SELECT ${COLUMNS} FROM rooms ORDER BY ${ORDER}`);

  const findById = (id: number): RoomRecord | undefined => {
    const row = byId.get(id);
    return row && toRecord(row);
  };

  return {
    insert(room, now) {
      const { lastInsertRowid } = insert.run({ ...toValues(room), now });
      return findById(Number(lastInsertRowid))!;
    },
    update(id, changes, now) {
      const current = findById(id);
      if (!current) throw new Error(`no room with id ${id}`);
      update.run({ ...toValues({ ...current, ...changes }), id, now });
    },
    remove: (id) => remove.run(id).changes > 0,
    findByNumber(number) {
      const row = byNumber.get(number);
      return row && toRecord(row);
    },
    findById,
    list: () => all.all().map(toRecord),
    listByOwner: (userId) => byOwner.all(userId).map(toRecord),
  };
}
