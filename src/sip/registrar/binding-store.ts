/**
 * Where the registrar keeps its bindings (RFC 3261 §10.3: the location service). Same shape
 * as the store's RegistrationStore (src/store/registration-store.ts), so the switch passes
 * `store.registrations` straight in; src/sip does not import src/store, so the shape is
 * repeated here. MemoryBindingStore (memory-binding-store.ts) serves the tests.
 */
import type { Flow } from '../transport/flow.js';

export interface BindingRecord {
  /** Address-of-record: the device extension (the digest username). */
  aor: string;
  /** Contact URI as registered, without <>; with `aor` the key of the binding. */
  contact: string;
  /** +sip.instance value without quotes, e.g. `<urn:uuid:...>` (RFC 5626 §4.1). */
  instanceId?: string;
  /** reg-id (RFC 5626 §4.2). */
  regId?: number;
  /** Call-ID and CSeq of the REGISTER that last wrote the binding (RFC 3261 §10.3 step 7). */
  callId: string;
  cseq: number;
  /** Epoch ms. */
  expiresAt: number;
  q?: number;
  /** Path header values, in order (RFC 3327). */
  path: string[];
  /** Where the REGISTER really came from: transport, source address and port, connection. */
  flow: Flow;
  userAgent?: string;
  /** Epoch ms. */
  updatedAt: number;
  /**
   * Other Contact header parameters as written (`;+sip.ice;unknownparam`), echoed in the
   * 200 OK (RFC 3840 feature tags, RFC 4475 §3.3.12). Absent when there are none; the SQLite
   * store keeps it in `registrations.contact_params`.
   */
  contactParams?: string;
}

export interface BindingStore {
  /** Unexpired bindings of `aor`: highest q first (absent q counts as 1.0), then most recently updated. */
  bindings(aor: string, now: number): BindingRecord[];
  /**
   * Insert or replace the binding keyed by (aor, contact). This, remove and removeAll are each
   * atomic on their own: one that throws has changed nothing (one SQL statement each).
   */
  upsert(b: BindingRecord): void;
  remove(aor: string, contact: string): void;
  removeAll(aor: string): void;
  /** Deletes expired bindings; returns how many. */
  purgeExpired(now: number): number;
  /** Runs `fn` atomically: every change it made is undone when it throws. */
  transaction<T>(fn: () => T): T;
}

/** The store's ordering: q descending (absent = 1.0), then most recently updated first. */
export function compareBindings(a: BindingRecord, b: BindingRecord): number {
  return (b.q ?? 1) - (a.q ?? 1) || b.updatedAt - a.updatedAt;
}
