/**
 * Call history: one `calls` row per call, inserted when the call starts (disposition NULL
 * while it is live) and updated at answer and end, plus one `call_parties` row per user
 * involved, with that user's role and whether it was a missed call for them.
 *
 * Parties are kept by extension as it was at call time (no foreign key to users): history
 * outlives a removed or renumbered user.
 */
import type { SqliteDatabase } from './database.js';

export type CallDisposition = 'answered' | 'busy' | 'no-answer' | 'cancelled' | 'failed';

export interface CallRecord {
  /** Our call id (uuid), also shown by `softswitch calls`. */
  id: string;
  callerNumber: string;
  callerName: string | null;
  /** Device extension that called (null for an external caller). */
  callerDevice: string | null;
  /** The number dialled. */
  dialled: string;
  /** Main extension of the user called (null when the number is unknown). */
  calleeUser: string | null;
  /** Device extension that answered. */
  answeredBy: string | null;
  /** Epoch ms. */
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  /** null while the call is live. */
  disposition: CallDisposition | null;
  /** 'caller hung up', 'callee hung up', 'media timeout', 'operator', '486 Busy Here', 'switch restarted', ... */
  endReason: string | null;
}

/**
 * A user involved in a call. Missed (for a callee user): nobody of the user answered and
 * the call was not busy: no answer, or cancelled by the caller. Busy is not missed, and a
 * fork cancelled because another device of the user answered ("completed elsewhere") is
 * not missed either.
 */
export interface CallParty {
  callId: string;
  userExt: string;
  role: 'caller' | 'callee';
  missed: boolean;
}

export type CallHistoryEntry = CallRecord & { parties: CallParty[] };

export interface CallHistoryQuery {
  /** Calls of this user (main extension at call time), as caller or callee. */
  userExt?: string;
  /** Only calls missed (by `userExt` when given, else by anyone). */
  missedOnly?: boolean;
  /** At most this many, newest first (default 50, at most 10,000). */
  limit?: number;
  /** Only calls started before this epoch ms (exclusive): the next page. */
  before?: number;
}

export interface CallHistoryRepository {
  /** The row of a call that starts, with its parties, in one transaction. */
  insert(r: CallRecord, parties: CallParty[]): void;
  /**
   * Changes some fields of a call (answer, end) and marks `missedUsers` as having missed it
   * (callee parties; added when not listed at insert). False when there is no such call.
   */
  update(id: string, change: Partial<Omit<CallRecord, 'id'>>, missedUsers?: string[]): boolean;
  /** Newest first (start time, then insertion order). */
  list(opts?: CallHistoryQuery): CallHistoryEntry[];
  get(id: string): CallHistoryEntry | undefined;
  /**
   * Ends the rows a crashed switch left live (endedAt null): disposition 'failed', endReason
   * 'switch restarted', endedAt `now`. Call it once at start, after this process owns the data
   * directory (ControlServer.start()), before taking calls. Returns how many it closed.
   */
  closeDangling(now: number): number;
}

export const DEFAULT_HISTORY_LIMIT = 50;
export const MAX_HISTORY_LIMIT = 10_000;
export const DANGLING_END_REASON = 'switch restarted';

interface CallRow {
  id: string;
  caller_number: string;
  caller_name: string | null;
  caller_device: string | null;
  dialled: string;
  callee_user: string | null;
  answered_by: string | null;
  started_at: number;
  answered_at: number | null;
  ended_at: number | null;
  disposition: CallDisposition | null;
  end_reason: string | null;
}

interface PartyRow {
  call_id: string;
  user_ext: string;
  role: 'caller' | 'callee';
  missed: 0 | 1;
}

const COLUMNS =
  'c.id, c.caller_number, c.caller_name, c.caller_device, c.dialled, c.callee_user, c.answered_by, ' +
  'c.started_at, c.answered_at, c.ended_at, c.disposition, c.end_reason';
/** Far enough in the future to stand for "no upper bound" in an index range. */
const NO_BOUND = Number.MAX_SAFE_INTEGER;

function toRecord(row: CallRow): CallRecord {
  return {
    id: row.id,
    callerNumber: row.caller_number,
    callerName: row.caller_name,
    callerDevice: row.caller_device,
    dialled: row.dialled,
    calleeUser: row.callee_user,
    answeredBy: row.answered_by,
    startedAt: row.started_at,
    answeredAt: row.answered_at,
    endedAt: row.ended_at,
    disposition: row.disposition,
    endReason: row.end_reason,
  };
}

function toRow(r: CallRecord): CallRow {
  return {
    id: r.id,
    caller_number: r.callerNumber,
    caller_name: r.callerName,
    caller_device: r.callerDevice,
    dialled: r.dialled,
    callee_user: r.calleeUser,
    answered_by: r.answeredBy,
    started_at: r.startedAt,
    answered_at: r.answeredAt,
    ended_at: r.endedAt,
    disposition: r.disposition,
    end_reason: r.endReason,
  };
}

const toParty = (row: PartyRow): CallParty => ({ callId: row.call_id, userExt: row.user_ext, role: row.role, missed: row.missed === 1 });

function checkedLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_HISTORY_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT) {
    throw new RangeError(`history limit must be an integer 1-${MAX_HISTORY_LIMIT}, got ${limit}`);
  }
  return limit;
}

type ListParams = { user: string; before: number; limit: number };

