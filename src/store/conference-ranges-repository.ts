/**
 * Rows of the `conference_ranges` table: the numbers reserved for conference rooms. The set
 * is replaced as a whole; the rules (no overlap, no room left outside) are src/app/rooms'.
 */
import type { SqliteDatabase } from './database.js';
import type { ConferenceRange } from './records.js';

export interface ConferenceRangeRepository {
  /** Replaces every range by `ranges` (one transaction: all or nothing). */
  set(ranges: readonly ConferenceRange[]): void;
  /** Every range, in number order (shorter numbers first). */
  list(): ConferenceRange[];
}

export function createConferenceRangeRepository(db: SqliteDatabase): ConferenceRangeRepository {
  const clear = db.prepare('DELETE FROM conference_ranges');
  const insert = db.prepare<[string, string]>('INSERT INTO conference_ranges (range_from, range_to) VALUES (?, ?)');
  const all = db.prepare<[], ConferenceRange>('SELECT range_from AS "from", range_to AS "to" FROM conference_ranges ORDER BY length(range_from), range_from');
  const replace = db.transaction((ranges: readonly ConferenceRange[]) => {
    clear.run();
    for (const r of ranges) insert.run(r.from, r.to);
  });
  return {
    set: (ranges) => replace.immediate(ranges),
    list: () => all.all(),
  };
}
