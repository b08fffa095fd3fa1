/**
 * Numbered schema migrations, applied in order when the store opens. Each runs in its own
 * IMMEDIATE transaction together with its `schema_version` row, so a crash leaves the
 * database at the previous version, never half-migrated, and two processes opening the
 * file at once cannot both apply the same step. Append new steps (rooms, call history,
 * trunks); never edit one that has shipped.
 */
import type { SqliteDatabase } from './database.js';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'users, devices and registrar bindings',
    sql: `
      CREATE TABLE users (
        id          INTEGER PRIMARY KEY,
        ext         TEXT    NOT NULL UNIQUE,
        name        TEXT    NOT NULL,
        caller_id   TEXT,
        mobile      TEXT,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      );
      CREATE TABLE devices (
        id          INTEGER PRIMARY KEY,
        user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        ext         TEXT    NOT NULL UNIQUE,
        secret      TEXT    NOT NULL,
        model       TEXT,
        mac         TEXT,
        enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        is_primary  INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      );
      CREATE INDEX devices_by_user ON devices(user_id);
      -- At most one primary device per user.
      CREATE UNIQUE INDEX devices_one_primary_per_user ON devices(user_id) WHERE is_primary = 1;
      -- Bindings (RFC 3261 §10.3) keyed by address-of-record and contact; they go away with
      -- their device (and so with their user).
      CREATE TABLE registrations (
        aor             TEXT    NOT NULL REFERENCES devices(ext) ON DELETE CASCADE ON UPDATE CASCADE,
        contact         TEXT    NOT NULL,
        instance_id     TEXT,
        reg_id          INTEGER,
        call_id         TEXT    NOT NULL,
        cseq            INTEGER NOT NULL,
        expires_at      INTEGER NOT NULL,
        q               REAL,
        path            TEXT    NOT NULL DEFAULT '[]',
        protocol        TEXT    NOT NULL CHECK (protocol IN ('udp', 'tcp', 'tls', 'ws', 'wss')),
        remote_address  TEXT    NOT NULL,
        remote_port     INTEGER NOT NULL,
        local_address   TEXT    NOT NULL,
        local_port      INTEGER NOT NULL,
        connection_id   INTEGER,
        user_agent      TEXT,
        updated_at      INTEGER NOT NULL,
        PRIMARY KEY (aor, contact)
      );
      CREATE INDEX registrations_by_expiry ON registrations(expires_at);
    `,
  },
  {
    version: 2,
    description: 'per-device digest algorithms; contact parameters of bindings',
    sql: `
      -- Digest algorithms offered to this device, comma-separated in challenge order
      -- ('MD5', 'SHA-256,MD5'); NULL = the configured default (auth.algorithms). For phones
      -- that give up when any challenge names SHA-256 (RFC 8760, RFC 7616 §3.7).
      ALTER TABLE devices ADD COLUMN auth_algorithms TEXT;
      -- Contact header parameters the registrar does not interpret, as written
      -- (';+sip.ice;unknownparam'), echoed in the 200 (RFC 3840, RFC 4475 §3.3.12).
      ALTER TABLE registrations ADD COLUMN contact_params TEXT;
    `,
  },
  {
    version: 3,
    description: 'call history: calls and the users involved in each',
    sql: `
      -- One row per call, inserted when it starts; disposition NULL while live (and after a
      -- crash, until the next start closes it as 'failed', 'switch restarted').
      CREATE TABLE calls (
        id             TEXT    PRIMARY KEY,
        caller_number  TEXT    NOT NULL,
        caller_name    TEXT,
        caller_device  TEXT,
        dialled        TEXT    NOT NULL,
        callee_user    TEXT,
        answered_by    TEXT,
        started_at     INTEGER NOT NULL,
        answered_at    INTEGER,
        ended_at       INTEGER,
        disposition    TEXT CHECK (disposition IN ('answered', 'busy', 'no-answer', 'cancelled', 'failed')),
        end_reason     TEXT
      );
      -- history, newest first
      CREATE INDEX calls_by_start ON calls(started_at);
      -- closing the rows a crash left live: only those rows are in this index
      CREATE INDEX calls_live ON calls(ended_at) WHERE ended_at IS NULL;
      -- Users involved, by extension at call time (no foreign key: history outlives users).
      -- started_at is the call's, copied so that one user's history is one index range.
      CREATE TABLE call_parties (
        call_id     TEXT    NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
        user_ext    TEXT    NOT NULL,
        role        TEXT    NOT NULL CHECK (role IN ('caller', 'callee')),
        missed      INTEGER NOT NULL DEFAULT 0 CHECK (missed IN (0, 1)),
        started_at  INTEGER NOT NULL,
        PRIMARY KEY (call_id, user_ext, role)
      ) WITHOUT ROWID;
      CREATE INDEX call_parties_by_user ON call_parties(user_ext, started_at);
      CREATE INDEX call_parties_missed ON call_parties(user_ext, started_at) WHERE missed = 1;
    `,
  },
  {
    version: 4,
    description: 'conference rooms and the conference numbering ranges',
    sql: `
      -- Numbers reserved for conference rooms: each range is two digit strings of the same
      -- length, compared as strings (equal length makes that numeric order). Replaced as a
      -- whole by conference-range set; overlaps and orphaned rooms are refused by the rules
      -- (src/app/rooms), which see all ranges at once.
      CREATE TABLE conference_ranges (
        range_from  TEXT NOT NULL PRIMARY KEY,
        range_to    TEXT NOT NULL,
        CHECK (length(range_from) = length(range_to) AND range_from <= range_to)
      ) WITHOUT ROWID;
      -- Conference rooms. A private room belongs to a user and goes with it (the directory asks
      -- for --force first); its owner is its administrator, so it has no admin PIN.
      CREATE TABLE rooms (
        id                INTEGER PRIMARY KEY,
        number            TEXT    NOT NULL UNIQUE,
        name              TEXT    NOT NULL,
        kind              TEXT    NOT NULL CHECK (kind IN ('public', 'private')),
        owner_user_id     INTEGER REFERENCES users(id) ON DELETE CASCADE,
        pin               TEXT,
        admin_pin         TEXT,
        language          TEXT    CHECK (language IN ('en', 'it', 'ru')),
        max_participants  INTEGER CHECK (max_participants IS NULL OR max_participants >= 1),
        created_at        INTEGER NOT NULL,
        updated_at        INTEGER NOT NULL,
        CHECK ((kind = 'private') = (owner_user_id IS NOT NULL)),
        CHECK (kind = 'public' OR admin_pin IS NULL),
        CHECK (admin_pin IS NULL OR pin IS NULL OR admin_pin <> pin)
      );
      CREATE INDEX rooms_by_owner ON rooms(owner_user_id) WHERE owner_user_id IS NOT NULL;
    `,
  },
];

/** The newest schema this code knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Applies every migration newer than the database; returns the resulting version. */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[] = MIGRATIONS, now: () => number = Date.now): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const current = db.prepare<[], { v: number | null }>('SELECT max(version) AS v FROM schema_version');
  const record = db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)');
  const known = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  const found = current.get()?.v ?? 0;
  if (found > known) {
    throw new Error(`database schema version ${found} is newer than this softswitch supports (${known}); upgrade softswitch`);
  }
  for (const m of migrations) {
    if (m.version <= found) continue; // no write lock at all when the schema is current
    const step = db.transaction(() => {
      // Re-read inside the write lock: another process may have applied it meanwhile.
      if ((current.get()?.v ?? 0) >= m.version) return;
      db.exec(m.sql);
      record.run(m.version, now());
    });
    step.immediate();
  }
  return current.get()?.v ?? 0;
}
