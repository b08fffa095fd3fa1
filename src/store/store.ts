/**
 * The embedded store: one SQLite file `<data>/softswitch.db` shared by the running switch
 * and the operator CLI. Open it with `openStore(dataDir)`; every repository reads the file
 * on each call, so a change committed by one process is seen by the other at once.
 */
import { join } from 'node:path';
import { createCallHistoryRepository, type CallHistoryRepository } from './calls-repository.js';
import { createConferenceRangeRepository, type ConferenceRangeRepository } from './conference-ranges-repository.js';
import { DATABASE_FILE, openDatabase, type SqliteDatabase } from './database.js';
import { createDeviceRepository, type DeviceRepository } from './devices-repository.js';
import { migrate } from './migrations.js';
import { createNumberResolver, type ResolvedNumber } from './number-resolver.js';
import type { RegistrationStore } from './registration-store.js';
import { createRegistrationRepository } from './registrations-repository.js';
import { createRoomRepository, type RoomRepository } from './rooms-repository.js';
import { createUserRepository, type UserRepository } from './users-repository.js';

export interface Store {
  /** Absolute or as-given path of the database file. */
  readonly path: string;
  readonly schemaVersion: number;
  readonly users: UserRepository;
  readonly devices: DeviceRepository;
  readonly registrations: RegistrationStore;
  /** Call history (migration 3). */
  readonly calls: CallHistoryRepository;
  /** Conference rooms (migration 4). */
  readonly rooms: RoomRepository;
  /** Numbers reserved for conference rooms (migration 4). */
  readonly conferenceRanges: ConferenceRangeRepository;
  /** Who answers `number` (main extension wins over a device extension). */
  resolveNumber(number: string): ResolvedNumber | undefined;
  /** Runs `fn` in one IMMEDIATE transaction (nestable: inner calls become savepoints). */
  transaction<T>(fn: () => T): T;
  close(): void;
  /** The connection itself, for diagnostics and tests; repositories are the API. */
  readonly db: SqliteDatabase;
}

export function openStore(dataDir: string): Store {
  const db = openDatabase(dataDir);
  let schemaVersion: number;
  try {
    schemaVersion = migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  const users = createUserRepository(db);
  const devices = createDeviceRepository(db);
  const registrations = createRegistrationRepository(db);
  const runInTransaction = db.transaction((fn: () => unknown) => fn());
  return {
    path: join(dataDir, DATABASE_FILE),
    schemaVersion,
    users,
    devices,
    registrations,
    calls: createCallHistoryRepository(db),
    rooms: createRoomRepository(db),
    conferenceRanges: createConferenceRangeRepository(db),
    resolveNumber: createNumberResolver(users, devices),
    transaction: <T>(fn: () => T): T => runInTransaction.immediate(fn) as T,
    close: () => db.close(),
    db,
  };
}

export type { UserRepository, NewUser, UserChanges } from './users-repository.js';
export type { DeviceRepository, NewDevice, DeviceChanges } from './devices-repository.js';
export type { UserRecord, DeviceRecord, DeviceAuth, AuthAlgorithm, RoomRecord, RoomKind, RoomLanguage, ConferenceRange } from './records.js';
export type { RoomRepository, NewRoom, RoomChanges } from './rooms-repository.js';
export type { ConferenceRangeRepository } from './conference-ranges-repository.js';
export type { CallDisposition, CallRecord, CallParty, CallHistoryEntry, CallHistoryQuery, CallHistoryRepository } from './calls-repository.js';
export type { ResolvedNumber } from './number-resolver.js';
export type { BindingRecord, BindingFlow, BindingProtocol, LiveBinding, RegistrationStore } from './registration-store.js';
