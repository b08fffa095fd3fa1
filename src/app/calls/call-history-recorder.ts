/**
 * Call history (issue 3): one row per call in SQLite through the store's
 * CallHistoryRepository - inserted when the call starts (disposition null while live),
 * updated when it is answered and when it ends, with the missed flag of the callee user.
 *
 * Missed (for the callee user): no answer (ring timeout) and cancelled by the caller. Busy
 * is not missed, nor a device that stopped ringing because another answered ("completed
 * elsewhere"), nor a call that failed before any phone rang.
 *
 * Written behind, like the registrations: changes queue in memory and `flush()` writes them
 * in one transaction (the switch flushes every 100 ms and at stop), so a call set-up does
 * not pay two or three commits. A crash loses at most one interval; the repository's
 * `closeDangling` closes rows a crash left live.
 */
import type { Logger } from '../../log/logger.js';
import type { CallHistoryRepository, CallParty, CallRecord } from '../../store/calls-repository.js';

type Change = Partial<Omit<CallRecord, 'id'>>;

type Pending = { op: 'insert'; record: CallRecord; parties: CallParty[] } | { op: 'update'; id: string; change: Change; missed: string[] };

export class CallHistoryRecorder {
  private queue: Pending[] = [];

  constructor(
    private readonly repo: CallHistoryRepository | undefined,
    private readonly log: Logger,
    /** Runs the flush in one transaction (store.transaction); default: as is. */
    private readonly transaction: <T>(fn: () => T) => T = (fn) => fn(),
  ) {}

  /** Changes not written yet. */
  get pending(): number {
    return this.queue.length;
  }

  started(record: CallRecord, parties: CallParty[]): void {
    this.queue.push({ op: 'insert', record, parties });
  }

  answered(id: string, at: number, device: string): void {
    this.queue.push({ op: 'update', id, change: { answeredAt: at, answeredBy: device }, missed: [] });
  }

  ended(id: string, change: Required<Pick<CallRecord, 'endedAt' | 'disposition' | 'endReason'>>, missedUsers: string[]): void {
    this.queue.push({ op: 'update', id, change, missed: missedUsers });
  }

  /** Writes what is queued; a failure is logged and the batch dropped (history must not stop calls). */
  flush(): void {
    if (this.queue.length === 0 || this.repo === undefined) {
      this.queue = [];
      return;
    }
    const batch = this.queue;
    this.queue = [];
    const repo = this.repo;
    try {
      this.transaction(() => {
        for (const p of batch) {
          if (p.op === 'insert') repo.insert(p.record, p.parties);
          else repo.update(p.id, p.change, p.missed);
        }
      });
    } catch (err) {
      this.log.error({ event: 'call.history_failed', changes: batch.length, err: (err as Error).message }, 'call history not written');
    }
  }
}
