/**
 * What a command runs with: I/O, replaceable dependencies (tests swap the switch, the
 * signals and the clock), and `withDirectory` to open the store of the configured data
 * directory for the duration of one command.
 */
import { Directory } from '../app/directory/directory.js';
import { startSwitch } from '../app/switch.js';
import type { Config } from '../config/config.js';
import { createLogger } from '../log/logger.js';
import { openStore, type Store } from '../store/store.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { loadCliConfig } from './config-location.js';

export interface CliDeps {
  startSwitch: typeof startSwitch;
  createLogger: typeof createLogger;
  /** Resolves with the name of the signal that asks the switch to stop. */
  waitForStopSignal(): Promise<string>;
  /** Epoch ms, for "expires in". */
  now(): number;
}

export interface CliContext {
  io: CliIo;
  deps: CliDeps;
}

export interface DirectorySession {
  config: Config;
  store: Store;
  directory: Directory;
  /** Live registrations of a device now. */
  contactsOf(ext: string): number;
}

const STORE_FAILURES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  SQLITE_CANTOPEN: 'cannot open softswitch.db',
  SQLITE_NOTADB: 'softswitch.db is not a SQLite database',
  SQLITE_CORRUPT: 'softswitch.db is corrupt',
  SQLITE_READONLY: 'softswitch.db is read-only',
};

export function openDataStore(config: Config): Store {
  try {
    return openStore(config.data);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const why = (e.code && STORE_FAILURES[e.code]) ?? e.message ?? String(err);
    throw new CliError(`cannot use the data directory ${config.data}: ${why}`);
  }
}

export async function withDirectory<T>(configOption: string | undefined, ctx: CliContext, fn: (s: DirectorySession) => T | Promise<T>): Promise<T> {
  const config = loadCliConfig(configOption, ctx.io);
  const store = openDataStore(config);
  try {
    const now = ctx.deps.now();
    const directory = new Directory(store, { now: ctx.deps.now });
    return await fn({ config, store, directory, contactsOf: (ext) => store.registrations.bindings(ext, now).length });
  } finally {
    store.close();
  }
}