/** The four list shapes, each an index range scan in start-time order (see migration 3). */
function listStatements(db: SqliteDatabase) {
  // A user who is both caller and callee of one call (calling their own other phone) has two
  // party rows; the callee row is skipped then so the call is listed once.
  const notTwice = `(p.role = 'caller' OR NOT EXISTS (SELECT 1 FROM call_parties q
    WHERE q.call_id = p.call_id AND q.user_ext = p.user_ext AND q.role = 'caller'))`;
  // Ordered by the column the range is scanned on, so SQLite walks the index backwards and
  // stops after `limit` rows instead of sorting the user's whole history.
  const order = (by: 'c' | 'p') => `ORDER BY ${by}.started_at DESC, c.rowid DESC LIMIT @limit`;
  return {
    all: db.prepare<Omit<ListParams, 'user'>, CallRow>(`SELECT ${COLUMNS} FROM calls c WHERE c.started_at < @before ${order('c')}`),
    missed: db.prepare<Omit<ListParams, 'user'>, CallRow>(`SELECT ${COLUMNS} FROM calls c
      WHERE c.started_at < @before AND EXISTS (SELECT 1 FROM call_parties p WHERE p.call_id = c.id AND p.missed = 1) ${order('c')}`),
    byUser: db.prepare<ListParams, CallRow>(`SELECT ${COLUMNS} FROM call_parties p JOIN calls c ON c.id = p.call_id
      WHERE p.user_ext = @user AND p.started_at < @before AND ${notTwice} ${order('p')}`),
    missedByUser: db.prepare<ListParams, CallRow>(`SELECT ${COLUMNS} FROM call_parties p JOIN calls c ON c.id = p.call_id
      WHERE p.user_ext = @user AND p.missed = 1 AND p.started_at < @before ${order('p')}`),
  };
}

export function createCallHistoryRepository(db: SqliteDatabase): CallHistoryRepository {
  const insertCall = db.prepare<CallRow>(`INSERT INTO calls (id, caller_number, caller_name, caller_device, dialled, callee_user,
      answered_by, started_at, answered_at, ended_at, disposition, end_reason)
    VALUES (@id, @caller_number, @caller_name, @caller_device, @dialled, @callee_user,
      @answered_by, @started_at, @answered_at, @ended_at, @disposition, @end_reason)`);
  const insertParty = db.prepare<[string, string, string, number, number]>(
    'INSERT OR IGNORE INTO call_parties (call_id, user_ext, role, missed, started_at) VALUES (?, ?, ?, ?, ?)',
  );
  const markMissed = db.prepare<[string, string, number]>(`INSERT INTO call_parties (call_id, user_ext, role, missed, started_at)
    VALUES (?, ?, 'callee', 1, ?) ON CONFLICT (call_id, user_ext, role) DO UPDATE SET missed = 1`);
  const updateCall = db.prepare<CallRow>(`UPDATE calls SET caller_number = @caller_number, caller_name = @caller_name,
      caller_device = @caller_device, dialled = @dialled, callee_user = @callee_user, answered_by = @answered_by,
      started_at = @started_at, answered_at = @answered_at, ended_at = @ended_at, disposition = @disposition,
      end_reason = @end_reason WHERE id = @id`);
  const moveParties = db.prepare<[number, string]>('UPDATE call_parties SET started_at = ? WHERE call_id = ?');
  const byId = db.prepare<[string], CallRow>(`SELECT ${COLUMNS} FROM calls c WHERE c.id = ?`);
  const partiesOf = db.prepare<[string], PartyRow>(
    `SELECT call_id, user_ext, role, missed FROM call_parties WHERE call_id IN (SELECT value FROM json_each(?))
     ORDER BY call_id, role DESC, user_ext`,
  );
  const closeDangling = db.prepare<[number, string]>(
    "UPDATE calls SET ended_at = ?, disposition = 'failed', end_reason = ? WHERE ended_at IS NULL",
  );
  const lists = listStatements(db);

  const withParties = (rows: CallRow[]): CallHistoryEntry[] => {
    if (rows.length === 0) return [];
    const parties = new Map<string, CallParty[]>();
    for (const row of partiesOf.all(JSON.stringify(rows.map((r) => r.id)))) {
      const list = parties.get(row.call_id) ?? [];
      list.push(toParty(row));
      parties.set(row.call_id, list);
    }
    return rows.map((row) => ({ ...toRecord(row), parties: parties.get(row.id) ?? [] }));
  };

  const insert = db.transaction((r: CallRecord, parties: CallParty[]) => {
    insertCall.run(toRow(r));
    for (const p of parties) {
      if (p.callId !== r.id) throw new Error(`party ${p.userExt} belongs to call ${p.callId}, not ${r.id}`);
      insertParty.run(r.id, p.userExt, p.role, p.missed ? 1 : 0, r.startedAt);
    }
  });

  const update = db.transaction((id: string, change: Partial<Omit<CallRecord, 'id'>>, missedUsers: string[]): boolean => {
    const row = byId.get(id);
    if (!row) return false;
    const next: CallRecord = { ...toRecord(row), ...change, id };
    updateCall.run(toRow(next));
    if (next.startedAt !== row.started_at) moveParties.run(next.startedAt, id);
    for (const user of missedUsers) markMissed.run(id, user, next.startedAt);
    return true;
  });

  return {
    insert: (r, parties) => insert.immediate(r, parties),
    update: (id, change, missedUsers = []) => update.immediate(id, change, missedUsers),
    list(opts = {}) {
      const params = { before: opts.before ?? NO_BOUND, limit: checkedLimit(opts.limit) };
      if (opts.userExt !== undefined) {
        const statement = opts.missedOnly ? lists.missedByUser : lists.byUser;
        return withParties(statement.all({ ...params, user: opts.userExt }));
      }
      return withParties((opts.missedOnly ? lists.missed : lists.all).all(params));
    },
    get(id) {
      const row = byId.get(id);
      return row && withParties([row])[0];
    },
    closeDangling: (now) => closeDangling.run(now, DANGLING_END_REASON).changes,
  };
}
