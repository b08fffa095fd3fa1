/**
 * Opens the one SQLite file that the running switch and the operator CLI share.
 *
 * WAL lets the CLI write while the switch reads (readers never block the writer and see
 * every committed change on their next statement); `busy_timeout` makes a second writer
 * wait instead of failing; `synchronous=NORMAL` in WAL mode keeps every committed
 * transaction across a process crash (only a power loss may drop the last ones).
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type SqliteDatabase = Database.Database;

export const DATABASE_FILE = 'softswitch.db';
const BUSY_TIMEOUT_MS = 5000;

/** Creates `dataDir` (0700) and the database file (0600) when missing, then opens it. */
export function openDatabase(dataDir: string): SqliteDatabase {
  ensurePrivateDirectory(dataDir);
  const path = join(dataDir, DATABASE_FILE);
  ensurePrivateFile(path);
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

function ensurePrivateDirectory(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new Error(`data directory ${dir} is not a directory`);
    return;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700); // the umask may have narrowed or widened what mkdir applied
}

/** SQLite gives the -wal and -shm files the mode of the main file, so 0600 covers all three. */
function ensurePrivateFile(path: string): void {
  if (existsSync(path)) return;
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}
