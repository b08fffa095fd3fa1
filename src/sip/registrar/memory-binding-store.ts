/**
 * BindingStore in memory, for tests and benchmarks. Transactions keep an undo log, so a
 * registrar that throws halfway leaves nothing behind, as with SQLite.
 */
import { compareBindings, type BindingRecord, type BindingStore } from './binding-store.js';

export class MemoryBindingStore implements BindingStore {
  private readonly byAor = new Map<string, Map<string, BindingRecord>>();
  private undo: Array<() => void> | undefined;

  bindings(aor: string, now: number): BindingRecord[] {
    const m = this.byAor.get(aor);
    if (!m) return [];
    const out: BindingRecord[] = [];
    for (const b of m.values()) if (b.expiresAt > now) out.push(copy(b));
    return out.sort(compareBindings);
  }

  upsert(b: BindingRecord): void {
    let m = this.byAor.get(b.aor);
    if (!m) {
      m = new Map();
      this.byAor.set(b.aor, m);
    }
    const before = m.get(b.contact);
    const map = m;
    this.undo?.push(() => (before ? map.set(b.contact, before) : map.delete(b.contact)));
    m.set(b.contact, copy(b));
  }

  remove(aor: string, contact: string): void {
    const m = this.byAor.get(aor);
    const before = m?.get(contact);
    if (!m || !before) return;
    this.undo?.push(() => m.set(contact, before));
    m.delete(contact);
  }

  removeAll(aor: string): void {
    const m = this.byAor.get(aor);
    if (!m) return;
    this.undo?.push(() => this.byAor.set(aor, m));
    this.byAor.delete(aor);
  }

  purgeExpired(now: number): number {
    let n = 0;
    for (const [aor, m] of this.byAor) {
      for (const [contact, b] of m) {
        if (b.expiresAt <= now) {
          this.remove(aor, contact);
          n++;
        }
      }
    }
    return n;
  }

  transaction<T>(fn: () => T): T {
    if (this.undo) return fn(); // nested: part of the outer one
    const log: Array<() => void> = [];
    this.undo = log;
    try {
      const result = fn();
      this.undo = undefined;
      return result;
    } catch (err) {
      this.undo = undefined;
      for (let i = log.length - 1; i >= 0; i--) log[i]!();
      throw err;
    }
  }

  /** Every binding, expired ones included, for tests. */
  all(): BindingRecord[] {
    const out: BindingRecord[] = [];
    for (const m of this.byAor.values()) for (const b of m.values()) out.push(copy(b));
    return out;
  }
}

function copy(b: BindingRecord): BindingRecord {
  return { ...b, path: b.path.slice(), flow: { ...b.flow } };
}
