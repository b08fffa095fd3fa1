/**
 * The registrar's view of its bindings (RFC 3261 §10.3). The running switch writes them;
 * the CLI reads them (`softswitch registrations`) from the same database file.
 */

export type BindingProtocol = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

export interface BindingFlow {
  protocol: BindingProtocol;
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
  connectionId?: number;
}

export interface BindingRecord {
  /** Device extension the binding belongs to. */
  aor: string;
  /** Contact URI as registered (without <>). */
  contact: string;
  /** +sip.instance (RFC 5626 §4.1). */
  instanceId?: string;
  /** reg-id (RFC 5626). */
  regId?: number;
  /** RFC 3261 §10.3 step 7 ordering. */
  callId: string;
  cseq: number;
  /** Epoch ms. */
  expiresAt: number;
  q?: number;
  /** RFC 3327 Path header values. */
  path: string[];
  flow: BindingFlow;
  userAgent?: string;
  /** Epoch ms. */
  updatedAt: number;
  /**
   * Other Contact header parameters as written (`;+sip.ice;unknownparam`), echoed in the
   * 200 OK (RFC 3840 feature tags, RFC 4475 §3.3.12).
   */
  contactParams?: string;
}

export type LiveBinding = BindingRecord & { userExt: string; userName: string };

export interface RegistrationStore {
  /** Unexpired bindings of `aor`: highest q first (absent q counts as 1.0), then most recently updated. */
  bindings(aor: string, now: number): BindingRecord[];
  /** Insert or replace the binding keyed by (aor, contact). Throws when no device has extension `aor`. */
  upsert(b: BindingRecord): void;
  remove(aor: string, contact: string): void;
  removeAll(aor: string): void;
  /** All unexpired bindings with their device and user, for `softswitch registrations`. */
  live(now: number): LiveBinding[];
  /** Deletes expired bindings; returns how many. */
  purgeExpired(now: number): number;
  /** Apply several changes atomically (one REGISTER may add and remove contacts). */
  transaction<T>(fn: () => T): T;
}
