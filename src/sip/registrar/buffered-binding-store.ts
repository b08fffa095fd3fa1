/**
 * A write-behind BindingStore: bindings are read from and changed in memory at once, and the
 * changes reach the backing store (the SQLite RegistrationStore) in batches when the shell
 * calls `flush()` - on a short timer (e.g. every 100 ms), when `pending` grows large, and at
 * shutdown. One SQLite commit per REGISTER costs about 45 us on the reference machine, more
 * than the whole per-REGISTER budget; batched, the write costs a few us per binding.
 *
 * What it trades: a crash loses the changes of the last flush interval (phones re-register
 * within their own interval), and the CLI sees a change up to one interval late. An AOR's
 * bindings are read from the backing store once, on first use; when something else changes
 * them in the database (an operator removing a device), call `invalidate(aor)`.
 *
 * Pending changes form a dirty set, like a write-back cache: a binding changed several times
 * between two flushes (a phone refreshing quickly, a re-registration after a 423) is written
 * once, in its latest state. A change moves to the end of the queue when it is made again,
 * so the order between a wildcard removal (`removeAll`) and later changes of the same AOR
 * is kept.
 *
 * A change the backing store refuses at flush time (its device was deleted meanwhile) is
 * dropped alone and reported through `onError`: each change is one statement of the backing
 * store (BindingStore's upsert, remove and removeAll are each atomic), so a refused one
 * leaves the others of the batch in place without a savepoint per change.
 */
import type { BindingRecord, BindingStore } from './binding-store.js';
import { MemoryBindingStore } from './memory-binding-store.js';

type Change =
  | { op: 'upsert'; binding: BindingRecord }
  | { op: 'remove'; aor: string; contact: string }
  | { op: 'removeAll'; aor: string };

export class BufferedBindingStore implements BindingStore {
  private readonly cache = new MemoryBindingStore();
  private readonly loaded = new Set<string>();
  /** Latest pending change per binding (`aor` + contact) or per wildcard removal, in order. */
  private queue = new Map<string, Change>();
  /** Changes made inside the running transaction, queued only when it commits. */
  private staged: Change[] | undefined;
  /** AORs first loaded inside the running transaction (its rollback unloads them). */
  private loadedInTransaction: string[] = [];

  constructor(
    private readonly backing: BindingStore,
    private readonly onError: (err: unknown, change: Change) => void = () => {},
  ) {}

  /** Changes not yet written to the backing store. */
  get pending(): number {
    return this.queue.size;
  }

  bindings(aor: string, now: number): BindingRecord[] {
    this.load(aor, now);
    return this.cache.bindings(aor, now);
  }

  upsert(b: BindingRecord): void {
    this.load(b.aor, b.updatedAt);
    this.cache.upsert(b);
    this.record({ op: 'upsert', binding: b });
  }

  remove(aor: string, contact: string): void {
    this.cache.remove(aor, contact);
    this.record({ op: 'remove', aor, contact });
  }

  removeAll(aor: string): void {
    this.load(aor, 0);
    this.cache.removeAll(aor);
    this.record({ op: 'removeAll', aor });
  }

  purgeExpired(now: number): number {
    this.cache.purgeExpired(now);
    return this.backing.purgeExpired(now);
  }

  transaction<T>(fn: () => T): T {
    if (this.staged) return fn();
    this.staged = [];
    this.loadedInTransaction = [];
    try {
      const result = this.cache.transaction(fn);
      for (const c of this.staged) this.enqueue(c);
      return result;
    } catch (err) {
      for (const aor of this.loadedInTransaction) this.loaded.delete(aor);
      throw err;
    } finally {
      this.staged = undefined;
      this.loadedInTransaction = [];
    }
  }

  /** Writes every queued change to the backing store in one transaction; returns how many. */
  flush(): number {
    if (this.queue.size === 0) return 0;
    const changes = [...this.queue.values()];
    this.queue = new Map();
    this.backing.transaction(() => {
      for (const c of changes) {
        try {
          apply(this.backing, c);
        } catch (err) {
          this.onError(err, c);
        }
      }
    });
    return changes.length;
  }

  /** Forgets the cached bindings of `aor` (or of every AOR) after flushing: the next read reloads them. */
  invalidate(aor?: string): void {
    this.flush();
    if (aor === undefined) {
      for (const a of this.loaded) this.cache.removeAll(a);
      this.loaded.clear();
    } else {
      this.cache.removeAll(aor);
      this.loaded.delete(aor);
    }
  }

  private load(aor: string, now: number): void {
    if (this.loaded.has(aor)) return;
    this.loaded.add(aor);
    if (this.staged) this.loadedInTransaction.push(aor);
    const rows = this.backing.bindings(aor, now);
    const undoable = this.staged;
    this.staged = undefined; // loading is not a change to queue
    try {
      for (const b of rows) this.cache.upsert(b);
    } finally {
      this.staged = undoable;
    }
  }

  private record(c: Change): void {
    if (this.staged) this.staged.push(c);
    else this.enqueue(c);
  }

  /** Latest change wins per key, and moves to the end so it is applied after what came before it. */
  private enqueue(c: Change): void {
    const key =
      c.op === 'removeAll' ? `*\n${c.aor}` : c.op === 'upsert' ? `${c.binding.aor}\n${c.binding.contact}` : `${c.aor}\n${c.contact}`;
    this.queue.delete(key);
    this.queue.set(key, c);
  }
}

function apply(store: BindingStore, c: Change): void {
  if (c.op === 'upsert') store.upsert(c.binding);
  else if (c.op === 'remove') store.remove(c.aor, c.contact);
  else store.removeAll(c.aor);
}
