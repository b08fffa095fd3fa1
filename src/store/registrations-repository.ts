/** SQLite implementation of RegistrationStore: prepared statements, created once. */
import type { SqliteDatabase } from './database.js';
import type { BindingProtocol, BindingRecord, LiveBinding, RegistrationStore } from './registration-store.js';

interface BindingRow {
  aor: string;
  contact: string;
  instance_id: string | null;
  reg_id: number | null;
  call_id: string;
  cseq: number;
  expires_at: number;
  q: number | null;
  path: string;
  protocol: BindingProtocol;
  remote_address: string;
  remote_port: number;
  local_address: string;
  local_port: number;
  connection_id: number | null;
  user_agent: string | null;
  contact_params: string | null;
  updated_at: number;
}

type LiveRow = BindingRow & { user_ext: string; user_name: string };

const COLUMNS =
  'r.aor, r.contact, r.instance_id, r.reg_id, r.call_id, r.cseq, r.expires_at, r.q, r.path, r.protocol, ' +
  'r.remote_address, r.remote_port, r.local_address, r.local_port, r.connection_id, r.user_agent, r.contact_params, r.updated_at';
const ORDER = 'coalesce(r.q, 1.0) DESC, r.updated_at DESC';

function toRecord(row: BindingRow): BindingRecord {
  const b: BindingRecord = {
    aor: row.aor,
    contact: row.contact,
    callId: row.call_id,
    cseq: row.cseq,
    expiresAt: row.expires_at,
    path: JSON.parse(row.path) as string[],
    flow: {
      protocol: row.protocol,
      remoteAddress: row.remote_address,
      remotePort: row.remote_port,
      localAddress: row.local_address,
      localPort: row.local_port,
    },
    updatedAt: row.updated_at,
  };
  if (row.instance_id !== null) b.instanceId = row.instance_id;
  if (row.reg_id !== null) b.regId = row.reg_id;
  if (row.q !== null) b.q = row.q;
  if (row.connection_id !== null) b.flow.connectionId = row.connection_id;
  if (row.user_agent !== null) b.userAgent = row.user_agent;
  if (row.contact_params !== null) b.contactParams = row.contact_params;
  return b;
}

/** The upsert's parameters, in the order of its column list (positional: no row object to name them). */
type UpsertParams = [
  aor: string, contact: string, instanceId: string | null, regId: number | null, callId: string, cseq: number,
  expiresAt: number, q: number | null, path: string, protocol: BindingProtocol, remoteAddress: string,
  remotePort: number, localAddress: string, localPort: number, connectionId: number | null,
  userAgent: string | null, contactParams: string | null, updatedAt: number,
];

/** An empty Path (nearly every binding) without JSON.stringify. */
function pathColumn(path: string[]): string {
  return path.length === 0 ? '[]' : JSON.stringify(path);
}

function isForeignKeyFailure(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

export function createRegistrationRepository(db: SqliteDatabase): RegistrationStore {
  const upsert = db.prepare<UpsertParams>(`
    INSERT INTO registrations (aor, contact, instance_id, reg_id, call_id, cseq, expires_at, q, path, protocol,
      remote_address, remote_port, local_address, local_port, connection_id, user_agent, contact_params, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (aor, contact) DO UPDATE SET
      instance_id = excluded.instance_id, reg_id = excluded.reg_id, call_id = excluded.call_id, cseq = excluded.cseq,
      expires_at = excluded.expires_at, q = excluded.q, path = excluded.path, protocol = excluded.protocol,
      remote_address = excluded.remote_address, remote_port = excluded.remote_port, local_address = excluded.local_address,
      local_port = excluded.local_port, connection_id = excluded.connection_id, user_agent = excluded.user_agent,
      contact_params = excluded.contact_params, updated_at = excluded.updated_at`);
  const bindings = db.prepare<[string, number], BindingRow>(
    `SELECT ${COLUMNS} FROM registrations r WHERE r.aor = ? AND r.expires_at > ? ORDER BY ${ORDER}`,
  );
  const remove = db.prepare<[string, string]>('DELETE FROM registrations WHERE aor = ? AND contact = ?');
  const removeAll = db.prepare<[string]>('DELETE FROM registrations WHERE aor = ?');
  const live = db.prepare<[number], LiveRow>(`
    SELECT ${COLUMNS}, u.ext AS user_ext, u.name AS user_name
    FROM registrations r JOIN devices d ON d.ext = r.aor JOIN users u ON u.id = d.user_id
    WHERE r.expires_at > ?
    ORDER BY length(u.ext), u.ext, length(r.aor), r.aor, ${ORDER}`);
  const purge = db.prepare<[number]>('DELETE FROM registrations WHERE expires_at <= ?');
  // One wrapper created once; `.immediate` takes the write lock up front so a transaction
  // that reads then writes never fails with SQLITE_BUSY_SNAPSHOT.
  const runInTransaction = db.transaction((fn: () => unknown) => fn());

  return {
    bindings: (aor, now) => bindings.all(aor, now).map(toRecord),
    upsert(b) {
      try {
        const f = b.flow;
        upsert.run(
          b.aor, b.contact, b.instanceId ?? null, b.regId ?? null, b.callId, b.cseq, b.expiresAt, b.q ?? null, pathColumn(b.path),
          f.protocol, f.remoteAddress, f.remotePort, f.localAddress, f.localPort, f.connectionId ?? null, b.userAgent ?? null,
          b.contactParams ?? null, b.updatedAt,
        );
      } catch (err) {
        if (isForeignKeyFailure(err)) throw new Error(`no device with extension ${b.aor}`);
        throw err;
      }
    },
    remove: (aor, contact) => void remove.run(aor, contact),
    removeAll: (aor) => void removeAll.run(aor),
    live: (now) =>
      live.all(now).map((row): LiveBinding => ({ ...toRecord(row), userExt: row.user_ext, userName: row.user_name })),
    purgeExpired: (now) => purge.run(now).changes,
    transaction: <T>(fn: () => T): T => runInTransaction.immediate(fn) as T,
  };
}
