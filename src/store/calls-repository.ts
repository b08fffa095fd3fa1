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
